package dev.taskmaster.agent.alerting;

/** The {@code severity} label of an alert, which Alertmanager routes on. */
public enum Severity {
  INFO("info"),
  WARNING("warning"),
  CRITICAL("critical");

  private final String label;

  Severity(String label) {
    this.label = label;
  }

  /** The label value: {@code info}, {@code warning} or {@code critical}. */
  public String label() {
    return label;
  }
}
