package dev.taskmaster.agent.alerting;

/**
 * Where a rule stands. A rule whose condition starts to hold is {@link #PENDING}; once it has held
 * for the rule's duration it is {@link #FIRING}; when the condition stops holding, a firing rule is
 * {@link #RESOLVED} and a pending one goes back to {@link #INACTIVE}.
 */
public enum AlertState {
  INACTIVE(0),
  PENDING(1),
  FIRING(2),
  /** Was firing and stopped; counts as inactive in the gauge. */
  RESOLVED(0);

  private final int gaugeValue;

  AlertState(int gaugeValue) {
    this.gaugeValue = gaugeValue;
  }

  /** The value of {@code taskmaster_alert_state}: 0 inactive or resolved, 1 pending, 2 firing. */
  public int gaugeValue() {
    return gaugeValue;
  }

  /** Lower-case name, as in Alertmanager's {@code status}. */
  public String label() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
