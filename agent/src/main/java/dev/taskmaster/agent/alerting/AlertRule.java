package dev.taskmaster.agent.alerting;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The definition of one alert, shared by the agent's own alert engine and the Prometheus rules
 * generator: name, severity, how long the condition must hold, the PromQL expression Prometheus
 * evaluates, static labels, and the texts an operator reads. How the agent evaluates it is an
 * {@link AlertCondition}, given when the rule is registered with the {@link AlertEngine}.
 *
 * <pre>{@code
 * AlertRule rule =
 *     AlertRule.builder("TaskMasterResponseLengthDrift")
 *         .severity(Severity.WARNING)
 *         .forDuration(Duration.ofMinutes(15))
 *         .expr("taskmaster_drift_score{signal=\"response_length\"} > 0.3")
 *         .summary("Response length drifted")
 *         .description("...")
 *         .runbook("1. ...")
 *         .valueFormat(ValueFormat.DECIMAL)
 *         .build();
 * }</pre>
 */
public final class AlertRule {

  private static final Pattern NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");

  private final String name;
  private final Severity severity;
  private final Duration forDuration;
  private final String expr;
  private final Map<String, String> labels;
  private final String summary;
  private final String description;
  private final String runbook;
  private final ValueFormat valueFormat;

  private AlertRule(Builder builder) {
    this.name = builder.name;
    this.severity = builder.severity;
    this.forDuration = builder.forDuration;
    this.expr = builder.expr;
    this.labels = Collections.unmodifiableMap(new LinkedHashMap<>(builder.labels));
    this.summary = builder.summary;
    this.description = builder.description;
    this.runbook = builder.runbook;
    this.valueFormat = builder.valueFormat;
  }

  /**
   * Starts a rule definition.
   *
   * @param name the {@code alertname}; letters, digits and underscores, unique per engine
   */
  public static Builder builder(String name) {
    return new Builder(name);
  }

  /** A builder holding this rule's values, to derive a changed copy. */
  public Builder toBuilder() {
    Builder builder = new Builder(name);
    builder.severity = severity;
    builder.forDuration = forDuration;
    builder.expr = expr;
    builder.labels.putAll(labels);
    builder.summary = summary;
    builder.description = description;
    builder.runbook = runbook;
    builder.valueFormat = valueFormat;
    return builder;
  }

  public String name() {
    return name;
  }

  public Severity severity() {
    return severity;
  }

  /** How long the condition must hold before the alert fires; zero fires at once. */
  public Duration forDuration() {
    return forDuration;
  }

  /** The PromQL expression for Prometheus, or {@code null} for a rule only the agent evaluates. */
  public String expr() {
    return expr;
  }

  /** Static labels besides {@code alertname} and {@code severity}. */
  public Map<String, String> labels() {
    return labels;
  }

  /** One line: what is wrong. */
  public String summary() {
    return summary;
  }

  /** What the alert means and what it affects. */
  public String description() {
    return description;
  }

  /** What an operator checks and does, as numbered steps. */
  public String runbook() {
    return runbook;
  }

  public ValueFormat valueFormat() {
    return valueFormat;
  }

  /** Builds an {@link AlertRule}. */
  public static final class Builder {
    private final String name;
    private Severity severity = Severity.WARNING;
    private Duration forDuration = Duration.ZERO;
    private String expr;
    private final Map<String, String> labels = new LinkedHashMap<>();
    private String summary = "";
    private String description = "";
    private String runbook = "";
    private ValueFormat valueFormat = ValueFormat.NONE;

    private Builder(String name) {
      if (name == null || !NAME.matcher(name).matches()) {
        throw new IllegalArgumentException(
            "alert name " + name + ": letters, digits and underscores, not starting with a digit");
      }
      this.name = name;
    }

    /** Default {@link Severity#WARNING}. */
    public Builder severity(Severity value) {
      severity = Objects.requireNonNull(value);
      return this;
    }

    /** Default zero: the alert fires at the first evaluation where the condition holds. */
    public Builder forDuration(Duration value) {
      if (value.isNegative()) {
        throw new IllegalArgumentException(name + ": for=" + value + " is negative");
      }
      forDuration = value;
      return this;
    }

    /** Default none: the rule is left out of the Prometheus rules. */
    public Builder expr(String value) {
      expr = value;
      return this;
    }

    /** Adds a static label; {@code alertname} and {@code severity} are set by the rule itself. */
    public Builder label(String labelName, String value) {
      if (!NAME.matcher(labelName).matches()
          || labelName.startsWith("__")
          || labelName.equals("alertname")
          || labelName.equals("severity")) {
        throw new IllegalArgumentException(name + ": label name " + labelName + " not allowed");
      }
      labels.put(labelName, Objects.requireNonNull(value));
      return this;
    }

    public Builder summary(String value) {
      summary = Objects.requireNonNull(value);
      return this;
    }

    public Builder description(String value) {
      description = Objects.requireNonNull(value);
      return this;
    }

    public Builder runbook(String value) {
      runbook = Objects.requireNonNull(value);
      return this;
    }

    /** Default {@link ValueFormat#NONE}. */
    public Builder valueFormat(ValueFormat value) {
      valueFormat = Objects.requireNonNull(value);
      return this;
    }

    public AlertRule build() {
      return new AlertRule(this);
    }
  }
}
