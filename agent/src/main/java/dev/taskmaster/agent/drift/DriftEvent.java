package dev.taskmaster.agent.drift;

import java.util.Locale;

/**
 * The start (alarm), escalation or end (resolution) of one drift episode of one signal. Values are
 * in the signal's natural units: seconds, tokens, characters, score, or rate.
 */
public final class DriftEvent {

  /** The signal that drifted. */
  public final DriftSignal signal;

  /** The method that raised it. */
  public final DriftMethod method;

  /**
   * What raised it: {@code cusum} (sequential change), {@code shape} (distribution check) or {@code
   * deviation} (the original method).
   */
  public final String trigger;

  /** {@link DriftStatus#WARNING} or {@link DriftStatus#CRITICAL}: the episode's severity. */
  public final DriftStatus severity;

  /** Whether the episode ended: the signal is back near its baseline. */
  public final boolean resolved;

  /** Whether this raises an open episode from warning to critical (not a new episode). */
  public final boolean escalation;

  /** The frozen baseline value. */
  public final double baseline;

  /** The current value (a recent average). */
  public final double current;

  /** Relative change, {@code current / baseline - 1}; NaN when the baseline is 0. */
  public final double deviation;

  /** Absolute change, {@code current - baseline}. */
  public final double change;

  /** How many values of this signal had been observed, learning included. */
  public final long observations;

  DriftEvent(
      DriftSignal signal,
      DriftMethod method,
      String trigger,
      DriftStatus severity,
      boolean resolved,
      boolean escalation,
      double baseline,
      double current,
      long observations) {
    this.signal = signal;
    this.method = method;
    this.trigger = trigger;
    this.severity = severity;
    this.resolved = resolved;
    this.escalation = escalation;
    this.baseline = baseline;
    this.current = current;
    this.deviation = baseline == 0 ? Double.NaN : current / baseline - 1;
    this.change = current - baseline;
    this.observations = observations;
  }

  @Override
  public String toString() {
    return (resolved ? "drift resolved" : escalation ? "drift escalated" : "drift alarm")
        + " signal="
        + signal.label()
        + " severity="
        + severity.name().toLowerCase(Locale.ROOT)
        + " baseline="
        + format(baseline)
        + " current="
        + format(current)
        + " deviation="
        + (Double.isNaN(deviation) ? "n/a" : String.format(Locale.ROOT, "%+.1f%%", deviation * 100))
        + " change="
        + format(change)
        + " method="
        + method.key()
        + " trigger="
        + trigger
        + " observations="
        + observations;
  }

  private static String format(double value) {
    return String.format(Locale.ROOT, "%.4g", value);
  }
}
