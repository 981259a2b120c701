package dev.taskmaster.agent.config;

import java.nio.file.Path;
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
 * set; their fields are listed by {@link #interceptionFields()}.
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
