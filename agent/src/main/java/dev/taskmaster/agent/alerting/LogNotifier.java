package dev.taskmaster.agent.alerting;

import dev.taskmaster.agent.logging.LogLine;
import dev.taskmaster.agent.logging.StructuredLog;
import dev.taskmaster.agent.util.AgentLog;
import java.util.Map;

/**
 * Writes an {@code alert} line to the structured log whenever an alert fires or resolves: always
 * on. With {@code log.destination=none} it writes one line through the agent's diagnostics instead,
 * so that an alert is never silent.
 */
public final class LogNotifier implements AlertNotifier {

  private final StructuredLog log;

  public LogNotifier(StructuredLog log) {
    this.log = log;
  }

  @Override
  public String name() {
    return "log";
  }

  @Override
  public void notify(Alert alert) {
    boolean firing = alert.state() == AlertState.FIRING;
    String summary = alert.annotations().getOrDefault("summary", "");
    String message =
        "alert "
            + alert.name()
            + " "
            + alert.state().label()
            + (summary.isEmpty() ? "" : ": " + summary);
    if (!log.enabled()) {
      if (firing) {
        AgentLog.warn(message);
      } else {
        AgentLog.info(message);
      }
      return;
    }
    String level =
        !firing
            ? StructuredLog.INFO
            : alert.severity() == Severity.CRITICAL ? StructuredLog.ERROR : StructuredLog.WARN;
    long at = (firing ? alert.firedAt() : alert.resolvedAt()).toEpochMilli();
    LogLine line =
        log.event(at, StructuredLog.ALERT, level, message)
            .put("alertname", alert.name())
            .put("severity", alert.severity().label())
            .put("status", alert.state().label())
            .put("value", alert.annotations().get("value"))
            .put("starts_at", AlertJson.time(alert.firedAt()))
            .put("ends_at", AlertJson.time(alert.resolvedAt()))
            .put("summary", summary)
            .put("description", alert.annotations().get("description"));
    if (firing) {
      line.put("runbook", alert.annotations().get("runbook"));
    }
    for (Map.Entry<String, String> label : alert.labels().entrySet()) {
      if (!label.getKey().equals("alertname") && !label.getKey().equals("severity")) {
        line.put("label_" + label.getKey(), label.getValue());
      }
    }
    log.emit(line);
  }
}
