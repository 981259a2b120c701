package dev.taskmaster.agent;

import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import dev.taskmaster.agent.alerting.AlertingRuntime;
import dev.taskmaster.agent.alerting.HealthProbe;
import dev.taskmaster.agent.alerting.HealthSettings;
import dev.taskmaster.agent.bootstrap.TaskMasterBridge;
import dev.taskmaster.agent.config.AgentConfig;
import dev.taskmaster.agent.config.ConfigKeys;
import dev.taskmaster.agent.config.ConfigLoader;
import dev.taskmaster.agent.config.InterceptionSpec;
import dev.taskmaster.agent.core.CallListener;
import dev.taskmaster.agent.core.CallPipeline;
import dev.taskmaster.agent.core.CallRecorder;
import dev.taskmaster.agent.drift.DriftMonitor;
import dev.taskmaster.agent.export.ExporterSecurity;
import dev.taskmaster.agent.export.MetricsExporter;
import dev.taskmaster.agent.http.EndpointMatcher;
import dev.taskmaster.agent.httpcall.HttpCallRecorder;
import dev.taskmaster.agent.instrumentation.ClientInstrumentation;
import dev.taskmaster.agent.instrumentation.HookIds;
import dev.taskmaster.agent.instrumentation.InterceptionTransformer;
import dev.taskmaster.agent.instrumentation.MethodSelector;
import dev.taskmaster.agent.instrumentation.apache.ApacheHttpClientHook;
import dev.taskmaster.agent.instrumentation.jdkhttp.JdkHttpClientHook;
import dev.taskmaster.agent.instrumentation.okhttp.OkHttpHook;
import dev.taskmaster.agent.instrumentation.urlconnection.UrlConnectionHook;
import dev.taskmaster.agent.logging.CallLogListener;
import dev.taskmaster.agent.logging.LogSettings;
import dev.taskmaster.agent.logging.StructuredLog;
import dev.taskmaster.agent.metrics.LlmMetrics;
import dev.taskmaster.agent.metrics.ModelLabelLimiter;
import dev.taskmaster.agent.quality.CallScorer;
import dev.taskmaster.agent.quality.QualityLogFields;
import dev.taskmaster.agent.util.AgentLog;
import io.prometheus.metrics.config.PrometheusProperties;
import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.lang.instrument.Instrumentation;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Wires the agent together. Kept apart from {@link TaskMasterAgent}: this class refers to the
 * bridge classes, so it may only be loaded once they are defined in the bootstrap class loader.
 */
final class AgentInstaller {

  private static final int CALL_QUEUE_CAPACITY = 10_000;

  /**
   * How long a request to the agent's port waits at most for the background thread to finish the
   * calls that ended before it: that thread otherwise looks at its queue up to every 50 ms.
   */
  private static final long REQUEST_CATCH_UP_MILLIS = 100;

  private final AgentConfig config;
  private final Instrumentation instrumentation;
  private volatile LlmMetrics metrics;
  private final Supplier<LlmMetrics> metricsSupplier = new MetricsSupplier(this);
  private CallPipeline pipeline;
  private InterceptionTransformer transformer;

  private AgentInstaller(AgentConfig config, Instrumentation instrumentation) {
    this.config = config;
    this.instrumentation = instrumentation;
  }

  static void install(String agentArgs, Instrumentation instrumentation) throws Exception {
    AgentConfig config = ConfigLoader.load(agentArgs);
    if (TaskMasterBridge.isInstalled()) {
      AgentLog.info("the agent is already running in this JVM; this attach changes nothing");
      return;
    }
    AgentInstaller installer = new AgentInstaller(config, instrumentation);
    List<InterceptionSpec> specs = config.interceptions();
    CallPipeline pipeline =
        new CallPipeline(CALL_QUEUE_CAPACITY, new ErrorCounter(installer, "pipeline"));
    CallRecorder recorder = new CallRecorder(specs, installer.metricsSupplier, pipeline);
    List<ClientInstrumentation> clientMethods = new ArrayList<>();
    if (config.get(ConfigKeys.HTTP_ENABLED)) {
      installer.installHttpHooks(instrumentation, recorder, pipeline, clientMethods);
    }
    TaskMasterBridge.install(recorder);
    markRunning();
    installer.transformer =
        InterceptionTransformer.install(
            instrumentation,
            selectors(specs),
            clientMethods,
            new ErrorCounter(installer, "transform"));
    installer.pipeline = pipeline;
    pipeline.start(new Startup(installer));
  }

