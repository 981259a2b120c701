package dev.taskmaster.agent.config;

import dev.taskmaster.agent.util.AgentLog;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * Reads the agent's settings from its sources and checks them against {@link ConfigKeys}.
 *
 * <p>Sources, highest precedence first:
 *
 * <ol>
 *   <li>the agent argument, {@code key=value} entries separated by commas, as in {@code
 *       -javaagent:taskmaster-agent.jar=config=/etc/tm/agent.properties,exporter.port=9999} (list
 *       items inside a value are then separated with {@code ;});
 *   <li>system properties {@code -Dtaskmaster.<key>=value};
 *   <li>environment variables {@code TASKMASTER_<KEY>}: the key in upper case with dots and dashes
 *       turned into underscores, e.g. {@code TASKMASTER_METRICS_MAX_MODELS}; for interception
 *       blocks {@code TASKMASTER_INTERCEPT_<NAME>_<FIELD>}, the name read in lower case; for {@code
 *       drift.baseline.<signal>} {@code TASKMASTER_DRIFT_BASELINE_<SIGNAL>};
 *   <li>the properties file named by {@code config} (from any source above), else {@code
 *       agent.properties} in the working directory if it exists;
 *   <li>the defaults.
 * </ol>
 *
 * <p>Loading never throws. Each problem (an unknown key, a value that is not accepted, a file that
 * cannot be read) becomes one warning that names the key, the value and what is accepted, and is
 * logged once through {@link AgentLog}; the faulty setting falls back to its default (and a faulty
 * interception block is disabled) while everything else keeps working.
 */
public final class ConfigLoader {

  /** The file read when {@code config} is not set. */
  static final String DEFAULT_FILE = "agent.properties";

  static final String CONFIG_KEY = "config";
  static final String INTERCEPT_PREFIX = "intercept.";
  private static final String SYSTEM_PREFIX = "taskmaster.";
  private static final String ENV_PREFIX = "TASKMASTER_";
  private static final String ENV_INTERCEPT_PREFIX = ENV_PREFIX + "INTERCEPT_";
  private static final String ENV_DRIFT_BASELINE_PREFIX = ENV_PREFIX + "DRIFT_BASELINE_";
  private static final String AGENT_ARGUMENT = "the agent argument";
  private static final int MAX_SHOWN_VALUE = 200;

  /** Parts of a key's name that mark its value as a secret, never shown in a warning. */
  private static final String[] SECRET_NAMES = {
    "pass", "pwd", "secret", "token", "credential", "api-key", "apikey", "access-key", "private-key"
  };

  /** A value as written, trimmed, and the source it came from, for warnings. */
  static final class Raw {
    final String value;
    final String origin;

    Raw(String value, String origin) {
      this.value = value;
      this.origin = origin;
    }
  }

  private final List<Setting<?>> registry;
  private final Map<String, Setting<?>> byName = new HashMap<>();
  private final Map<String, String> keyByEnvironmentName = new HashMap<>();
  private final Path workingDirectory;
  private final List<String> problems = new ArrayList<>();

  private ConfigLoader(List<Setting<?>> registry, Path workingDirectory) {
    this.registry = registry;
    this.workingDirectory = workingDirectory;
    for (Setting<?> setting : registry) {
      byName.put(setting.name(), setting);
      keyByEnvironmentName.put(setting.environmentName(), setting.name());
    }
    keyByEnvironmentName.put(Setting.environmentName(CONFIG_KEY), CONFIG_KEY);
  }

  /**
   * Loads the settings of this JVM: the agent argument, the {@code taskmaster.*} system properties,
   * the environment and the current working directory.
   */
  public static AgentConfig load(String agentArgs) {
    Map<String, String> environment;
    try {
      environment = System.getenv();
    } catch (Throwable t) {
      environment = Map.of();
    }
    Path workingDirectory;
    try {
      workingDirectory = Path.of("").toAbsolutePath();
    } catch (Throwable t) {
      workingDirectory = null;
    }
    return load(agentArgs, systemProperties(), environment, workingDirectory);
  }

