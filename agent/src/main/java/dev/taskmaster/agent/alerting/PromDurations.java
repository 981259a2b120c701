package dev.taskmaster.agent.alerting;

import java.time.Duration;

/** Durations written the way Prometheus reads them: {@code 5m}, {@code 90s}, {@code 1500ms}. */
final class PromDurations {

  private PromDurations() {}

  /** One unit, the largest that divides the duration: {@code 2h}, {@code 15m}, {@code 45s}. */
  static String format(Duration duration) {
    long millis = duration.toMillis();
    if (millis == 0) {
      return "0s";
    }
    if (millis % 86_400_000 == 0) {
      return millis / 86_400_000 + "d";
    }
    if (millis % 3_600_000 == 0) {
      return millis / 3_600_000 + "h";
    }
    if (millis % 60_000 == 0) {
      return millis / 60_000 + "m";
    }
    if (millis % 1_000 == 0) {
      return millis / 1_000 + "s";
    }
    return millis + "ms";
  }
}
