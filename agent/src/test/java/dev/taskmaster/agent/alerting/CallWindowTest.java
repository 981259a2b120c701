package dev.taskmaster.agent.alerting;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.taskmaster.agent.core.ModelCall;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class CallWindowTest {

  private static final long NOW = 1_700_000_000_000L;
  private final CallWindow window = new CallWindow(Duration.ofMinutes(10));

  private void calls(int count, long endMillis, boolean error, double seconds) {
    for (int i = 0; i < count; i++) {
      window.record(endMillis, error, seconds);
    }
  }

  @Test
  void quantileInterpolatesInsideItsBucketLikeHistogramQuantile() {
    calls(90, NOW - 1_000, false, 0.05);
    calls(10, NOW - 1_000, false, 3.0);

    // Rank 95 of 100 falls in (2.5, 5], which holds calls 91 to 100: 2.5 + 2.5 * 5/10.
    assertEquals(3.75, window.summary(NOW, Duration.ofMinutes(5)).quantile(0.95), 1e-12);
    // Rank 50 falls in (0, 0.1], which holds 90: 0.1 * 50/90.
    assertEquals(0.1 * 50 / 90, window.summary(NOW, Duration.ofMinutes(5)).quantile(0.5), 1e-12);
  }

  @Test
  void aValueOnABucketBoundCountsInThatBucket() {
    calls(1, NOW, false, 2.5);

    // le is inclusive: 2.5 is in (1, 2.5], and the quantile 1 is that bucket's upper bound.
    assertEquals(2.5, window.summary(NOW, Duration.ofMinutes(5)).quantile(1), 1e-12);
  }

  @Test
  void quantileInTheOpenBucketIsTheHighestFiniteBound() {
    calls(10, NOW, false, 500);

    assertEquals(120, window.summary(NOW, Duration.ofMinutes(5)).quantile(0.95), 0.0);
  }

  @Test
  void withoutCallsThereIsNothingToJudge() {
    CallWindow.Summary summary = window.summary(NOW, Duration.ofMinutes(5));

    assertTrue(Double.isNaN(summary.quantile(0.95)));
    assertTrue(Double.isNaN(summary.errorRatio()));
    assertEquals(-1, window.lastCallMillis());
  }

  @Test
  void countsErrorsOfEveryStatus() {
    window.onCall(call(ModelCall.SUCCESS, NOW - 5_000));
    window.onCall(call(ModelCall.CANCELLED, NOW - 5_000));
    window.onCall(call(ModelCall.ERROR, NOW - 5_000));
    window.onCall(call(ModelCall.ERROR, NOW - 5_000));

    CallWindow.Summary summary = window.summary(NOW, Duration.ofMinutes(5));
    assertEquals(4, summary.count());
    assertEquals(2, summary.errors());
    assertEquals(0.5, summary.errorRatio(), 0.0);
    assertEquals(NOW - 5_000 + 200, window.lastCallMillis());
  }

  @Test
  void callsLeaveTheWindowAsTimePasses() {
    calls(3, NOW, true, 1);
    calls(2, NOW + 4 * 60_000, false, 1);

    assertEquals(5, window.summary(NOW + 4 * 60_000, Duration.ofMinutes(5)).count());
    assertEquals(2, window.summary(NOW + 6 * 60_000, Duration.ofMinutes(5)).count());
    assertEquals(0, window.summary(NOW + 10 * 60_000, Duration.ofMinutes(5)).count());
  }

  @Test
  void bucketsAreReusedAfterTheSpanAndLateCallsAreIgnored() {
    calls(3, NOW, false, 1);
    // 61 buckets keep 10 minutes; 610 s later the same bucket holds the new calls.
    long later = NOW + 610_000;
    calls(1, later, false, 1);
    calls(5, NOW + 10, false, 1);

    assertEquals(1, window.summary(later, Duration.ofMinutes(10)).count());
  }

  private static ModelCall call(String status, long startMillis) {
    return ModelCall.builder("chat", "m", status)
        .startEpochMillis(startMillis)
        .durationNanos(200_000_000L)
        .build();
  }
}
