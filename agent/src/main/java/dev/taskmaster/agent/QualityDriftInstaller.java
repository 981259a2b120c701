package dev.taskmaster.agent;

import dev.taskmaster.agent.config.AgentConfig;
import dev.taskmaster.agent.config.ConfigKeys;
import dev.taskmaster.agent.core.CallPipeline;
import dev.taskmaster.agent.drift.DriftEvent;
import dev.taskmaster.agent.drift.DriftMonitor;
import dev.taskmaster.agent.logging.LogLine;
import dev.taskmaster.agent.logging.StructuredLog;
import dev.taskmaster.agent.quality.CallScorer;
import dev.taskmaster.agent.quality.QualityMonitor;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * Puts the quality scores and the drift detection to work, with their default settings: the quality
 * monitor scores every call on the pipeline and feeds the drift monitor, whose alarms and
 * resolutions become {@code drift} lines of the structured log.
 *
 * <p>Settings come from the {@code quality.*} and {@code drift.*} keys (see {@link
 * ComponentSettings}).
 */
final class QualityDriftInstaller {

  private QualityDriftInstaller() {}

  /**
   * Runs on the pipeline's thread, before it processes the first call.
   *
   * @param scorer scores each call for the quality monitor and whoever shares it (the call log);
   *     {@code null} when quality is off, and then nothing is installed
   * @param failures counts an exception of the drift event listener
   * @return the drift monitor, which more signals (user satisfaction) may feed from that thread;
   *     {@code null} when drift detection is off
   */
  static DriftMonitor install(
      AgentConfig config,
      CallPipeline pipeline,
      PrometheusRegistry registry,
      String prefix,
      CallScorer scorer,
      StructuredLog log,
      Consumer<Throwable> failures) {
    if (scorer == null) {
      return null;
    }
    DriftMonitor drift =
        !config.get(ConfigKeys.DRIFT_ENABLED)
            ? null
            : new DriftMonitor(
                ComponentSettings.drift(config),
                registry,
                prefix,
                event -> {
                  try {
                    log.emit(line(log, event));
                  } catch (RuntimeException failure) {
                    failures.accept(failure);
                  }
                });
    pipeline.addListener(
        new QualityMonitor(ComponentSettings.quality(config), scorer, registry, prefix, drift));
    return drift;
  }

  /**
   * One {@code drift} line per alarm, escalation and resolution, all at WARN: whoever reads only
   * warnings must also see an episode end.
   */
  private static LogLine line(StructuredLog log, DriftEvent event) {
    String severity = event.severity.name().toLowerCase(Locale.ROOT);
    return log.event(StructuredLog.DRIFT, StructuredLog.WARN, event.toString())
        .put("action", event.resolved ? "resolution" : event.escalation ? "escalation" : "alarm")
        .put("signal", event.signal.label())
        .put("severity", severity)
        .put("resolved", event.resolved)
        .put("baseline", event.baseline)
        .put("current", event.current)
        .put("deviation", event.deviation)
        .put("method", event.method.key())
        .put("trigger", event.trigger)
        .put("observations", event.observations);
  }
}