  /** Tells {@code attach}, through the attach API, that this JVM runs the agent already. */
  private static void markRunning() {
    try {
      System.setProperty(TaskMasterAgent.RUNNING_PROPERTY, TaskMasterAgent.version());
    } catch (SecurityException refused) {
      // A security manager said no: a second attach is still harmless, only less clearly told.
    }
  }

  private void installHttpHooks(
      Instrumentation instrumentation,
      CallRecorder recorder,
      CallPipeline pipeline,
      List<ClientInstrumentation> clientMethods) {
    Set<String> clients = new HashSet<>(config.get(ConfigKeys.HTTP_CLIENTS));
    HttpCallRecorder http =
        new HttpCallRecorder(
            EndpointMatcher.parse(String.join(",", config.get(ConfigKeys.HTTP_ENDPOINTS))),
            clients,
            metricsSupplier,
            pipeline,
            config.get(ConfigKeys.HTTP_CAPTURE_MAX_BYTES));
    if (clients.contains("jdk")) {
      // Advice inlined into java.net.http calls the bridge, which is in the bootstrap loader's
      // unnamed module: the named module must be allowed to read it.
      Module bridge = TaskMasterBridge.class.getModule();
      Optional<Module> javaNetHttp = ModuleLayer.boot().findModule("java.net.http");
      if (javaNetHttp.isPresent()) {
        instrumentation.redefineModule(
            javaNetHttp.get(), Set.of(bridge), Map.of(), Map.of(), Set.of(), Map.of());
      }
      recorder.registerHook(HookIds.JDK_HTTP_SEND, new JdkHttpClientHook(http));
      clientMethods.add(JdkHttpClientHook.SEND_ASYNC);
    }
    if (clients.contains("urlconnection")) {
      // Advice inlined into java.base calls the bridge: java.base must read the bridge's module.
      instrumentation.redefineModule(
          Object.class.getModule(),
          Set.of(TaskMasterBridge.class.getModule()),
          Map.of(),
          Map.of(),
          Set.of(),
          Map.of());
      UrlConnectionHook urlConnection =
          new UrlConnectionHook(http, new JavaBaseOpener(instrumentation));
      for (int id = HookIds.URLCONNECTION_SEND; id <= HookIds.URLCONNECTION_CLOSE; id++) {
        recorder.registerHook(id, urlConnection.hook(id));
      }
      recorder.registerHook(
          HookIds.URLCONNECTION_CONNECT_FAILED,
          urlConnection.hook(HookIds.URLCONNECTION_CONNECT_FAILED));
      clientMethods.addAll(UrlConnectionHook.INSTRUMENTATIONS);
    }
    if (clients.contains("apache")) {
      ApacheHttpClientHook apache = new ApacheHttpClientHook(http);
      for (int id = HookIds.APACHE_EXCHANGE; id <= HookIds.APACHE_CLOSE; id++) {
        recorder.registerHook(id, apache.hook(id));
      }
      recorder.registerHook(HookIds.APACHE_CLOSING, apache.hook(HookIds.APACHE_CLOSING));
      clientMethods.addAll(ApacheHttpClientHook.INSTRUMENTATIONS);
    }
    if (clients.contains("okhttp")) {
      OkHttpHook okhttp = new OkHttpHook(http, recorder);
      for (int id = HookIds.OKHTTP_CALL; id <= HookIds.OKHTTP_BODY_CLOSE; id++) {
        recorder.registerHook(id, okhttp.hook(id));
      }
      clientMethods.addAll(OkHttpHook.INSTRUMENTATIONS);
    }
  }

  // Named classes rather than lambdas on the premain path: the first lambda in a JVM boots the
  // lambda machinery, which every application would pay for at start-up.

  /**
   * Opens the {@code java.base} packages that the URL connection hook reads the response head from.
   * Run at its first use, not in premain: opening a package boots the JDK's lambda machinery.
   */
  private static final class JavaBaseOpener implements Runnable {
    private final Instrumentation instrumentation;

