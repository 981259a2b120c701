package dev.taskmaster.agent.alerting;

import java.time.Instant;
import java.util.Collections;
import java.util.Map;

/**
 * An alert as notifiers see it: one rule's state at one evaluation, with its labels and annotations
 * filled in. Immutable.
 */
public final class Alert {

  private final AlertRule rule;
  private final AlertState state;
  private final Map<String, String> labels;
  private final Map<String, String> annotations;
  private final double value;
  private final Instant activeAt;
  private final Instant firedAt;
  private final Instant resolvedAt;

  Alert(
      AlertRule rule,
      AlertState state,
      Map<String, String> labels,
      Map<String, String> annotations,
      double value,
      Instant activeAt,
      Instant firedAt,
      Instant resolvedAt) {
    this.rule = rule;
    this.state = state;
    this.labels = Collections.unmodifiableMap(labels);
    this.annotations = Collections.unmodifiableMap(annotations);
    this.value = value;
    this.activeAt = activeAt;
    this.firedAt = firedAt;
    this.resolvedAt = resolvedAt;
  }

  public AlertRule rule() {
    return rule;
  }

  public String name() {
    return rule.name();
  }

  public Severity severity() {
    return rule.severity();
  }

  public AlertState state() {
    return state;
  }

  /** {@code alertname}, {@code severity}, the rule's labels and the common labels. */
  public Map<String, String> labels() {
    return labels;
  }

  /**
   * {@code summary}, {@code description}, {@code runbook} and, when the rule has one, {@code
   * value}.
   */
  public Map<String, String> annotations() {
    return annotations;
  }

  /** The value the condition last looked at, or NaN. */
  public double value() {
    return value;
  }

  /** When the condition started to hold (the alert became pending), or {@code null}. */
  public Instant activeAt() {
    return activeAt;
  }

  /** When the alert started firing, or {@code null}: Alertmanager's {@code startsAt}. */
  public Instant firedAt() {
    return firedAt;
  }

  /** When a firing alert resolved, or {@code null}: Alertmanager's {@code endsAt}. */
  public Instant resolvedAt() {
    return resolvedAt;
  }

  @Override
  public String toString() {
    return name() + " " + state.label() + " " + labels;
  }
}
