package dev.taskmaster.agent.drift;

/**
 * Receives each drift alarm, escalation and resolution, on the agent's background thread. At most
 * three events per episode: the alarm, an escalation from warning to critical, the resolution.
 */
public interface DriftEventListener {

  /** Handles one event; must not block for long. */
  void onDriftEvent(DriftEvent event);

  /** Logs each event as one warning line through {@code AgentLog}. */
  DriftEventListener LOGGING = new LoggingDriftEventListener();
}
