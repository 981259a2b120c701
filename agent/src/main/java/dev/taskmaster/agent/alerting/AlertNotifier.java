package dev.taskmaster.agent.alerting;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Tells someone about alerts. Called on the alert engine's thread: an implementation hands slow
 * work (HTTP) to its own daemon thread and returns at once, so that a notifier that is down or slow
 * delays nothing else. A failure never changes the engine's alert state.
 */
public interface AlertNotifier {

  /**
   * The {@code notifier} label of the notification counters: {@code webhook}, {@code slack}, ...
   */
  String name();

  /**
   * An alert started firing ({@link AlertState#FIRING}) or resolved ({@link AlertState#RESOLVED}).
   */
  void notify(Alert alert);

  /**
   * After every evaluation, with every alert that is firing or resolved (not pending, not
   * inactive), for notifiers that resend state periodically. Does nothing by default.
   */
  default void evaluated(List<Alert> alerts, Instant now) {}

  /** Stops, giving queued notifications at most {@code timeout} to go out. */
  default void close(Duration timeout) {}
}
