package dev.taskmaster.agent.alerting;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.taskmaster.agent.core.ModelCall;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The six product rules, evaluated by the engine over synthetic calls and a hand-moved clock. */
class TaskMasterRulesTest {

  private static final Duration TICK = Duration.ofSeconds(15);

  private final MutableClock clock = new MutableClock(Instant.parse("2025-01-31T12:00:00Z"));
  private final AlertSettings settings = AlertSettings.builder().instance("web-1").build();
  private final CallWindow window = new CallWindow(settings.longestWindow());
  private final ModelAvailability availability = new ModelAvailability(3);
  private final AtomicReference<Double> quality = new AtomicReference<>(Double.NaN);
  private final AtomicReference<Double> satisfaction = new AtomicReference<>(Double.NaN);
  private final List<Throwable> failures = new ArrayList<>();
  private final AlertEngine engine =
      new AlertEngine(
          settings,
          new AlertMetrics(new PrometheusRegistry(), "taskmaster"),
          "svc",
          clock,
          failures::add);

  TaskMasterRulesTest() {
    TaskMasterRules.register(
        engine,
        settings,
        "taskmaster",
        window,
        availability,
        () -> quality.get(),
        () -> satisfaction.get());
  }

  /** Moves time on by {@code duration} in evaluation steps, with {@code perTick} calls each. */
  private void run(Duration duration, Runnable perTick) {
    for (long t = 0; t < duration.toMillis(); t += TICK.toMillis()) {
      clock.advance(TICK);
      perTick.run();
      engine.evaluate();
    }
  }

  private void calls(int count, String status, double seconds) {
    for (int i = 0; i < count; i++) {
      ModelCall call =
          ModelCall.builder("chat", "m", status)
              .startEpochMillis(clock.millis() - (long) (seconds * 1000))
              .durationNanos((long) (seconds * 1e9))
              .build();
      window.onCall(call);
      availability.onCall(call);
    }
  }

  private AlertState state(String rule) {
    return engine.alert(rule).state();
  }

  @Test
  void registersTheSixRules() {
    assertEquals(
        List.of(
            "TaskMasterHighLatency",
            "TaskMasterHighErrorRate",
            "TaskMasterModelDown",
            "TaskMasterQualityDrift",
            "TaskMasterNoRequests",
            "TaskMasterLowSatisfaction"),
        engine.alerts().stream().map(Alert::name).collect(java.util.stream.Collectors.toList()));
    for (AlertRule rule : TaskMasterRules.definitions(settings, "taskmaster")) {
      assertFalse(rule.summary().isEmpty(), rule.name());
      assertTrue(rule.description().length() > 40, rule.name());
      assertTrue(rule.runbook().startsWith("1. "), rule.name());
    }
  }

  @Test
  void highLatencyFiresAfterFiveMinutesAboveTwoSecondsAndResolves() {
    run(Duration.ofMinutes(5), () -> calls(2, ModelCall.SUCCESS, 0.3));
    assertEquals(AlertState.INACTIVE, state("TaskMasterHighLatency"));

    // Slow calls take over the 5-minute window gradually; the p95 passes 2 s within a minute.
    run(Duration.ofMinutes(1), () -> calls(2, ModelCall.SUCCESS, 4));
    assertEquals(AlertState.PENDING, state("TaskMasterHighLatency"));
    run(Duration.ofMinutes(5), () -> calls(2, ModelCall.SUCCESS, 4));
    Alert firing = engine.alert("TaskMasterHighLatency");
    assertEquals(AlertState.FIRING, firing.state());
    assertEquals("warning", firing.labels().get("severity"));
    // All calls of the window in (2.5, 5]: p95 = 2.5 + 2.5 * 0.95.
    assertEquals("4.875s", firing.annotations().get("value"));

    run(Duration.ofMinutes(5), () -> calls(2, ModelCall.SUCCESS, 0.3));
    assertEquals(AlertState.RESOLVED, state("TaskMasterHighLatency"));
    assertEquals(AlertState.INACTIVE, state("TaskMasterHighErrorRate"));
    assertTrue(failures.isEmpty());
  }

  @Test
  void highErrorRateFiresAfterTwoMinutesAboveFivePercent() {
    run(Duration.ofMinutes(5), () -> calls(19, ModelCall.SUCCESS, 0.3));
    // One error in 20 calls is 5 %: not above.
    run(
        Duration.ofMinutes(5),
        () -> {
          calls(19, ModelCall.SUCCESS, 0.3);
          calls(1, ModelCall.ERROR, 0.3);
        });
    assertEquals(AlertState.INACTIVE, state("TaskMasterHighErrorRate"));

    run(
        Duration.ofSeconds(105),
        () -> {
          calls(8, ModelCall.SUCCESS, 0.3);
          calls(2, ModelCall.ERROR, 0.3);
        });
    assertEquals(AlertState.PENDING, state("TaskMasterHighErrorRate"));
    run(
        Duration.ofMinutes(1),
        () -> {
          calls(8, ModelCall.SUCCESS, 0.3);
          calls(2, ModelCall.ERROR, 0.3);
        });
    Alert firing = engine.alert("TaskMasterHighErrorRate");
    assertEquals(AlertState.FIRING, firing.state());
    assertEquals("critical", firing.labels().get("severity"));

    run(Duration.ofMinutes(6), () -> calls(10, ModelCall.SUCCESS, 0.3));
    assertEquals(AlertState.RESOLVED, state("TaskMasterHighErrorRate"));
  }