    JavaBaseOpener(Instrumentation instrumentation) {
      this.instrumentation = instrumentation;
    }

    @Override
    public void run() {
      Module agent = AgentInstaller.class.getModule();
      Map<String, Set<Module>> opens = new HashMap<>();
      for (String name : UrlConnectionHook.PACKAGES) {
        opens.put(name, Set.of(agent));
      }
      instrumentation.redefineModule(
          Object.class.getModule(), Set.of(), Map.of(), opens, Set.of(), Map.of());
    }
  }

  /** Hands out the metrics, creating them on first use. */
  private static final class MetricsSupplier implements Supplier<LlmMetrics> {
    private final AgentInstaller installer;

    MetricsSupplier(AgentInstaller installer) {
      this.installer = installer;
    }

    @Override
    public LlmMetrics get() {
      return installer.metrics();
    }
  }

  /** Counts a swallowed failure under one component. */
  private static final class ErrorCounter implements Consumer<Throwable> {
    private final AgentInstaller installer;
    private final String component;

    ErrorCounter(AgentInstaller installer, String component) {
      this.installer = installer;
      this.component = component;
    }

    @Override
    public void accept(Throwable failure) {
      AgentLog.debug(component + " failed: " + failure);
      installer.metrics().agentError(component);
    }
  }

  /** Starts the background components on the pipeline's thread. */
  private static final class Startup implements Runnable {
    private final AgentInstaller installer;

    Startup(AgentInstaller installer) {
      this.installer = installer;
    }

    @Override
    public void run() {
      installer.startInBackground();
    }
  }

  private static List<MethodSelector> selectors(List<InterceptionSpec> specs) {
    List<MethodSelector> selectors = new ArrayList<>(specs.size());
    for (InterceptionSpec spec : specs) {
      selectors.add(
          spec == null
              ? null
              : new MethodSelector(
                  "intercept." + spec.name(),
                  spec.className(),
                  spec.methodName(),
                  spec.parameterTypes()));
    }
    return selectors;
  }