  /**
   * Loads the settings from the given sources, applies {@code log.level} to {@link AgentLog} and
   * logs each problem once.
   *
   * @param agentArgs the agent argument, or null
   * @param systemProperties system properties; only those starting with {@code taskmaster.} are
   *     read
   * @param environment environment variables; only those starting with {@code TASKMASTER_} are read
   * @param workingDirectory where {@code agent.properties} is looked for and relative paths are
   *     resolved; null to look for no default file
   */
  public static AgentConfig load(
      String agentArgs,
      Map<String, String> systemProperties,
      Map<String, String> environment,
      Path workingDirectory) {
    return load(agentArgs, systemProperties, environment, workingDirectory, ConfigKeys.all());
  }

  /** Like the public method, with another registry; lets tests cover every type of setting. */
  static AgentConfig load(
      String agentArgs,
      Map<String, String> systemProperties,
      Map<String, String> environment,
      Path workingDirectory,
      List<Setting<?>> registry) {
    AgentConfig config;
    try {
      config =
          new ConfigLoader(registry, workingDirectory)
              .read(agentArgs, systemProperties, environment);
    } catch (Throwable t) {
      AgentLog.error("Could not read the configuration; using the defaults", t);
      return AgentConfig.fromDefaults(registry);
    }
    Object level = config.valueOf("log.level");
    if (level instanceof String) {
      AgentLog.setLevel((String) level);
    }
    for (String problem : config.problems()) {
      AgentLog.warn(problem);
    }
    return config;
  }

  /** The {@code taskmaster.*} entries of {@link System#getProperties()}, copied. */
  public static Map<String, String> systemProperties() {
    Map<String, String> copy = new HashMap<>();
    try {
      Properties properties = System.getProperties();
      for (String name : properties.stringPropertyNames()) {
        if (name.startsWith(SYSTEM_PREFIX)) {
          String value = properties.getProperty(name);
          if (value != null) {
            copy.put(name, value);
          }
        }
      }
    } catch (Throwable t) {
      AgentLog.warn("Could not read the system properties", t);
    }
    return copy;
  }

  private AgentConfig read(
      String agentArgs, Map<String, String> systemProperties, Map<String, String> environment) {
    Map<String, Raw> fromArgs = fromAgentArgs(agentArgs);
    Map<String, Raw> fromSystem = fromSystemProperties(systemProperties);
    Map<String, Raw> fromEnvironment = fromEnvironment(environment);

    Raw configRaw = fromArgs.get(CONFIG_KEY);
    if (configRaw == null) {
      configRaw = fromSystem.get(CONFIG_KEY);
    }
    if (configRaw == null) {
      configRaw = fromEnvironment.get(CONFIG_KEY);
    }
    Path configPath = configRaw == null ? null : configPath(configRaw);
    if (configPath == null && workingDirectory != null) {
      Path defaultFile = workingDirectory.resolve(DEFAULT_FILE);
      configPath = Files.exists(defaultFile) ? defaultFile : null;
      configRaw = null;
    }
    Map<String, Raw> fromFile =
        configPath == null ? new TreeMap<>() : fromFile(configRaw, configPath);

    Map<String, Raw> merged = new TreeMap<>(fromFile);
    merged.putAll(fromEnvironment);
    merged.putAll(fromSystem);
    merged.putAll(fromArgs);

    Map<String, Object> values = new LinkedHashMap<>();
    for (Setting<?> setting : registry) {
      Raw raw = merged.get(setting.name());
      if (setting.name().equals(CONFIG_KEY)) {
        values.put(CONFIG_KEY, configPath);
      } else {
        values.put(setting.name(), raw == null ? setting.defaultValue() : parse(setting, raw));
      }
    }
    List<InterceptionSpec> interceptions = InterceptionParser.parse(merged, problems);

    Map<String, String> rawValues = new TreeMap<>();
    Map<String, String> origins = new HashMap<>();
    for (Map.Entry<String, Raw> entry : merged.entrySet()) {
      rawValues.put(entry.getKey(), entry.getValue().value);
      origins.put(entry.getKey(), entry.getValue().origin);
    }
    return new AgentConfig(registry, values, rawValues, origins, problems, interceptions);
  }

