package dev.taskmaster.agent.alerting;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * How an alert's current value is shown in its {@code value} annotation, both by the agent and by
 * Prometheus (as a template of the generated rule).
 */
public enum ValueFormat {
  /** No {@code value} annotation: the condition is a yes or no. */
  NONE(null),
  /** Seconds, such as {@code 3.75s}. */
  SECONDS("{{ $value | humanizeDuration }}"),
  /** A ratio shown in percent, such as {@code 12.5%}. */
  PERCENT("{{ $value | humanizePercentage }}"),
  /** A plain number with two decimals, such as {@code 0.64}. */
  DECIMAL("{{ printf \"%.2f\" $value }}");

  private final String template;

  ValueFormat(String template) {
    this.template = template;
  }

  /** The Prometheus template of the annotation, or {@code null} for {@link #NONE}. */
  public String prometheusTemplate() {
    return template;
  }

  /** Formats a value the way the agent shows it; {@code null} for {@link #NONE} or no value. */
  public String format(double value) {
    if (this == NONE || !Double.isFinite(value)) {
      return null;
    }
    switch (this) {
      case SECONDS:
        return plain(value, 3) + "s";
      case PERCENT:
        return plain(value * 100, 2) + "%";
      default:
        return BigDecimal.valueOf(value).setScale(2, RoundingMode.HALF_UP).toPlainString();
    }
  }

  /** A number with at most {@code decimals} decimals and no trailing zeros. */
  static String plain(double value, int decimals) {
    BigDecimal rounded =
        BigDecimal.valueOf(value).setScale(decimals, RoundingMode.HALF_UP).stripTrailingZeros();
    return rounded.scale() < 0 ? rounded.setScale(0).toPlainString() : rounded.toPlainString();
  }
}
