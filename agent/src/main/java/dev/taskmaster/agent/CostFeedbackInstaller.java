package dev.taskmaster.agent;

import com.sun.net.httpserver.HttpHandler;
import dev.taskmaster.agent.alerting.AlertingRuntime;
import dev.taskmaster.agent.config.AgentConfig;
import dev.taskmaster.agent.config.ConfigKeys;
import dev.taskmaster.agent.config.InterceptionSpec;
import dev.taskmaster.agent.core.CallPipeline;
import dev.taskmaster.agent.cost.CostTracker;
import dev.taskmaster.agent.cost.PriceTable;
import dev.taskmaster.agent.drift.DriftMonitor;
import dev.taskmaster.agent.drift.DriftSignal;
import dev.taskmaster.agent.feedback.FeedbackService;
import dev.taskmaster.agent.feedback.FeedbackSettings;
import dev.taskmaster.agent.feedback.SatisfactionDrift;
import dev.taskmaster.agent.logging.CallLogListener;
import dev.taskmaster.agent.logging.LogSettings;
import dev.taskmaster.agent.logging.StructuredLog;
import dev.taskmaster.agent.metrics.LlmMetrics;
import dev.taskmaster.agent.util.AgentLog;
import dev.taskmaster.agent.web.AgentWeb;
import dev.taskmaster.agent.web.HealthReport;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntUnaryOperator;

/**
 * Installs cost tracking, the user-feedback loop and the status page, for {@link AgentInstaller}:
 * the cost tracker, the feedback service and the status history join the call pipeline, the users'
 * satisfaction joins the drift signals, and the returned handler serves {@code /}, {@code
 * /api/status}, {@code /health}, {@code POST /feedback} and {@code POST /drift/relearn} on the
 * exporter's port.
 */
final class CostFeedbackInstaller {

  private CostFeedbackInstaller() {}

  /**
   * Runs on the pipeline's thread, before the exporter starts.
   *
   * @param callLog the request log, or {@code null} when the log is off
   * @param drift receives the users' satisfaction as a signal, or {@code null}
   * @param matchedClasses how many classes an interception (by id) matched so far
   * @return the handler of every path of the exporter's port but {@code /metrics}
   */
  static HttpHandler install(
      AgentConfig config,
      LlmMetrics metrics,
      StructuredLog log,
      LogSettings logSettings,
      CallLogListener callLog,
      AlertingRuntime alerting,
      DriftMonitor drift,
      CallPipeline pipeline,
      IntUnaryOperator matchedClasses) {
    String prefix = config.metricsPrefix();
    AgentWeb.Builder web =
        AgentWeb.builder(metrics.registry(), prefix)
            .service(config.serviceName(), TaskMasterAgent.version(), System.currentTimeMillis())
            .alerts(() -> alerting.engine().alerts())
            .statusEnabled(config.get(ConfigKeys.STATUS_ENABLED))
            .httpRecognition(
                config.get(ConfigKeys.HTTP_ENABLED), config.get(ConfigKeys.HTTP_CLIENTS))
            .failures(failure -> metrics.agentError("web"));
    for (InterceptionSpec spec : config.interceptions()) {
      if (spec != null) {
        web.interception(
            new HealthReport.Interception(
                spec.name(),
                spec.className(),
                spec.methodName(),
                () -> matchedClasses.applyAsInt(spec.id())));
      }
    }

    if (config.get(ConfigKeys.COST_ENABLED)) {
      CostTracker costs =
          new CostTracker(
              prices(config.get(ConfigKeys.COST_PRICES_FILE)), metrics.registry(), prefix);
      pipeline.addListener(costs);
      if (callLog != null) {
        callLog.addFields(costs);
      }
      web.cost(costs::costOf);
    }

    if (config.get(ConfigKeys.FEEDBACK_ENABLED)) {
      FeedbackService feedback =
          new FeedbackService(
              feedbackSettings(config),
              metrics.registry(),
              prefix,
              log,
              logSettings.redactor(),
              // After the calls already queued: a feedback sent right after its call finds it.
              task ->
                  pipeline.submit(
                      () -> {
                        task.run();
                        return null;
                      }),
              System::currentTimeMillis,
              failure -> metrics.agentError("feedback"));
      pipeline.addListener(feedback);
      alerting.satisfaction(feedback::lowestSatisfaction);
      if (drift != null) {
        feedback.addListener(new SatisfactionDrift(drift));
      }
      web.feedback(feedback);
    }

    if (drift != null) {
      web.driftRelearn(
          signal -> relearn(drift, signal, pipeline, log),
          config.get(ConfigKeys.DRIFT_RELEARN_TOKEN));
    }

    AgentWeb built = web.build();
    if (built.callListener() != null) {
      pipeline.addListener(built.callListener());
    }
    return built.handler();
  }

  /**
   * {@code POST /drift/relearn}: asks for the re-learning, carried out on the pipeline's thread
   * right away (not only at the next call), and logs it.
   */
  private static void relearn(
      DriftMonitor drift, DriftSignal signal, CallPipeline pipeline, StructuredLog log) {
    if (signal == null) {
      drift.relearn();
    } else {
      drift.relearn(signal);
    }
    pipeline.submit(
        () -> {
          drift.applyRelearn();
          return null;
        });
    log.emit(
        log.event(
                StructuredLog.DRIFT,
                StructuredLog.INFO,
                "drift baseline re-learn requested over HTTP")
            .put("action", "relearn")
            .put("signal", signal == null ? "all" : signal.label())
            .put("warmup", drift.settings().warmup(signal == null ? DriftSignal.LATENCY : signal)));
  }

  private static FeedbackSettings feedbackSettings(AgentConfig config) {
    return FeedbackSettings.builder()
        .token(config.get(ConfigKeys.FEEDBACK_TOKEN))
        .maxCalls(config.get(ConfigKeys.FEEDBACK_MAX_CALLS))
        .maxAge(config.get(ConfigKeys.FEEDBACK_MAX_AGE))
        .window(config.get(ConfigKeys.FEEDBACK_WINDOW))
        .minCount(config.get(ConfigKeys.FEEDBACK_MIN_COUNT))
        .build();
  }

  /** The bundled prices, overridden and extended by the file; its problems are reported once. */
  private static PriceTable prices(Path file) {
    PriceTable defaults = PriceTable.defaults();
    if (file == null) {
      return defaults;
    }
    String key = ConfigKeys.COST_PRICES_FILE.name() + "=" + file;
    List<String> problems = new ArrayList<>();
    try {
      PriceTable table = defaults.with(PriceTable.read(file, problems));
      for (String problem : problems) {
        AgentLog.warn(key + ": " + problem);
      }
      return table;
    } catch (IOException | IllegalArgumentException unreadable) {
      AgentLog.warn(
          key
              + " cannot be used ("
              + (unreadable instanceof NoSuchFileException ? "no such file" : unreadable)
              + "); the bundled prices apply. Accepted: a JSON object from model name to"
              + " {\"input_per_million\": ..., \"output_per_million\": ...} in US dollars.");
      return defaults;
    }
  }
}