  @Test
  void modelDownFiresAfterAMinuteOfFailedProbesAndResolvesWhenUp() {
    availability.onResult(true);
    run(Duration.ofMinutes(2), () -> {});
    assertEquals(AlertState.INACTIVE, state("TaskMasterModelDown"));

    availability.onResult(false);
    run(Duration.ofSeconds(45), () -> {});
    assertEquals(AlertState.PENDING, state("TaskMasterModelDown"));
    run(Duration.ofSeconds(30), () -> {});
    assertEquals(AlertState.FIRING, state("TaskMasterModelDown"));

    availability.onResult(true);
    run(TICK, () -> {});
    assertEquals(AlertState.RESOLVED, state("TaskMasterModelDown"));
  }

  @Test
  void modelDownAlsoFollowsConsecutiveFailedCalls() {
    run(TICK, () -> calls(2, ModelCall.ERROR, 0.1));
    assertEquals(AlertState.INACTIVE, state("TaskMasterModelDown"), "two failures of three");

    run(Duration.ofSeconds(90), () -> calls(1, ModelCall.ERROR, 0.1));
    assertEquals(AlertState.FIRING, state("TaskMasterModelDown"));

    run(TICK, () -> calls(1, ModelCall.SUCCESS, 0.1));
    assertEquals(AlertState.RESOLVED, state("TaskMasterModelDown"));
  }

  @Test
  void qualityDriftFiresAfterFifteenMinutesBelowTheThreshold() {
    run(Duration.ofMinutes(20), () -> {});
    assertEquals(AlertState.INACTIVE, state("TaskMasterQualityDrift"), "no score yet");

    quality.set(0.8);
    run(Duration.ofMinutes(20), () -> {});
    assertEquals(AlertState.INACTIVE, state("TaskMasterQualityDrift"));

    quality.set(0.64);
    // Pending from the first evaluation, 15 s from now; 15 minutes later it fires.
    run(Duration.ofMinutes(15), () -> {});
    assertEquals(AlertState.PENDING, state("TaskMasterQualityDrift"));
    run(TICK, () -> {});
    Alert firing = engine.alert("TaskMasterQualityDrift");
    assertEquals(AlertState.FIRING, firing.state());
    assertEquals("0.64", firing.annotations().get("value"));

    quality.set(0.75);
    run(TICK, () -> {});
    assertEquals(AlertState.RESOLVED, state("TaskMasterQualityDrift"));
  }

  @Test
  void lowSatisfactionFiresAfterFifteenMinutesBelowTheThreshold() {
    run(Duration.ofMinutes(20), () -> {});
    assertEquals(AlertState.INACTIVE, state("TaskMasterLowSatisfaction"), "no feedback yet");

    satisfaction.set(0.9);
    run(Duration.ofMinutes(20), () -> {});
    assertEquals(AlertState.INACTIVE, state("TaskMasterLowSatisfaction"));

    satisfaction.set(0.45);
    run(Duration.ofMinutes(15), () -> {});
    assertEquals(AlertState.PENDING, state("TaskMasterLowSatisfaction"));
    run(TICK, () -> {});
    Alert firing = engine.alert("TaskMasterLowSatisfaction");
    assertEquals(AlertState.FIRING, firing.state());
    assertEquals("0.45", firing.annotations().get("value"));
    assertTrue(firing.annotations().get("runbook").contains("event_type=feedback"));

    satisfaction.set(Double.NaN);
    run(TICK, () -> {});
    assertEquals(AlertState.RESOLVED, state("TaskMasterLowSatisfaction"), "too little feedback");
  }

  @Test
  void noRequestsFiresAfterTenSilentMinutesForTenMinutes() {
    run(Duration.ofMinutes(30), () -> {});
    assertEquals(AlertState.INACTIVE, state("TaskMasterNoRequests"), "never any call");

    run(Duration.ofMinutes(5), () -> calls(1, ModelCall.SUCCESS, 0.2));
    run(Duration.ofMinutes(10), () -> {});
    assertEquals(AlertState.PENDING, state("TaskMasterNoRequests"));
    run(Duration.ofMinutes(9), () -> {});
    assertEquals(AlertState.PENDING, state("TaskMasterNoRequests"));
    run(Duration.ofMinutes(1), () -> {});
    assertEquals(AlertState.FIRING, state("TaskMasterNoRequests"));

    run(TICK, () -> calls(1, ModelCall.SUCCESS, 0.2));
    assertEquals(AlertState.RESOLVED, state("TaskMasterNoRequests"));
  }

  @Test
  void thresholdsAndDurationsComeFromTheSettings() {
    AlertSettings custom =
        AlertSettings.builder()
            .latencyThreshold(Duration.ofMillis(500))
            .latencyFor(Duration.ofMinutes(1))
            .errorRateThreshold(0.2)
            .qualityThreshold(0.5)
            .disable("TaskMasterNoRequests")
            .build();

    List<AlertRule> rules = TaskMasterRules.definitions(custom, "llm");

    // Five product rules, then two drift rules for each of the 11 signals.
    assertEquals(5 + 22, rules.size());
    assertEquals(
        "histogram_quantile(0.95, sum without (endpoint, model)"
            + " (rate(llm_request_latency_seconds_bucket[5m]))) > 0.5",
        rules.get(0).expr());
    assertEquals(Duration.ofMinutes(1), rules.get(0).forDuration());
    assertTrue(rules.get(1).expr().endsWith(" > 0.2"), rules.get(1).expr());
    assertEquals("llm_quality_score < 0.5", rules.get(3).expr());
  }
}
