package dev.taskmaster.agent.config;

import dev.taskmaster.agent.util.AgentLog;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The agent's settings after loading: every known key with its accepted value or its default, the
 * interception blocks, and the problems found on the way. Immutable; made by {@link ConfigLoader}.
 *
 * <p>Read a setting with {@link #get(Setting)}, with the named getters of the common ones, or with
 * the typed getters by key. Asking a typed getter for an unknown key or a key of another type is a
 * bug in the agent: it logs one warning and returns 0, false, null or an empty value, rather than
 * throwing into the application.
 */
public final class AgentConfig {

  private final Map<String, Setting<?>> settings = new HashMap<>();
  private final Map<String, Object> values;
  private final Map<String, String> rawValues;
  private final Map<String, String> origins;
  private final List<String> problems;
  private final List<InterceptionSpec> interceptions;

  AgentConfig(
      List<Setting<?>> registry,
      Map<String, Object> values,
      Map<String, String> rawValues,
      Map<String, String> origins,
      List<String> problems,
      List<InterceptionSpec> interceptions) {
    for (Setting<?> setting : registry) {
      settings.put(setting.name(), setting);
    }
    this.values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
    this.rawValues = Collections.unmodifiableMap(new LinkedHashMap<>(rawValues));
    this.origins = new HashMap<>(origins);
    this.problems = Collections.unmodifiableList(new ArrayList<>(problems));
    this.interceptions = interceptions;
  }

  /** Every setting at its default, no interceptions, no problems. */
  public static AgentConfig defaults() {
    return fromDefaults(ConfigKeys.all());
  }

  static AgentConfig fromDefaults(List<Setting<?>> registry) {
    Map<String, Object> values = new LinkedHashMap<>();
    for (Setting<?> setting : registry) {
      values.put(setting.name(), setting.defaultValue());
    }
    return new AgentConfig(registry, values, Map.of(), Map.of(), List.of(), List.of());
  }

  /** The value of a setting: as configured if accepted, else its default (null if it has none). */
  @SuppressWarnings("unchecked")
  public <T> T get(Setting<T> setting) {
    return values.containsKey(setting.name())
        ? (T) values.get(setting.name())
        : setting.defaultValue();
  }

  /** {@code service.name}. */
  public String serviceName() {
    return get(ConfigKeys.SERVICE_NAME);
  }

  /** {@code metrics.prefix}. */
  public String metricsPrefix() {
    return get(ConfigKeys.METRICS_PREFIX);
  }

  /** {@code metrics.max-models}. */
  public int maxModels() {
    return get(ConfigKeys.METRICS_MAX_MODELS);
  }

  /** {@code exporter.enabled}. */
  public boolean exporterEnabled() {
    return get(ConfigKeys.EXPORTER_ENABLED);
  }

  /** {@code exporter.host}. */
  public String exporterHost() {
    return get(ConfigKeys.EXPORTER_HOST);
  }

  /** {@code exporter.port}; 0 means a free port. */
  public int exporterPort() {
    return get(ConfigKeys.EXPORTER_PORT);
  }

  /** {@code exporter.port.file}, resolved against the working directory, or null if unset. */
  public Path exporterPortFile() {
    return get(ConfigKeys.EXPORTER_PORT_FILE);
  }

  /** {@code log.level} in lower case: {@code error}, {@code warn}, {@code info}, ... */
  public String logLevel() {
    return get(ConfigKeys.LOG_LEVEL);
  }

  /** {@code health.failure-threshold}. */
  public int healthFailureThreshold() {
    return get(ConfigKeys.HEALTH_FAILURE_THRESHOLD);
  }

  /** The value of any known key as text, in the form the key accepts; null if it has none. */
  public String getString(String key) {
    Setting<?> setting = settings.get(key);
    if (setting == null) {
      misuse(key, "known");
      return null;
    }
    Object value = values.get(key);
    return value == null ? null : setting.format(value);
  }

  /** The value of an {@code int} setting. */
  public int getInt(String key) {
    Object value = typed(key, "int", Setting.Type.INT);
    return value instanceof Integer ? (Integer) value : 0;
  }

  /** The value of a {@code long} or {@code int} setting. */
  public long getLong(String key) {
    Object value = typed(key, "long", Setting.Type.LONG, Setting.Type.INT);
    return value instanceof Number ? ((Number) value).longValue() : 0L;
  }

  /** The value of a {@code double} setting (an {@code int} or {@code long} one also works). */
  public double getDouble(String key) {
    Object value = typed(key, "number", Setting.Type.DOUBLE, Setting.Type.LONG, Setting.Type.INT);
    return value instanceof Number ? ((Number) value).doubleValue() : 0.0;
  }

  /** The value of a {@code boolean} setting. */
  public boolean getBoolean(String key) {
    return Boolean.TRUE.equals(typed(key, "boolean", Setting.Type.BOOLEAN));
  }

  /** The value of a {@code duration} setting. */
  public Duration getDuration(String key) {
    Object value = typed(key, "duration", Setting.Type.DURATION);
    return value instanceof Duration ? (Duration) value : Duration.ZERO;
  }

  /** The value of a {@code path} setting, or null if it is unset. */
  public Path getPath(String key) {
    Object value = typed(key, "path", Setting.Type.PATH);
    return value instanceof Path ? (Path) value : null;
  }

  /** The value of a {@code list} setting; never null. */
  @SuppressWarnings("unchecked")
  public List<String> getList(String key) {
    Object value = typed(key, "list", Setting.Type.LIST);
    return value instanceof List ? (List<String>) value : List.of();
  }

  /**
   * Every key that was set, known keys and interception keys alike, with its value as written
   * (trimmed) in the source that won; sorted by key. For diagnostics: accepted or not, defaults are
   * not included.
   */
  public Map<String, String> rawValues() {
    return rawValues;
  }

  /**
   * Where the value of {@code key} came from, e.g. {@code system property taskmaster.exporter.port}
   * or {@code file /etc/tm/agent.properties}; null when it was not set.
   */
  public String sourceOf(String key) {
    return origins.get(key);
  }

  /** The warning lines of this load, in the order they were logged; empty when all was well. */
  public List<String> problems() {
    return problems;
  }

  /** The enabled interception blocks sorted by name; the index of each is its {@code id()}. */
  public List<InterceptionSpec> interceptions() {
    return interceptions;
  }

  Object valueOf(String key) {
    return values.get(key);
  }

  private Object typed(String key, String typeName, Setting.Type... types) {
    Setting<?> setting = settings.get(key);
    if (setting != null) {
      for (Setting.Type type : types) {
        if (setting.type() == type) {
          return values.get(key);
        }
      }
    }
    misuse(key, typeName);
    return null;
  }

  private static void misuse(String key, String typeName) {
    AgentLog.warnOnce(
        "config.misuse." + key,
        "Internal error, please report: the agent asked for "
            + typeName
            + " setting "
            + key
            + ", which does not exist");
  }
}
