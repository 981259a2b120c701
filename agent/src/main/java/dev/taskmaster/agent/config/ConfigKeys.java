package dev.taskmaster.agent.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The registry of every known configuration key, in the order of the README table.
 *
 * <p>To add a key, declare one more constant here with {@link #add} and a {@link Setting} factory,
 * give it a Javadoc sentence, and read it with {@link AgentConfig#get(Setting)}; the loader, the
 * environment-variable mapping, the warnings and the README table all follow from the registry.
 *
 * <p>Besides these keys, any number of interception blocks {@code intercept.<name>.<field>} may be
 * set; their fields are listed by {@link #interceptionFields()}. The family {@code
 * drift.baseline.<signal>} ({@link #DRIFT_BASELINE_PREFIX}) sets one baseline value per drift
 * signal.
 */
public final class ConfigKeys {

  private static final List<Setting<?>> ALL = new ArrayList<>();

  /**
   * {@code config}: properties file to read settings from; when unset, {@code agent.properties} in
   * the working directory is read if it exists.
   */
  public static final Setting<Path> CONFIG =
      add(
          Setting.path(
              "config",
              "Properties file to read settings from; when unset, agent.properties in the"
                  + " working directory is read if it exists."));

  /** {@code service.name}: name of the monitored application, as shown in metrics and logs. */
  public static final Setting<String> SERVICE_NAME =
      add(
          Setting.string(
              "service.name",
              "taskmaster",
              "Name of the monitored application, as shown in metrics and logs."));

  /** {@code metrics.prefix}: prefix of every metric name the agent exports. */
  public static final Setting<String> METRICS_PREFIX =
      add(
          Setting.string(
              "metrics.prefix",
              "taskmaster",
              "[a-zA-Z_][a-zA-Z0-9_]*",
              "Prefix of every metric name the agent exports."));

  /**
   * {@code metrics.max-models}: most distinct values of the {@code model} label that are kept;
   * calls to further models are counted under {@code other}.
   */
  public static final Setting<Integer> METRICS_MAX_MODELS =
      add(
          Setting.integer(
              "metrics.max-models",
              50,
              1,
              10_000,
              "Most distinct values of the model label that are kept; calls to further models"
                  + " are counted under other."));

  /** {@code exporter.enabled}: whether the agent serves its metrics over HTTP. */
  public static final Setting<Boolean> EXPORTER_ENABLED =
      add(
          Setting.bool(
              "exporter.enabled",
              true,
              "Whether the agent serves its metrics over HTTP for Prometheus to scrape."));

  /** {@code exporter.host}: address the metrics endpoint listens on. */
  public static final Setting<String> EXPORTER_HOST =
      add(Setting.string("exporter.host", "0.0.0.0", "Address the metrics endpoint listens on."));

  /** {@code exporter.port}: port of the metrics endpoint; 0 picks a free port. */
  public static final Setting<Integer> EXPORTER_PORT =
      add(
          Setting.integer(
              "exporter.port",
              9470,
              0,
              65_535,
              "Port of the metrics endpoint; 0 picks a free port."));

  /**
   * {@code exporter.port.file}: file the agent writes the bound port number to, useful with port 0.
   */
  public static final Setting<Path> EXPORTER_PORT_FILE =
      add(
          Setting.path(
              "exporter.port.file",
              "File the agent writes the bound port number to, useful with exporter.port=0."));

  /**
   * {@code exporter.auth.user}: user name that the metrics port requires by HTTP basic
   * authentication, on every path but the health checks (see {@link #EXPORTER_AUTH_HEALTH_OPEN})
   * and, when {@link #FEEDBACK_TOKEN} is set, {@code POST /feedback}, which checks its own token;
   * needs exactly one of {@link #EXPORTER_AUTH_PASSWORD} and {@link #EXPORTER_AUTH_PASSWORD_FILE}.
   * Unset by default: no authentication.
   */
  public static final Setting<String> EXPORTER_AUTH_USER =
      add(
          Setting.string(
              "exporter.auth.user",
              null,
              "User name that the metrics port requires by HTTP basic authentication, on"
                  + " /metrics, the status page and every other path but /health and /-/healthy"
                  + " (see exporter.auth.health-open) and, when feedback.token is set, /feedback;"
                  + " set with exactly one of exporter.auth.password and"
                  + " exporter.auth.password.file, else the port stays closed."));

  /** {@code exporter.auth.password}: password of {@link #EXPORTER_AUTH_USER}. */
  public static final Setting<String> EXPORTER_AUTH_PASSWORD =
      add(
          Setting.string(
              "exporter.auth.password",
              null,
              "Password of exporter.auth.user; not together with exporter.auth.password.file."));

  /**
   * {@code exporter.auth.password.file}: file holding the password of {@link #EXPORTER_AUTH_USER};
   * line breaks at its end are ignored.
   */
  public static final Setting<Path> EXPORTER_AUTH_PASSWORD_FILE =
      add(
          Setting.path(
              "exporter.auth.password.file",
              "File holding the password of exporter.auth.user (line breaks at its end are"
                  + " ignored); not together with exporter.auth.password."));

  /**
   * {@code exporter.auth.health-open}: whether {@code /health} and {@code /-/healthy} answer
   * without credentials while basic authentication is on, for liveness probes.
   */
  public static final Setting<Boolean> EXPORTER_AUTH_HEALTH_OPEN =
      add(
          Setting.bool(
              "exporter.auth.health-open",
              true,
              "Whether /health and /-/healthy answer without credentials while"
                  + " exporter.auth.user is set, for liveness probes."));

  /**
   * {@code exporter.tls.keystore}: keystore holding the private key and certificate the metrics
   * port serves HTTPS with; unset by default: plain HTTP.
   */
  public static final Setting<Path> EXPORTER_TLS_KEYSTORE =
      add(
          Setting.path(
              "exporter.tls.keystore",
              "Keystore with the private key and certificate of the metrics port; when set, the"
                  + " port serves HTTPS only."));

  /** {@code exporter.tls.keystore.password}: password of the keystore and of its key. */
  public static final Setting<String> EXPORTER_TLS_KEYSTORE_PASSWORD =
      add(
          Setting.string(
              "exporter.tls.keystore.password",
              null,
              "Password of exporter.tls.keystore and of its key; not together with"
                  + " exporter.tls.keystore.password.file."));

  /**
   * {@code exporter.tls.keystore.password.file}: file holding the keystore's password; line breaks
   * at its end are ignored.
   */
  public static final Setting<Path> EXPORTER_TLS_KEYSTORE_PASSWORD_FILE =
      add(
          Setting.path(
              "exporter.tls.keystore.password.file",
              "File holding the password of exporter.tls.keystore (line breaks at its end are"
                  + " ignored); not together with exporter.tls.keystore.password."));

  /** {@code exporter.tls.keystore.type}: format of the keystore. */
  public static final Setting<String> EXPORTER_TLS_KEYSTORE_TYPE =
      add(
          Setting.oneOf(
              "exporter.tls.keystore.type",
              "pkcs12",
              List.of("pkcs12", "jks"),
              "Format of exporter.tls.keystore."));

  /** {@code log.level}: level of the agent's own diagnostic lines on standard error. */
  public static final Setting<String> LOG_LEVEL =
      add(
          Setting.oneOf(
              "log.level",
              "info",
              List.of("error", "warn", "info", "debug", "off"),
              "Level of the agent's own diagnostic lines on standard error."));

  /**
   * {@code health.failure-threshold}: consecutive failed calls after which a model's {@code
   * model_loaded} gauge drops to 0.
   */
  public static final Setting<Integer> HEALTH_FAILURE_THRESHOLD =
      add(
          Setting.integer(
              "health.failure-threshold",
              3,
              1,
              1_000,
              "Consecutive failed calls after which a model's model_loaded gauge drops to 0."));

  /** {@code http.enabled}: whether model calls are recognised on the wire by themselves. */
  public static final Setting<Boolean> HTTP_ENABLED =
      add(
          Setting.bool(
              "http.enabled",
              true,
              "Whether model calls made through the supported HTTP clients are recognised by"
                  + " their URL, without any interception block."));

  /** {@code http.clients}: which HTTP client libraries are followed. */
  public static final Setting<List<String>> HTTP_CLIENTS =
      add(
          Setting.list(
              "http.clients",
              List.of("jdk", "okhttp", "apache", "urlconnection"),
              "HTTP client libraries whose model calls are recognised: jdk (java.net.http),"
                  + " okhttp, apache (HttpClient 5 classic), urlconnection."));

  /**
   * {@code http.endpoints}: URL path endings that mark a model call; {@code *} matches one path
   * segment.
   */
  public static final Setting<List<String>> HTTP_ENDPOINTS =
      add(
          Setting.list(
              "http.endpoints",
              List.of(
                  "/v1/chat/completions",
                  "/v1/completions",
                  "/v1/responses",
                  "/v1/embeddings",
                  "/api/chat",
                  "/api/generate",
                  "/api/embed",
                  "/api/embeddings"),
              "URL path endings that mark a model call, any base path before them; * matches"
                  + " one path segment, e.g. /openai/deployments/*/chat/completions."));

  /** {@code http.capture.max-bytes}: largest response body the agent reads. */
  public static final Setting<Long> HTTP_CAPTURE_MAX_BYTES =
      add(
          Setting.longInteger(
              "http.capture.max-bytes",
              1L << 20,
              0,
              1L << 30,
              "Largest response body the agent reads; larger ones pass through unread and count"
                  + " as not parsed."));

  /** {@code log.destination}: where the agent writes its structured JSON lines. */
  public static final Setting<String> LOG_DESTINATION =
      add(
          Setting.oneOf(
              "log.destination",
              "stderr",
              List.of("stderr", "stdout", "file", "none"),
              "Where the structured JSON log lines go: stderr, stdout, file (see log.file) or"
                  + " none."));

  /** {@code log.file}: file the JSON lines are written to when log.destination is file. */
  public static final Setting<String> LOG_FILE =
      add(
          Setting.string(
              "log.file",
              "taskmaster-agent.log",
              "File the JSON lines are written to when log.destination is file."));

  /** {@code log.file.max-bytes}: size at which the log file is rotated. */
  public static final Setting<Long> LOG_FILE_MAX_BYTES =
      add(
          Setting.longInteger(
              "log.file.max-bytes",
              10L * 1024 * 1024,
              1024,
              Long.MAX_VALUE,
              "Size at which the log file is rotated."));

  /** {@code log.file.keep}: rotated log files kept; 0 starts the file afresh instead. */
  public static final Setting<Integer> LOG_FILE_KEEP =
      add(
          Setting.integer(
              "log.file.keep",
              5,
              0,
              100,
              "Rotated log files kept; 0 starts the file afresh instead."));

  /**
   * {@code log.queue.capacity}: log lines that may wait for the writer; past that lines are dropped
   * and counted.
   */
  public static final Setting<Integer> LOG_QUEUE_CAPACITY =
      add(
          Setting.integer(
              "log.queue.capacity",
              8192,
              16,
              1_000_000,
              "Log lines that may wait for the writer; past that lines are dropped and counted."));

  /**
   * {@code log.shutdown.timeout}: how long the agent waits at JVM shutdown to write the lines still
   * queued.
   */
  public static final Setting<Duration> LOG_SHUTDOWN_TIMEOUT =
      add(
          Setting.duration(
              "log.shutdown.timeout",
              Duration.ofSeconds(2),
              Duration.ZERO,
              Duration.ofMinutes(1),
              "How long the agent waits at JVM shutdown to write the lines still queued."));

  /**
   * {@code capture.content}: whether prompt and response text are written to the log (redacted
   * first).
   */
  public static final Setting<Boolean> CAPTURE_CONTENT =
      add(
          Setting.bool(
              "capture.content",
              false,
              "Whether prompt and response text are written to the log (redacted first)."));

  /**
   * {@code capture.redact}: extra regular expressions whose matches are replaced in captured text
   * before it is written.
   */
  public static final Setting<List<String>> CAPTURE_REDACT =
      add(
          Setting.list(
              "capture.redact",
              List.of(),
              "Extra regular expressions whose matches are replaced in captured text before it is written."));

  /**
   * {@code capture.redact.defaults}: whether the built-in patterns (API keys, bearer tokens, e-mail
   * addresses) are applied.
   */
  public static final Setting<Boolean> CAPTURE_REDACT_DEFAULTS =
      add(
          Setting.bool(
              "capture.redact.defaults",
              true,
              "Whether the built-in patterns (API keys, bearer tokens, e-mail addresses) are applied."));

  /**
   * {@code capture.max-chars}: captured prompt or response text is cut after this many characters.
   */
  public static final Setting<Integer> CAPTURE_MAX_CHARS =
      add(
          Setting.integer(
              "capture.max-chars",
              4096,
              16,
              1_000_000,
              "Captured prompt or response text is cut after this many characters."));

  /** {@code alerting.enabled}: whether the agent evaluates its alert rules in the JVM. */
  public static final Setting<Boolean> ALERTING_ENABLED =
      add(
          Setting.bool(
              "alerting.enabled", true, "Whether the agent evaluates its alert rules in the JVM."));

  /** {@code alerting.interval}: time between two evaluations of the alert rules. */
  public static final Setting<Duration> ALERTING_INTERVAL =
      add(
          Setting.duration(
              "alerting.interval",
              Duration.ofSeconds(15),
              Duration.ofSeconds(1),
              Duration.ofMinutes(10),
              "Time between two evaluations of the alert rules."));

  /** {@code alerting.latency.quantile}: latency quantile that TaskMasterHighLatency watches. */
  public static final Setting<Double> ALERTING_LATENCY_QUANTILE =
      add(
          Setting.decimal(
              "alerting.latency.quantile",
              0.95,
              0.5,
              0.999,
              "Latency quantile that TaskMasterHighLatency watches."));

  /** {@code alerting.latency.threshold}: latency above which TaskMasterHighLatency holds. */
  public static final Setting<Duration> ALERTING_LATENCY_THRESHOLD =
      add(
          Setting.duration(
              "alerting.latency.threshold",
              Duration.ofSeconds(2),
              Duration.ofMillis(1),
              Duration.ofHours(1),
              "Latency above which TaskMasterHighLatency holds."));

  /** {@code alerting.latency.window}: window over which the latency quantile is computed. */
  public static final Setting<Duration> ALERTING_LATENCY_WINDOW =
      add(
          Setting.duration(
              "alerting.latency.window",
              Duration.ofMinutes(5),
              Duration.ofSeconds(10),
              Duration.ofHours(1),
              "Window over which the latency quantile is computed."));

  /**
   * {@code alerting.latency.for}: how long the latency condition must hold before
   * TaskMasterHighLatency fires.
   */
  public static final Setting<Duration> ALERTING_LATENCY_FOR =
      add(
          Setting.duration(
              "alerting.latency.for",
              Duration.ofMinutes(5),
              Duration.ZERO,
              Duration.ofHours(24),
              "How long the latency condition must hold before TaskMasterHighLatency fires."));

  /**
   * {@code alerting.error-rate.threshold}: error ratio above which TaskMasterHighErrorRate holds.
   */
  public static final Setting<Double> ALERTING_ERROR_RATE_THRESHOLD =
      add(
          Setting.decimal(
              "alerting.error-rate.threshold",
              0.05,
              0.0,
              1.0,
              "Error ratio above which TaskMasterHighErrorRate holds."));

  /** {@code alerting.error-rate.window}: window over which the error ratio is computed. */
  public static final Setting<Duration> ALERTING_ERROR_RATE_WINDOW =
      add(
          Setting.duration(
              "alerting.error-rate.window",
              Duration.ofMinutes(5),
              Duration.ofSeconds(10),
              Duration.ofHours(1),
              "Window over which the error ratio is computed."));

  /**
   * {@code alerting.error-rate.for}: how long the error ratio must stay high before
   * TaskMasterHighErrorRate fires.
   */
  public static final Setting<Duration> ALERTING_ERROR_RATE_FOR =
      add(
          Setting.duration(
              "alerting.error-rate.for",
              Duration.ofMinutes(2),
              Duration.ZERO,
              Duration.ofHours(24),
              "How long the error ratio must stay high before TaskMasterHighErrorRate fires."));

  /**
   * {@code alerting.model-down.for}: how long a model must be down before TaskMasterModelDown
   * fires.
   */
  public static final Setting<Duration> ALERTING_MODEL_DOWN_FOR =
      add(
          Setting.duration(
              "alerting.model-down.for",
              Duration.ofMinutes(1),
              Duration.ZERO,
              Duration.ofHours(24),
              "How long a model must be down before TaskMasterModelDown fires."));

  /** {@code alerting.quality.threshold}: quality score below which TaskMasterQualityDrift holds. */
  public static final Setting<Double> ALERTING_QUALITY_THRESHOLD =
      add(
          Setting.decimal(
              "alerting.quality.threshold",
              0.7,
              0.0,
              1.0,
              "Quality score below which TaskMasterQualityDrift holds."));

  /**
   * {@code alerting.quality.for}: how long quality must stay low before TaskMasterQualityDrift
   * fires.
   */
  public static final Setting<Duration> ALERTING_QUALITY_FOR =
      add(
          Setting.duration(
              "alerting.quality.for",
              Duration.ofMinutes(15),
              Duration.ZERO,
              Duration.ofHours(24),
              "How long quality must stay low before TaskMasterQualityDrift fires."));

  /**
   * {@code alerting.satisfaction.threshold}: user satisfaction (the mean feedback score) below
   * which TaskMasterLowSatisfaction holds.
   */
  public static final Setting<Double> ALERTING_SATISFACTION_THRESHOLD =
      add(
          Setting.decimal(
              "alerting.satisfaction.threshold",
              0.6,
              0.0,
              1.0,
              "User satisfaction (mean feedback score, 0 to 1) below which"
                  + " TaskMasterLowSatisfaction holds."));

  /**
   * {@code alerting.satisfaction.for}: how long satisfaction must stay low before
   * TaskMasterLowSatisfaction fires.
   */
  public static final Setting<Duration> ALERTING_SATISFACTION_FOR =
      add(
          Setting.duration(
              "alerting.satisfaction.for",
              Duration.ofMinutes(15),
              Duration.ZERO,
              Duration.ofHours(24),
              "How long satisfaction must stay low before TaskMasterLowSatisfaction fires."));

  /** {@code alerting.no-requests.window}: silence after which TaskMasterNoRequests holds. */
  public static final Setting<Duration> ALERTING_NO_REQUESTS_WINDOW =
      add(
          Setting.duration(
              "alerting.no-requests.window",
              Duration.ofMinutes(10),
              Duration.ofSeconds(10),
              Duration.ofHours(24),
              "Silence after which TaskMasterNoRequests holds."));

  /**
   * {@code alerting.no-requests.for}: how long the silence must last before TaskMasterNoRequests
   * fires.
   */
  public static final Setting<Duration> ALERTING_NO_REQUESTS_FOR =
      add(
          Setting.duration(
              "alerting.no-requests.for",
              Duration.ofMinutes(10),
              Duration.ZERO,
              Duration.ofHours(24),
              "How long the silence must last before TaskMasterNoRequests fires."));

  /** {@code alerting.disabled}: alert rules that are neither evaluated nor generated, by name. */
  public static final Setting<List<String>> ALERTING_DISABLED =
      add(
          Setting.list(
              "alerting.disabled",
              List.of(),
              "Alert rules that are neither evaluated nor generated, by name."));

  /**
   * {@code alerting.labels}: labels added to every alert, in the JVM and in the generated rules, as
   * name:value.
   */
  public static final Setting<List<String>> ALERTING_LABELS =
      add(
          Setting.list(
              "alerting.labels",
              List.of(),
              "Labels added to every alert, in the JVM and in the generated rules, as name:value."));

  /**
   * {@code alerting.instance}: the instance label of the agent's own alerts; the host name when
   * unset.
   */
  public static final Setting<String> ALERTING_INSTANCE =
      add(
          Setting.string(
              "alerting.instance",
              null,
              "The instance label of the agent's own alerts; the host name when unset."));

  /** {@code alerting.webhook.url}: uRL that receives every alert and resolution as a JSON POST. */
  public static final Setting<String> ALERTING_WEBHOOK_URL =
      add(
          Setting.string(
              "alerting.webhook.url",
              null,
              "URL that receives every alert and resolution as a JSON POST."));

  /** {@code alerting.webhook.headers}: headers sent to the webhook, as Name: value. */
  public static final Setting<List<String>> ALERTING_WEBHOOK_HEADERS =
      add(
          Setting.list(
              "alerting.webhook.headers",
              List.of(),
              "Headers sent to the webhook, as Name: value."));

  /**
   * {@code alerting.slack.url}: slack incoming-webhook URL that receives alerts and resolutions.
   */
  public static final Setting<String> ALERTING_SLACK_URL =
      add(
          Setting.string(
              "alerting.slack.url",
              null,
              "Slack incoming-webhook URL that receives alerts and resolutions."));

  /**
   * {@code alerting.alertmanager.url}: alertmanager base URLs; alerts go to their /api/v2/alerts.
   */
  public static final Setting<List<String>> ALERTING_ALERTMANAGER_URL =
      add(
          Setting.list(
              "alerting.alertmanager.url",
              List.of(),
              "Alertmanager base URLs; alerts go to their /api/v2/alerts."));

  /** {@code alerting.alertmanager.headers}: headers sent to Alertmanager, as Name: value. */
  public static final Setting<List<String>> ALERTING_ALERTMANAGER_HEADERS =
      add(
          Setting.list(
              "alerting.alertmanager.headers",
              List.of(),
              "Headers sent to Alertmanager, as Name: value."));

  /**
   * {@code alerting.alertmanager.resend-interval}: how often firing alerts are sent to Alertmanager
   * again.
   */
  public static final Setting<Duration> ALERTING_ALERTMANAGER_RESEND_INTERVAL =
      add(
          Setting.duration(
              "alerting.alertmanager.resend-interval",
              Duration.ofMinutes(1),
              Duration.ofSeconds(1),
              Duration.ofHours(1),
              "How often firing alerts are sent to Alertmanager again."));

  /** {@code alerting.notify.timeout}: time limit of one notification request. */
  public static final Setting<Duration> ALERTING_NOTIFY_TIMEOUT =
      add(
          Setting.duration(
              "alerting.notify.timeout",
              Duration.ofSeconds(5),
              Duration.ofMillis(100),
              Duration.ofMinutes(5),
              "Time limit of one notification request."));

  /**
   * {@code alerting.notify.retries}: retries of a failed notification before it is given up and
   * counted.
   */
  public static final Setting<Integer> ALERTING_NOTIFY_RETRIES =
      add(
          Setting.integer(
              "alerting.notify.retries",
              3,
              0,
              20,
              "Retries of a failed notification before it is given up and counted."));

  /**
   * {@code alerting.notify.backoff}: wait before the first retry; it doubles with each retry up to
   * 30 seconds.
   */
  public static final Setting<Duration> ALERTING_NOTIFY_BACKOFF =
      add(
          Setting.duration(
              "alerting.notify.backoff",
              Duration.ofSeconds(1),
              Duration.ZERO,
              Duration.ofMinutes(5),
              "Wait before the first retry; it doubles with each retry up to 30 seconds."));

  /**
   * {@code alerting.notify.queue}: notifications that may wait per notifier; past that they are
   * dropped and counted.
   */
  public static final Setting<Integer> ALERTING_NOTIFY_QUEUE =
      add(
          Setting.integer(
              "alerting.notify.queue",
              100,
              1,
              100_000,
              "Notifications that may wait per notifier; past that they are dropped and counted."));

  /**
   * {@code alerting.rules.for}: overrides the for duration of every rule that the rules command
   * generates.
   */
  public static final Setting<Duration> ALERTING_RULES_FOR =
      add(
          Setting.duration(
              "alerting.rules.for",
              null,
              Duration.ZERO,
              Duration.ofHours(24),
              "Overrides the for duration of every rule that the rules command generates."));

  /**
   * {@code health.url}: uRL probed for model health, e.g. the server's /v1/models or Ollama's
   * /api/tags.
   */
  public static final Setting<String> HEALTH_URL =
      add(
          Setting.string(
              "health.url",
              null,
              "URL probed for model health, e.g. the server's /v1/models or Ollama's /api/tags."));

  /** {@code health.interval}: time between two health probes. */
  public static final Setting<Duration> HEALTH_INTERVAL =
      add(
          Setting.duration(
              "health.interval",
              Duration.ofSeconds(30),
              Duration.ofSeconds(1),
              Duration.ofHours(1),
              "Time between two health probes."));

  /** {@code health.timeout}: time limit of one health probe. */
  public static final Setting<Duration> HEALTH_TIMEOUT =
      add(
          Setting.duration(
              "health.timeout",
              Duration.ofSeconds(5),
              Duration.ofMillis(100),
              Duration.ofMinutes(5),
              "Time limit of one health probe."));

  /**
   * {@code health.headers}: headers sent with the health probe, as Name: value; no Authorization is
   * sent otherwise.
   */
  public static final Setting<List<String>> HEALTH_HEADERS =
      add(
          Setting.list(
              "health.headers",
              List.of(),
              "Headers sent with the health probe, as Name: value; no Authorization is sent otherwise."));

  /** {@code health.model}: model that the probed list must contain for the model to count as up. */
  public static final Setting<String> HEALTH_MODEL =
      add(
          Setting.string(
              "health.model",
              null,
              "Model that the probed list must contain for the model to count as up."));

  /** {@code cost.enabled}: whether calls are priced. */
  public static final Setting<Boolean> COST_ENABLED =
      add(
          Setting.bool(
              "cost.enabled",
              true,
              "Whether calls are priced from their token counts: taskmaster_cost_usd_total and"
                  + " cost_usd in the log."));

  /**
   * {@code cost.prices.file}: JSON file of model prices that overrides and extends the bundled
   * table.
   */
  public static final Setting<Path> COST_PRICES_FILE =
      add(
          Setting.path(
              "cost.prices.file",
              "JSON file of model prices in US dollars per million tokens, e.g. {\"gpt-4o-mini\":"
                  + " {\"input_per_million\": 0.15, \"output_per_million\": 0.6}}; it overrides"
                  + " and extends the bundled table."));

  /** {@code feedback.enabled}: whether POST /feedback accepts user feedback. */
  public static final Setting<Boolean> FEEDBACK_ENABLED =
      add(
          Setting.bool(
              "feedback.enabled",
              true,
              "Whether POST /feedback on the metrics port accepts user feedback on calls."));

  /** {@code feedback.token}: token that POST /feedback requires, if set. */
  public static final Setting<String> FEEDBACK_TOKEN =
      add(
          Setting.string(
              "feedback.token",
              null,
              "Token that POST /feedback requires, sent as the header Authorization: Bearer TOKEN;"
                  + " when unset, none is asked for."));

  /** {@code feedback.max-calls}: how many recent calls can receive feedback. */
  public static final Setting<Integer> FEEDBACK_MAX_CALLS =
      add(
          Setting.integer(
              "feedback.max-calls",
              10_000,
              100,
              10_000_000,
              "Recent calls whose request_id can receive feedback; older ids are forgotten."));

  /** {@code feedback.max-age}: how long after its call a request id accepts feedback. */
  public static final Setting<Duration> FEEDBACK_MAX_AGE =
      add(
          Setting.duration(
              "feedback.max-age",
              Duration.ofHours(24),
              Duration.ofMinutes(1),
              Duration.ofHours(720),
              "How long after its call a request_id accepts feedback."));

  /** {@code feedback.window}: window of the satisfaction gauge. */
  public static final Setting<Duration> FEEDBACK_WINDOW =
      add(
          Setting.duration(
              "feedback.window",
              Duration.ofHours(1),
              Duration.ofMinutes(1),
              Duration.ofHours(24),
              "Window over which taskmaster_user_satisfaction averages the feedback scores."));

  /** {@code feedback.min-count}: feedback needed before satisfaction is exported. */
  public static final Setting<Integer> FEEDBACK_MIN_COUNT =
      add(
          Setting.integer(
              "feedback.min-count",
              5,
              1,
              100_000,
              "Feedback scores an endpoint and model need in the window before their"
                  + " taskmaster_user_satisfaction is exported."));

  /** {@code status.enabled}: whether the status page is served. */
  public static final Setting<Boolean> STATUS_ENABLED =
      add(
          Setting.bool(
              "status.enabled",
              true,
              "Whether the metrics port also serves the status page (/) and its data"
                  + " (/api/status); /health is always served."));

  /** {@code quality.enabled}: whether each response is scored and its events counted. */
  public static final Setting<Boolean> QUALITY_ENABLED =
      add(
          Setting.bool(
              "quality.enabled",
              true,
              "Whether each response is scored for quality and its events (empty, refusal,"
                  + " truncated, repetition, invalid JSON) are counted."));

  /** {@code quality.refusal.phrases}: phrases that mark an answer as a refusal. */
  public static final Setting<List<String>> QUALITY_REFUSAL_PHRASES =
      add(
          Setting.list(
              "quality.refusal.phrases",
              List.of(),
              "Phrases that mark an answer as a refusal, added to the built-in English ones."));

  /** {@code quality.window}: responses the exported quality score averages. */
  public static final Setting<Integer> QUALITY_WINDOW =
      add(
          Setting.integer(
              "quality.window",
              100,
              1,
              100_000,
              "Most recent responses whose overall quality the quality_score gauge averages."));

  /** {@code drift.enabled}: whether drift is detected against a baseline. */
  public static final Setting<Boolean> DRIFT_ENABLED =
      add(
          Setting.bool(
              "drift.enabled",
              true,
              "Whether latency, tokens, length, quality and event rates are watched for drift."));

  /** {@code drift.method}: how drift is detected. */
  public static final Setting<String> DRIFT_METHOD =
      add(
          Setting.oneOf(
              "drift.method",
              "sequential",
              List.of("sequential", "deviation"),
              "How drift is detected: sequential (CUSUM plus distribution shape, the default) or"
                  + " deviation (mean of the last 100 against the baseline, 15 and 30 percent)."));

  /** {@code drift.warmup}: calls the baseline is learned from. */
  public static final Setting<Integer> DRIFT_WARMUP =
      add(
          Setting.integer(
              "drift.warmup",
              500,
              50,
              1_000_000,
              "Calls from which the baseline is learned before it is frozen."));

  /** {@code drift.rate.warmup}: calls the event rates' baseline is learned from. */
  public static final Setting<Integer> DRIFT_RATE_WARMUP =
      add(
          Setting.integer(
              "drift.rate.warmup",
              3000,
              50,
              1_000_000,
              "Calls from which the baseline of the event rates (empty, refusal, truncated,"
                  + " repetition, invalid JSON) is learned before it is frozen; longer than"
                  + " drift.warmup because a rate of 1 percent needs thousands of calls to be"
                  + " known."));

  /** {@code drift.baseline.file}: where the learned baseline is saved and read back. */
  public static final Setting<Path> DRIFT_BASELINE_FILE =
      add(
          Setting.path(
              "drift.baseline.file",
              "File where the learned baseline is saved, so that a restart keeps it."));

  /** {@code drift.relearn}: discard the saved baseline at start and learn it again. */
  public static final Setting<Boolean> DRIFT_RELEARN =
      add(
          Setting.bool(
              "drift.relearn",
              false,
              "Whether the saved baseline is discarded at start and learned again."));

  /** {@code drift.relearn.token}: the token that {@code POST /drift/relearn} requires. */
  public static final Setting<String> DRIFT_RELEARN_TOKEN =
      add(
          Setting.string(
              "drift.relearn.token",
              null,
              "Token that POST /drift/relearn requires, sent as the header Authorization: Bearer"
                  + " TOKEN; when unset, none is asked for."));

  /**
   * The prefix of the key family {@code drift.baseline.<signal>}: a configured baseline value per
   * drift signal ({@code latency}, {@code quality}, {@code refusal_rate}, ...), which wins over the
   * learned one. Checked when the drift settings are built, where the signal names are known.
   */
  public static final String DRIFT_BASELINE_PREFIX = "drift.baseline.";

  /** The README row of {@code drift.baseline.<signal>}: {key, type, default, meaning}. */
  static final String[] DRIFT_BASELINE_ROW = {
    DRIFT_BASELINE_PREFIX + "<signal>",
    "number, >= 0",
    "(none)",
    "Fixed baseline of one drift signal, which wins over the learned and the saved one; the"
        + " signal never shows learning. Units: latency and time_to_first_token in seconds and"
        + " output_tokens and response_length as counts (the typical value: the geometric mean,"
        + " i.e. the median of a log-normal spread), quality and satisfaction 0..1, event rates"
        + " (empty_rate, refusal_rate, truncated_rate, repetition_rate, invalid_json_rate) as"
        + " fractions 0..1."
  };

  /**
   * The fields of an interception block {@code intercept.<name>.<field>}, each as {field, type,
   * default, meaning}.
   */
  static final String[][] INTERCEPT_FIELDS = {
    {
      "class",
      "class name",
      "required",
      "Fully qualified name of the class that declares the intercepted method (nested classes"
          + " with $)."
    },
    {"method", "method name", "required", "Name of the intercepted method."},
    {
      "params",
      "list of type names",
      "all overloads",
      "Parameter types that select one overload, e.g. java.lang.String;int[]; an empty value"
          + " selects the method without parameters."
    },
    {"endpoint", "string", "the block's name", "Value of the endpoint label of these calls."},
    {"model", "value path", "", "Where the model name is read, e.g. arg1.model."},
    {"prompt", "value path", "", "Where the prompt text is read, e.g. arg0."},
    {
      "response",
      "value path",
      "",
      "Where the response text is read, e.g. return.choices()[0].message().content()."
    },
    {
      "tokens.input",
      "value path",
      "",
      "Where the number of input (prompt) tokens is read, e.g. return.usage().promptTokens()."
    },
    {
      "tokens.output",
      "value path",
      "",
      "Where the number of output (completion) tokens is read, e.g."
          + " return.usage().completionTokens()."
    },
    {
      "tokens.cached",
      "value path",
      "",
      "Where the number of input tokens served from the provider's prompt cache is read (part of"
          + " the input tokens; priced at the cached rate)."
    },
    {
      "id",
      "value path",
      "",
      "Where the call's id is read, e.g. return.id() (the server's chatcmpl-... id); it is logged"
          + " as request_id and names the call in POST /feedback. A generated tm-... id otherwise."
    },
  };

  private static final Map<String, Setting<?>> BY_NAME = new HashMap<>();

  static {
    for (Setting<?> setting : ALL) {
      BY_NAME.put(setting.name(), setting);
    }
  }

  private ConfigKeys() {}

  private static <T> Setting<T> add(Setting<T> setting) {
    ALL.add(setting);
    return setting;
  }

  /** Every known key, in registry order. */
  public static List<Setting<?>> all() {
    return Collections.unmodifiableList(ALL);
  }

  /** The field names of an interception block, such as {@code class} and {@code tokens.input}. */
  public static List<String> interceptionFields() {
    List<String> names = new ArrayList<>();
    for (String[] field : INTERCEPT_FIELDS) {
      names.add(field[0]);
    }
    return Collections.unmodifiableList(names);
  }

  /** The setting with this exact name, or null. */
  public static Setting<?> find(String name) {
    return BY_NAME.get(name);
  }

  /**
   * The registry as a Markdown table with the columns key, type, default and meaning, followed by
   * the rows of the interception fields; for the README.
   */
  public static String markdownTable() {
    StringBuilder table = new StringBuilder();
    table.append("| Key | Type | Default | Meaning |\n");
    table.append("| --- | --- | --- | --- |\n");
    for (Setting<?> setting : ALL) {
      String defaultText = setting.format(setting.defaultValue());
      row(
          table,
          "`" + setting.name() + "`",
          setting.typeDescription(),
          defaultText.isEmpty() ? "(none)" : "`" + defaultText + "`",
          setting.description());
    }
    row(
        table,
        "`" + DRIFT_BASELINE_ROW[0] + "`",
        DRIFT_BASELINE_ROW[1],
        DRIFT_BASELINE_ROW[2],
        DRIFT_BASELINE_ROW[3]);
    for (String[] field : INTERCEPT_FIELDS) {
      row(
          table,
          "`intercept.<name>." + field[0] + "`",
          field[1],
          field[2].isEmpty() ? "(none)" : field[2],
          field[3]);
    }
    return table.toString();
  }

  private static void row(StringBuilder table, String... cells) {
    table.append('|');
    for (String cell : cells) {
      table.append(' ').append(cell.replace("|", "\\|")).append(" |");
    }
    table.append('\n');
  }
}
