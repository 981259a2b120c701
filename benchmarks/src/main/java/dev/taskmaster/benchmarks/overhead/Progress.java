package dev.taskmaster.benchmarks.overhead;

import java.time.LocalTime;
import java.time.temporal.ChronoUnit;

/** Progress lines on standard error, so that a long run shows it is alive. */
final class Progress {

  private Progress() {}

  static void say(String message) {
    System.err.println(
        "[bench " + LocalTime.now().truncatedTo(ChronoUnit.SECONDS) + "] " + message);
  }
}
