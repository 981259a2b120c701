package dev.taskmaster.agent.drift;

/** The state of one signal, as exported by {@code drift_status}. */
public enum DriftStatus {
  /** No baseline yet: the first calls are being learned. */
  LEARNING(-1),
  OK(0),
  WARNING(1),
  CRITICAL(2);

  private final int value;

  DriftStatus(int value) {
    this.value = value;
  }

  /** The gauge value: -1 learning, 0 ok, 1 warning, 2 critical. */
  public int value() {
    return value;
  }

  boolean isAlarm() {
    return value > 0;
  }
}