  private Map<String, Raw> fromAgentArgs(String agentArgs) {
    Map<String, Raw> entries = new LinkedHashMap<>();
    if (agentArgs == null) {
      return entries;
    }
    for (String part : agentArgs.split(",", -1)) {
      String entry = part.trim();
      int eq = entry.indexOf('=');
      if (entry.isEmpty()) {
        continue;
      }
      if (eq <= 0) {
        problems.add(
            "Agent argument entry "
                + quote(entry)
                + (eq < 0 ? " has no '='" : " has no key")
                + " and is ignored: expected key=value entries separated by ','"
                + " (separate list items inside a value with ';')");
        continue;
      }
      String key = entry.substring(0, eq).trim();
      String value = entry.substring(eq + 1).trim();
      if (!isKnown(key)) {
        problems.add(unknownKey(key, value, "in the agent argument", key, ""));
        continue;
      }
      if (entries.put(key, new Raw(value, AGENT_ARGUMENT)) != null) {
        problems.add(
            key + " is given more than once in the agent argument; the last value is used");
      }
    }
    return entries;
  }

  private Map<String, Raw> fromSystemProperties(Map<String, String> systemProperties) {
    Map<String, Raw> entries = new TreeMap<>();
    if (systemProperties == null) {
      return entries;
    }
    for (Map.Entry<String, String> property : sorted(systemProperties).entrySet()) {
      String name = property.getKey();
      if (!name.startsWith(SYSTEM_PREFIX) || property.getValue() == null) {
        continue;
      }
      String key = name.substring(SYSTEM_PREFIX.length()).trim();
      if (!isKnown(key)) {
        problems.add(
            unknownKey(name, property.getValue(), "in the system properties", key, SYSTEM_PREFIX));
        continue;
      }
      entries.put(key, new Raw(property.getValue().trim(), "system property " + name));
    }
    return entries;
  }

  private Map<String, Raw> fromEnvironment(Map<String, String> environment) {
    Map<String, Raw> entries = new TreeMap<>();
    if (environment == null) {
      return entries;
    }
    for (Map.Entry<String, String> variable : sorted(environment).entrySet()) {
      String name = variable.getKey();
      if (!name.startsWith(ENV_PREFIX) || variable.getValue() == null) {
        continue;
      }
      String key = keyOfEnvironmentName(name);
      if (key == null) {
        problems.add(unknownEnvironmentVariable(name, variable.getValue()));
        continue;
      }
      entries.put(key, new Raw(variable.getValue().trim(), "environment variable " + name));
    }
    return entries;
  }

  /** Sorts for a stable order of warnings; skips null names, which a TreeMap refuses. */
  private static Map<String, String> sorted(Map<String, String> map) {
    Map<String, String> sorted = new TreeMap<>();
    for (Map.Entry<String, String> entry : map.entrySet()) {
      if (entry.getKey() != null) {
        sorted.put(entry.getKey(), entry.getValue());
      }
    }
    return sorted;
  }

