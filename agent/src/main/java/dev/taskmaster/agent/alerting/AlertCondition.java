package dev.taskmaster.agent.alerting;

import java.time.Instant;

/**
 * Decides, at one evaluation, whether a rule's condition holds, over the agent's own recent data.
 * Called on the alert engine's thread; must be quick and must not block.
 *
 * <pre>{@code
 * engine.register(rule, now -> {
 *   double score = drift.score("response_length");
 *   return Double.isNaN(score) ? Result.noData() : Result.of(score > 0.3, score);
 * });
 * }</pre>
 */
@FunctionalInterface
public interface AlertCondition {

  /** Evaluates the condition at {@code now}. An exception keeps the rule's state unchanged. */
  Result evaluate(Instant now);

  /** The outcome of one evaluation: whether the condition holds, and the value it looked at. */
  final class Result {
    private static final Result NO_DATA = new Result(false, Double.NaN);

    private final boolean holds;
    private final double value;

    private Result(boolean holds, double value) {
      this.holds = holds;
      this.value = value;
    }

    /** The condition holds (or not) with this value. */
    public static Result of(boolean holds, double value) {
      return new Result(holds, value);
    }

    /** Nothing to judge (no calls in the window, no score yet): the condition does not hold. */
    public static Result noData() {
      return NO_DATA;
    }

    public boolean holds() {
      return holds;
    }

    /** The value looked at, or NaN. */
    public double value() {
      return value;
    }
  }
}
