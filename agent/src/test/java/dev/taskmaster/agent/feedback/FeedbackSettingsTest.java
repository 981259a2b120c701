package dev.taskmaster.agent.feedback;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Values that make no sense are refused with the key's name, instead of taken or bent. */
class FeedbackSettingsTest {

  @Test
  void countsStartAtOneAndTimesAreLongerThanZero() {
    FeedbackSettings smallest =
        FeedbackSettings.builder()
            .maxCalls(1)
            .minCount(1)
            .maxAge(Duration.ofMillis(1))
            .window(Duration.ofMillis(1))
            .build();
    assertEquals(1, smallest.maxCalls());
    assertEquals(1, smallest.minCount());
    assertEquals(Duration.ofMillis(1), smallest.window());

    assertEquals(
        "feedback.max-calls=0: at least 1",
        assertThrows(IllegalArgumentException.class, () -> FeedbackSettings.builder().maxCalls(0))
            .getMessage());
    assertEquals(
        "feedback.min-count=-5: at least 1",
        assertThrows(IllegalArgumentException.class, () -> FeedbackSettings.builder().minCount(-5))
            .getMessage());
    assertEquals(
        "feedback.window=PT0S: longer than zero",
        assertThrows(
                IllegalArgumentException.class,
                () -> FeedbackSettings.builder().window(Duration.ZERO))
            .getMessage());
    assertThrows(
        IllegalArgumentException.class,
        () -> FeedbackSettings.builder().maxAge(Duration.ofSeconds(-1)));
  }
}
