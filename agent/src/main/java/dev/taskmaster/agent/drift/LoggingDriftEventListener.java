package dev.taskmaster.agent.drift;

import dev.taskmaster.agent.util.AgentLog;

/** The default {@link DriftEventListener}: one structured warning line per event. */
final class LoggingDriftEventListener implements DriftEventListener {

  @Override
  public void onDriftEvent(DriftEvent event) {
    AgentLog.warn(event.toString());
  }
}