  /** Maps a variable name back to its key by normalising the known keys and fields the same way. */
  private String keyOfEnvironmentName(String name) {
    String key = keyByEnvironmentName.get(name);
    if (key == null && name.startsWith(ENV_DRIFT_BASELINE_PREFIX)) {
      String signal = name.substring(ENV_DRIFT_BASELINE_PREFIX.length());
      return signal.isEmpty()
          ? null
          : ConfigKeys.DRIFT_BASELINE_PREFIX + signal.toLowerCase(Locale.ROOT);
    }
    if (key != null || !name.startsWith(ENV_INTERCEPT_PREFIX)) {
      return key;
    }
    String rest = name.substring(ENV_INTERCEPT_PREFIX.length());
    String bestField = null;
    for (String field : ConfigKeys.interceptionFields()) {
      String suffix = "_" + field.toUpperCase(Locale.ROOT).replace('.', '_');
      boolean matches = rest.endsWith(suffix) && rest.length() > suffix.length();
      if (matches && (bestField == null || field.length() > bestField.length())) {
        bestField = field;
      }
    }
    if (bestField == null) {
      return null;
    }
    int nameLength = rest.length() - bestField.length() - 1;
    return INTERCEPT_PREFIX
        + rest.substring(0, nameLength).toLowerCase(Locale.ROOT)
        + "."
        + bestField;
  }

  private Path configPath(Raw raw) {
    Object path = parse(ConfigKeys.CONFIG, raw);
    return path instanceof Path ? (Path) path : null;
  }

  /**
   * Reads the properties file.
   *
   * @param configRaw where the file was named, or null for the default file
   */
  private Map<String, Raw> fromFile(Raw configRaw, Path file) {
    String described =
        configRaw != null
            ? CONFIG_KEY + "=" + quote(configRaw.value) + " from " + configRaw.origin
            : "The default " + CONFIG_KEY + " file " + file;

    Properties properties = new Properties();
    try (Reader reader =
        new InputStreamReader(Files.newInputStream(file), StandardCharsets.UTF_8)) {
      properties.load(reader);
    } catch (NoSuchFileException e) {
      return unreadable(described, "file not found");
    } catch (AccessDeniedException e) {
      return unreadable(described, "permission denied");
    } catch (IOException | RuntimeException e) {
      return unreadable(described, e.getClass().getSimpleName() + ": " + e.getMessage());
    }

    String origin = "file " + file;
    Map<String, Raw> entries = new TreeMap<>();
    for (String key : new TreeMap<>(propertiesAsMap(properties)).keySet()) {
      String value = properties.getProperty(key).trim();
      if (key.equals(CONFIG_KEY)) {
        problems.add(
            CONFIG_KEY
                + " in "
                + origin
                + " is ignored: the file to read is named by the agent argument, -D"
                + SYSTEM_PREFIX
                + CONFIG_KEY
                + " or "
                + Setting.environmentName(CONFIG_KEY));
      } else if (!isKnown(key)) {
        problems.add(unknownKey(key, value, "in " + origin, key, ""));
      } else {
        entries.put(key, new Raw(value, origin));
      }
    }
    return entries;
  }

  private Map<String, Raw> unreadable(String described, String reason) {
    problems.add(
        described
            + " cannot be read ("
            + reason
            + "); continuing with the other sources and the defaults");
    return new TreeMap<>();
  }

  private static Map<String, String> propertiesAsMap(Properties properties) {
    Map<String, String> map = new HashMap<>();
    for (String name : properties.stringPropertyNames()) {
      map.put(name, properties.getProperty(name));
    }
    return map;
  }

  private Object parse(Setting<?> setting, Raw raw) {
    try {
      Object value = setting.parse(raw.value);
      if (value instanceof Path && workingDirectory != null) {
        value = workingDirectory.resolve((Path) value);
      }
      return value;
    } catch (RuntimeException e) {
      String fallback =
          setting.defaultValue() == null
              ? "it stays unset"
              : "using the default " + setting.format(setting.defaultValue());
      String shown =
          raw.value.isEmpty()
              ? setting.name() + " from " + raw.origin + " is empty"
              : setting.name()
                  + "="
                  + shown(raw.value, setting.name())
                  + " from "
                  + raw.origin
                  + " is not accepted";
      problems.add(shown + ": expected " + setting.accepted() + "; " + fallback);
      return setting.defaultValue();
    }
  }

