package dev.taskmaster.agent.alerting;

import dev.taskmaster.agent.core.CallListener;
import dev.taskmaster.agent.drift.DriftMonitor;
import dev.taskmaster.agent.logging.StructuredLog;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.DoubleSupplier;

/**
 * Alerting put together, for the agent's installer: the call window and model availability fed by
 * the call pipeline, the engine with the product's six rules (and the drift rules once {@link
 * #drift} names the drift detector), and the notifiers the settings ask for (the log notifier
 * always).
 *
 * <pre>{@code
 * AlertingRuntime alerting =
 *     AlertingRuntime.create(alertSettings, notifierSettings, serviceName, failuresBeforeDown,
 *         registry, prefix, structuredLog, failure -> metrics.agentError("alerting"));
 * alerting.callListeners().forEach(pipeline::addListener);
 * alerting.drift(driftMonitor);
 * new HealthProbe(healthSettings, up -> { ...; alerting.availability().onResult(up); }).start();
 * alerting.start();
 * // shutdown hook:
 * alerting.shutdown(Duration.ofSeconds(2));
 * }</pre>
 */
public final class AlertingRuntime {

  private final AlertSettings settings;
  private final CallWindow window;
  private final ModelAvailability availability;
  private final AlertEngine engine;
  private final AlertMetrics metrics;
  private final String metricPrefix;
  private final AtomicReference<DoubleSupplier> qualityScore =
      new AtomicReference<>(() -> Double.NaN);
  private final AtomicReference<DoubleSupplier> satisfaction =
      new AtomicReference<>(() -> Double.NaN);

  private AlertingRuntime(
      AlertSettings settings,
      CallWindow window,
      ModelAvailability availability,
      AlertEngine engine,
      AlertMetrics metrics,
      String metricPrefix) {
    this.settings = settings;
    this.metricPrefix = metricPrefix;
    this.window = window;
    this.availability = availability;
    this.engine = engine;
    this.metrics = metrics;
  }

  /**
   * Registers the alerting metrics, the six rules and the configured notifiers; nothing runs until
   * {@link #start()}.
   *
   * @param failuresBeforeDown consecutive failed calls after which a model counts as down
   * @param metricPrefix metric name prefix, without a trailing underscore
   * @param failures counts an exception of a condition or notifier
   */
  public static AlertingRuntime create(
      AlertSettings alertSettings,
      NotifierSettings notifierSettings,
      String serviceName,
      int failuresBeforeDown,
      PrometheusRegistry registry,
      String metricPrefix,
      StructuredLog log,
      Consumer<Throwable> failures) {
    AlertMetrics metrics = new AlertMetrics(registry, metricPrefix);
    CallWindow window = new CallWindow(alertSettings.longestWindow());
    ModelAvailability availability = new ModelAvailability(failuresBeforeDown);
    AlertEngine engine =
        new AlertEngine(alertSettings, metrics, serviceName, Clock.systemUTC(), failures);
    AlertingRuntime runtime =
        new AlertingRuntime(alertSettings, window, availability, engine, metrics, metricPrefix);
    if (alertSettings.enabled()) {
      TaskMasterRules.register(
          engine,
          alertSettings,
          metricPrefix,
          window,
          availability,
          () -> runtime.qualityScore.get().getAsDouble(),
          () -> runtime.satisfaction.get().getAsDouble());
    }
    engine.addNotifier(new LogNotifier(log));
    if (notifierSettings.webhookUrl() != null) {
      engine.addNotifier(new WebhookNotifier(notifierSettings, metrics, metricPrefix));
    }
    if (notifierSettings.slackUrl() != null) {
      engine.addNotifier(new SlackNotifier(notifierSettings, metrics, metricPrefix));
    }
    if (!notifierSettings.alertmanagerUrls().isEmpty()) {
      engine.addNotifier(
          new AlertmanagerNotifier(
              notifierSettings, alertSettings.interval(), metrics, metricPrefix));
    }
    return runtime;
  }

  /** Listeners to add to the call pipeline; none when alerting is off. */
  public List<CallListener> callListeners() {
    return settings.enabled() ? List.of(window, availability) : List.of();
  }

  /** Receives the health probe's results. */
  public ModelAvailability availability() {
    return availability;
  }

  /** The engine, to register more rules (drift, satisfaction) and notifiers. */
  public AlertEngine engine() {
    return engine;
  }

  /** The metrics, for notifiers added later. */
  public AlertMetrics metrics() {
    return metrics;
  }

  /** Where {@code TaskMasterQualityDrift} reads the current score (0 to 1, NaN when none). */
  public void qualityScore(DoubleSupplier score) {
    qualityScore.set(score);
  }

  /**
   * Where {@code TaskMasterLowSatisfaction} reads the lowest satisfaction (0 to 1, NaN when there
   * is not enough feedback).
   */
  public void satisfaction(DoubleSupplier lowest) {
    satisfaction.set(lowest);
  }

  /**
   * Registers the drift rules, two per signal, over the drift detector's state; call it before
   * {@link #start()}. Nothing happens when alerting is off.
   */
  public void drift(DriftMonitor monitor) {
    if (settings.enabled()) {
      TaskMasterRules.registerDrift(
          engine, settings, metricPrefix, monitor::status, monitor::score);
    }
  }

  /** Starts evaluating, unless {@code alerting.enabled=false}. */
  public void start() {
    if (settings.enabled()) {
      engine.start();
    }
  }

  /** Stops evaluating and gives queued notifications at most {@code timeout}. */
  public void shutdown(Duration timeout) {
    engine.stop(timeout);
  }
}
