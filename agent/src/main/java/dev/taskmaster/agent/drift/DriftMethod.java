package dev.taskmaster.agent.drift;

import java.util.Locale;

/** How drift is detected ({@code drift.method}). */
public enum DriftMethod {
  /**
   * The default: a rank CUSUM (or a Bernoulli CUSUM for event rates) against the frozen baseline,
   * gated by an effect size, plus a periodic Kolmogorov-Smirnov and Wasserstein check of the
   * distribution's shape. See {@link SequentialDetector} and {@link RateDetector}.
   */
  SEQUENTIAL("sequential"),
  /**
   * The product's original method: the mean of the last {@code drift.deviation.window} values
   * against the baseline mean, alarming at a relative deviation of {@code drift.deviation.warning}
   * and {@code drift.deviation.critical}. See {@link DeviationDetector}.
   */
  DEVIATION("deviation");

  private final String key;

  DriftMethod(String key) {
    this.key = key;
  }

  /** The value of {@code drift.method}. */
  public String key() {
    return key;
  }

  /** Parses a {@code drift.method} value. */
  public static DriftMethod parse(String value) {
    String v = value.trim().toLowerCase(Locale.ROOT);
    for (DriftMethod method : values()) {
      if (method.key.equals(v)) {
        return method;
      }
    }
    throw new IllegalArgumentException(
        "drift.method must be sequential or deviation, got '" + value + "'");
  }
}