  /**
   * Runs on the pipeline's thread before it processes the first call: everything the application's
   * threads never wait for.
   */
  private void startInBackground() {
    LlmMetrics created = metrics();
    PrometheusRegistry registry = created.registry();
    String prefix = config.metricsPrefix();
    CounterWithCallback.builder(PrometheusProperties.builder().build())
        .name(prefix + "_calls_unprocessed")
        .help(
            "Finished model calls that skipped the call log, quality, drift and alerting because"
                + " the agent's queue was full; their requests, errors and tokens are counted.")
        .callback(callback -> callback.call(pipeline.dropped()))
        .register(registry);
    LogSettings logSettings = ComponentSettings.log(config);
    StructuredLog log = new StructuredLog(logSettings, registry, prefix);
    CallLogListener callLog = null;
    if (log.enabled()) {
      callLog = new CallLogListener(log, logSettings, failure -> created.agentError("log"));
      pipeline.addListener(callLog);
    }
    AlertingRuntime alerting =
        AlertingRuntime.create(
            ComponentSettings.alerts(config),
            ComponentSettings.notifiers(config),
            config.serviceName(),
            config.healthFailureThreshold(),
            registry,
            prefix,
            log,
            failure -> created.agentError("alerting"));
    for (CallListener listener : alerting.callListeners()) {
      pipeline.addListener(listener);
    }
    // One scoring per call for the quality monitor and the call log, whichever sees it first.
    CallScorer scorer =
        config.get(ConfigKeys.QUALITY_ENABLED)
            ? new CallScorer(ComponentSettings.quality(config))
            : null;
    DriftMonitor drift =
        QualityDriftInstaller.install(
            config,
            pipeline,
            registry,
            prefix,
            scorer,
            log,
            failure -> created.agentError("drift"));
    if (drift != null) {
      alerting.drift(drift);
    }
    if (callLog != null && scorer != null) {
      callLog.addFields(new QualityLogFields(scorer));
    }
    alerting.qualityScore(new LowestQualityScore(registry, prefix));
    HttpHandler web =
        CostFeedbackInstaller.install(
            config,
            created,
            log,
            logSettings,
            callLog,
            alerting,
            drift,
            pipeline,
            transformer::matchedClasses);
    if (config.exporterEnabled()) {
      startExporter(registry, web);
    }
    HealthSettings healthSettings = ComponentSettings.health(config);
    HealthProbe probe = null;
    if (healthSettings != null) {
      String probedModel = config.get(ConfigKeys.HEALTH_MODEL);
      probe =
          new HealthProbe(
              healthSettings,
              up -> {
                created.probeResult(probedModel, up);
                alerting.availability().onResult(up);
              });
      probe.start();
    }
    alerting.start();
    HealthProbe startedProbe = probe;
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> shutDown(log, alerting, startedProbe, logSettings.shutdownTimeout()),
                "taskmaster-shutdown"));
  }

  /** Starts the exporter, unless its authentication or TLS settings cannot be honoured. */
  private void startExporter(PrometheusRegistry registry, HttpHandler web) {
    ExporterSecurity security;
    try {
      security = ExporterSecurity.load(config);
    } catch (ExporterSecurity.Refused refused) {
      AgentLog.error(refused.getMessage());
      return;
    }
    openJdkServerToAgent();
    MetricsExporter.start(
        config.exporterHost(),
        config.exporterPort(),
        config.exporterPortFile(),
        registry,
        web,
        security,
        () -> pipeline.awaitSubmitted(REQUEST_CATCH_UP_MILLIS));
  }

  /**
   * Opens the JDK HTTP server's internal package to the agent alone, so that the exporter can reach
   * its connections' sockets (see {@link MetricsExporter#JDK_SERVER_PACKAGE}). Done here, on the
   * background thread: opening a package boots the JDK's lambda machinery.
   */
  private void openJdkServerToAgent() {
    try {
      instrumentation.redefineModule(
          HttpServer.class.getModule(),
          Set.of(),
          Map.of(),
          Map.of(MetricsExporter.JDK_SERVER_PACKAGE, Set.of(AgentInstaller.class.getModule())),
          Set.of(),
          Map.of());
    } catch (RuntimeException refused) {
      // The exporter still works; it says at DEBUG that its connections keep Nagle's algorithm.
      AgentLog.debug(
          "cannot open " + MetricsExporter.JDK_SERVER_PACKAGE + " to the agent: " + refused);
    }
  }

  /** At JVM shutdown: finish the queued calls, then the alerts, then the log, all time-bounded. */
  private void shutDown(
      StructuredLog log, AlertingRuntime alerting, HealthProbe probe, Duration timeout) {
    try {
      warnAboutInterceptionsThatMatchedNothing();
      if (probe != null) {
        probe.stop();
      }
      pipeline.awaitEmpty(timeout.toMillis());
      alerting.shutdown(timeout);
      log.shutdown(timeout);
    } catch (Throwable ignored) {
      // The JVM is going down; nothing may delay or disturb it.
    }
  }

  /**
   * A class name that never loaded cannot be told from one that loads later, so this is said once
   * the JVM is done: at shutdown.
   */
  private void warnAboutInterceptionsThatMatchedNothing() {
    for (InterceptionSpec spec : config.interceptions()) {
      if (spec != null && transformer.matchedClasses(spec.id()) == 0) {
        AgentLog.warn(
            "intercept."
                + spec.name()
                + ".class="
                + spec.className()
                + ": no class of that name, nor any implementation of it, was loaded while the"
                + " JVM ran, so nothing was intercepted. Accepted: the fully qualified name of a"
                + " class or interface the application loads (nested classes with $).");
      }
    }
  }

  /** The metrics, created by whichever thread needs them first. */
  LlmMetrics metrics() {
    LlmMetrics current = metrics;
    if (current == null) {
      synchronized (this) {
        current = metrics;
        if (current == null) {
          current =
              new LlmMetrics(
                  config.metricsPrefix(),
                  new ModelLabelLimiter(config.maxModels(), "metrics.max-models"),
                  config.healthFailureThreshold(),
                  config.serviceName(),
                  TaskMasterAgent.version());
          metrics = current;
        }
      }
    }
    return current;
  }
}