  private boolean isKnown(String key) {
    if (byName.containsKey(key) || key.equals(CONFIG_KEY)) {
      return true;
    }
    if (key.startsWith(ConfigKeys.DRIFT_BASELINE_PREFIX)
        && key.length() > ConfigKeys.DRIFT_BASELINE_PREFIX.length()) {
      // drift.baseline.<signal>: the signal and the value are checked with the drift settings.
      return true;
    }
    // The block name ends at the first dot after the prefix; the parser checks name and field.
    return key.startsWith(INTERCEPT_PREFIX)
        && key.indexOf('.', INTERCEPT_PREFIX.length()) > INTERCEPT_PREFIX.length();
  }

  private String unknownKey(String shown, String value, String where, String key, String prefix) {
    String suggestion = closest(key, keyNames());
    return "Unknown setting "
        + shown
        + "="
        + shown(value, key, suggestion)
        + " "
        + where
        + " is ignored"
        + (suggestion == null ? "" : "; did you mean " + prefix + suggestion + "?");
  }

  private String unknownEnvironmentVariable(String name, String value) {
    String suggestion = closest(name, new ArrayList<>(keyByEnvironmentName.keySet()));
    return "Unknown setting "
        + name
        + "="
        + shown(value, name, suggestion)
        + " in the environment is ignored"
        + (suggestion == null ? "" : "; did you mean " + suggestion + "?");
  }

  private List<String> keyNames() {
    List<String> names = new ArrayList<>();
    names.add(CONFIG_KEY);
    for (Setting<?> setting : registry) {
      names.add(setting.name());
    }
    return names;
  }

  /** The candidate nearest to {@code text}, if at most two edits away (ignoring case). */
  static String closest(String text, List<String> candidates) {
    String best = null;
    int bestDistance = 3;
    Collections.sort(candidates);
    for (String candidate : candidates) {
      int distance =
          editDistance(text.toLowerCase(Locale.ROOT), candidate.toLowerCase(Locale.ROOT));
      if (distance < bestDistance) {
        best = candidate;
        bestDistance = distance;
      }
    }
    return best;
  }

  private static int editDistance(String a, String b) {
    if (Math.abs(a.length() - b.length()) > 2) {
      return Integer.MAX_VALUE;
    }
    int[] previous = new int[b.length() + 1];
    int[] current = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      previous[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      current[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
        current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
      }
      int[] swap = previous;
      previous = current;
      current = swap;
    }
    return previous[b.length()];
  }

  /**
   * A value for a warning: quoted, or {@code (hidden)} when a name says it holds a secret (a
   * password, token, secret, credential or API key): the key as written, or the known key it was
   * probably meant to be, so that a mistyped secret key leaks nothing either.
   */
  static String shown(String value, String... names) {
    for (String key : names) {
      String name = key == null ? "" : key.toLowerCase(Locale.ROOT).replace('_', '-');
      for (String secret : SECRET_NAMES) {
        if (name.contains(secret)) {
          return "(hidden)";
        }
      }
    }
    return quote(value);
  }

  /**
   * Quotes a value for a warning: escapes quotes and control characters, so that the warning stays
   * on one line, and shortens very long values.
   */
  static String quote(String value) {
    StringBuilder quoted = new StringBuilder(value.length() + 2).append('"');
    int shown = Math.min(value.length(), MAX_SHOWN_VALUE);
    for (int i = 0; i < shown; i++) {
      char c = value.charAt(i);
      if (c == '"' || c == '\\') {
        quoted.append('\\').append(c);
      } else if (c == '\n') {
        quoted.append("\\n");
      } else if (c == '\r') {
        quoted.append("\\r");
      } else if (c == '\t') {
        quoted.append("\\t");
      } else if (c < 0x20 || c == 0x7f) {
        quoted.append(String.format("\\u%04x", (int) c));
      } else {
        quoted.append(c);
      }
    }
    if (shown < value.length()) {
      quoted.append("...");
    }
    return quoted.append('"').toString();
  }
}
