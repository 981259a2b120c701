package dev.taskmaster.agent;

import dev.taskmaster.agent.core.CallPipeline;
import dev.taskmaster.agent.drift.DriftEvent;
import dev.taskmaster.agent.drift.DriftMonitor;
import dev.taskmaster.agent.drift.DriftSettings;
import dev.taskmaster.agent.logging.LogLine;
import dev.taskmaster.agent.logging.StructuredLog;
import dev.taskmaster.agent.quality.QualityMonitor;
import dev.taskmaster.agent.quality.QualitySettings;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * Puts the quality scores and the drift detection to work, with their default settings: the quality
 * monitor scores every call on the pipeline and feeds the drift monitor, whose alarms and
 * resolutions become {@code drift} lines of the structured log.
 *
 * <p>TODO: the quality.* and drift.* configuration keys (thresholds, warm-up, baseline file) belong
 * to the quality and drift work and do not exist yet; until they do, the defaults of {@link
 * QualitySettings} and {@link DriftSettings} apply.
 */
final class QualityDriftInstaller {

  private QualityDriftInstaller() {}

  /**
   * Runs on the pipeline's thread, before it processes the first call.
   *
   * @param failures counts an exception of the drift event listener
   * @return the drift monitor, which more signals (user satisfaction) may feed from that thread
   */
  static DriftMonitor install(
      CallPipeline pipeline,
      PrometheusRegistry registry,
      String prefix,
      StructuredLog log,
      Consumer<Throwable> failures) {
    DriftMonitor drift =
        new DriftMonitor(
            DriftSettings.defaults(),
            registry,
            prefix,
            event -> {
              try {
                log.emit(line(log, event));
              } catch (RuntimeException failure) {
                failures.accept(failure);
              }
            });
    pipeline.addListener(new QualityMonitor(QualitySettings.defaults(), registry, prefix, drift));
    return drift;
  }

  private static LogLine line(StructuredLog log, DriftEvent event) {
    String severity = event.severity.name().toLowerCase(Locale.ROOT);
    return log.event(
            StructuredLog.DRIFT,
            event.resolved ? StructuredLog.INFO : StructuredLog.WARN,
            event.toString())
        .put("signal", event.signal.label())
        .put("severity", severity)
        .put("resolved", event.resolved)
        .put("baseline", event.baseline)
        .put("current", event.current)
        .put("observations", event.observations);
  }
}
