package dev.taskmaster.agent.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The definition of one configuration key: name, type, default, bounds and a one-sentence meaning.
 * Instances are immutable; the known ones live in {@link ConfigKeys}.
 *
 * <p>Accepted text, by type: integers in plain decimal; numbers in plain decimal notation, with an
 * optional exponent; booleans as {@code true/false}, {@code yes/no} or {@code on/off} in any case;
 * durations as a whole number with the unit {@code ms}, {@code s}, {@code m} or {@code h} (a plain
 * number means seconds); enums as one of the allowed values in any case; lists as items separated
 * by {@code ,} or {@code ;} (the agent argument already separates its entries with commas, so lists
 * given there use {@code ;}). Surrounding whitespace is ignored, and an empty value is never
 * accepted.
 *
 * @param <T> the Java type of the value: {@code String} (also for enums), {@code Integer}, {@code
 *     Long}, {@code Double}, {@code Boolean}, {@code Duration}, {@code Path} or {@code
 *     List<String>}
 */
public final class Setting<T> {

  /** The kinds of value a setting takes. */
  public enum Type {
    STRING,
    INT,
    LONG,
    DOUBLE,
    BOOLEAN,
    DURATION,
    PATH,
    LIST,
    ENUM
  }

  /** Compiled on first use: premain should not pay for regular expressions it may not need. */
  private static final class Patterns {
    static final Pattern DECIMAL = Pattern.compile("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?");
    static final Pattern DURATION_TEXT =
        Pattern.compile("(\\d+)\\s*(ms|s|m|h)?", Pattern.CASE_INSENSITIVE);
  }

  private final String name;
  private final Type type;
  private final T defaultValue;
  private final String description;
  private final long min;
  private final long max;
  private final double minDouble;
  private final double maxDouble;
  private final List<String> allowed;
  private final String regex;
  private volatile Pattern pattern;

  private Setting(
      String name,
      Type type,
      T defaultValue,
      String description,
      long min,
      long max,
      double minDouble,
      double maxDouble,
      List<String> allowed,
      String regex) {
    this.name = name;
    this.type = type;
    this.defaultValue = defaultValue;
    this.description = description;
    this.min = min;
    this.max = max;
    this.minDouble = minDouble;
    this.maxDouble = maxDouble;
    this.allowed = allowed;
    this.regex = regex;
  }

  /** Any non-empty text. */
  public static Setting<String> string(String name, String defaultValue, String description) {
    return new Setting<>(name, Type.STRING, defaultValue, description, 0, 0, 0, 0, null, null);
  }

  /** Text that matches a regular expression as a whole. */
  public static Setting<String> string(
      String name, String defaultValue, String regex, String description) {
    return new Setting<>(name, Type.STRING, defaultValue, description, 0, 0, 0, 0, null, regex);
  }

  /** A 32-bit integer from {@code min} to {@code max}, both included. */
  public static Setting<Integer> integer(
      String name, int defaultValue, int min, int max, String description) {
    return new Setting<>(name, Type.INT, defaultValue, description, min, max, 0, 0, null, null);
  }

  /** A 64-bit integer from {@code min} to {@code max}, both included. */
  public static Setting<Long> longInteger(
      String name, long defaultValue, long min, long max, String description) {
    return new Setting<>(name, Type.LONG, defaultValue, description, min, max, 0, 0, null, null);
  }

  /** A finite number from {@code min} to {@code max}, both included. */
  public static Setting<Double> decimal(
      String name, double defaultValue, double min, double max, String description) {
    return new Setting<>(name, Type.DOUBLE, defaultValue, description, 0, 0, min, max, null, null);
  }

  /** A boolean. */
  public static Setting<Boolean> bool(String name, boolean defaultValue, String description) {
    return new Setting<>(name, Type.BOOLEAN, defaultValue, description, 0, 0, 0, 0, null, null);
  }

  /** A duration from {@code min} to {@code max}, both included, in whole milliseconds. */
  public static Setting<Duration> duration(
      String name, Duration defaultValue, Duration min, Duration max, String description) {
    return new Setting<>(
        name,
        Type.DURATION,
        defaultValue,
        description,
        min.toMillis(),
        max.toMillis(),
        0,
        0,
        null,
        null);
  }

  /**
   * A file system path, unset by default. The loader resolves a relative path against the working
   * directory.
   */
  public static Setting<Path> path(String name, String description) {
    return new Setting<>(name, Type.PATH, null, description, 0, 0, 0, 0, null, null);
  }

  /** A list of non-empty strings. */
  public static Setting<List<String>> list(
      String name, List<String> defaultValue, String description) {
    List<String> copy = Collections.unmodifiableList(new ArrayList<>(defaultValue));
    return new Setting<>(name, Type.LIST, copy, description, 0, 0, 0, 0, null, null);
  }

  /** One of a fixed set of lower-case words, accepted in any case. */
  public static Setting<String> oneOf(
      String name, String defaultValue, List<String> allowed, String description) {
    List<String> copy = Collections.unmodifiableList(new ArrayList<>(allowed));
    return new Setting<>(name, Type.ENUM, defaultValue, description, 0, 0, 0, 0, copy, null);
  }

  private Pattern pattern() {
    Pattern compiled = pattern;
    if (compiled == null) {
      compiled = Pattern.compile(regex);
      pattern = compiled;
    }
    return compiled;
  }

  /** The key, such as {@code exporter.port}. */
  public String name() {
    return name;
  }

  /** The kind of value. */
  public Type type() {
    return type;
  }

  /** The value used when the key is not set or its value is not accepted; null if none. */
  public T defaultValue() {
    return defaultValue;
  }

  /** One sentence saying what the setting does, for the README table. */
  public String description() {
    return description;
  }

  /** The allowed values of an enum setting, else an empty list. */
  public List<String> allowedValues() {
    return allowed == null ? List.of() : allowed;
  }

  /**
   * The environment variable that sets this key: {@code TASKMASTER_} and the key in upper case,
   * dots and dashes turned into underscores.
   */
  public String environmentName() {
    return environmentName(name);
  }

  static String environmentName(String key) {
    return "TASKMASTER_" + key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
  }

  /**
   * Converts text to a value of this setting.
   *
   * @throws IllegalArgumentException if the text is not accepted; {@link #accepted()} says what is
   */
  @SuppressWarnings("unchecked")
  public T parse(String text) {
    String value = text == null ? "" : text.trim();
    if (value.isEmpty()) {
      throw new IllegalArgumentException("empty");
    }
    return (T) parseNonEmpty(value);
  }

  private Object parseNonEmpty(String value) {
    switch (type) {
      case STRING:
        if (regex != null && !pattern().matcher(value).matches()) {
          throw new IllegalArgumentException(value);
        }
        return value;
      case INT:
      case LONG:
        long number = Long.parseLong(value);
        if (number < min || number > max) {
          throw new IllegalArgumentException(value);
        }
        return type == Type.INT ? (Object) (int) number : (Object) number;
      case DOUBLE:
        if (!Patterns.DECIMAL.matcher(value).matches()) {
          throw new IllegalArgumentException(value);
        }
        double d = Double.parseDouble(value);
        if (!(d >= minDouble && d <= maxDouble)) {
          throw new IllegalArgumentException(value);
        }
        return d;
      case BOOLEAN:
        return parseBoolean(value);
      case DURATION:
        return parseDuration(value);
      case PATH:
        return Path.of(value);
      case LIST:
        return parseList(value);
      case ENUM:
        String lower = value.toLowerCase(Locale.ROOT);
        if (!allowed.contains(lower)) {
          throw new IllegalArgumentException(value);
        }
        return lower;
      default:
        throw new IllegalStateException("unhandled type " + type);
    }
  }

  private static Boolean parseBoolean(String value) {
    String lower = value.toLowerCase(Locale.ROOT);
    if (lower.equals("true") || lower.equals("yes") || lower.equals("on")) {
      return Boolean.TRUE;
    }
    if (lower.equals("false") || lower.equals("no") || lower.equals("off")) {
      return Boolean.FALSE;
    }
    throw new IllegalArgumentException(value);
  }

  private Duration parseDuration(String value) {
    Matcher m = Patterns.DURATION_TEXT.matcher(value);
    if (!m.matches()) {
      throw new IllegalArgumentException(value);
    }
    String unit = m.group(2) == null ? "s" : m.group(2).toLowerCase(Locale.ROOT);
    long factor =
        unit.equals("ms") ? 1 : unit.equals("s") ? 1_000 : unit.equals("m") ? 60_000 : 3_600_000;
    // Overflow (huge numbers) throws NumberFormatException or ArithmeticException: not accepted.
    long millis = Math.multiplyExact(Long.parseLong(m.group(1)), factor);
    if (millis < min || millis > max) {
      throw new IllegalArgumentException(value);
    }
    return Duration.ofMillis(millis);
  }

  /** Splits on commas and semicolons, trims items and drops empty ones. */
  static List<String> parseList(String value) {
    List<String> items = new ArrayList<>();
    int start = 0;
    for (int i = 0; i <= value.length(); i++) {
      if (i == value.length() || value.charAt(i) == ',' || value.charAt(i) == ';') {
        String item = value.substring(start, i).trim();
        if (!item.isEmpty()) {
          items.add(item);
        }
        start = i + 1;
      }
    }
    return Collections.unmodifiableList(items);
  }

  /** Says what {@link #parse} accepts, e.g. {@code an integer from 0 to 65535}. */
  public String accepted() {
    switch (type) {
      case STRING:
        return regex == null
            ? "a non-empty text"
            : "a text matching the regular expression " + regex;
      case INT:
      case LONG:
        return "an integer from " + min + " to " + max;
      case DOUBLE:
        return "a number from " + minDouble + " to " + maxDouble;
      case BOOLEAN:
        return "true or false (also yes/no, on/off)";
      case DURATION:
        return "a duration from "
            + formatDuration(Duration.ofMillis(min))
            + " to "
            + formatDuration(Duration.ofMillis(max))
            + ", written like 500ms, 30s, 5m or 1h (a plain number means seconds)";
      case PATH:
        return "a file path";
      case LIST:
        return "a list of items separated by ',' or ';'";
      case ENUM:
        return "one of " + String.join(", ", allowed);
      default:
        return type.name();
    }
  }

  /**
   * The smallest accepted value, written as {@link #parse} accepts it, such as {@code 30000ms};
   * {@code null} for a type without bounds.
   */
  public String minimum() {
    return bound(true);
  }

  /** The largest accepted value, like {@link #minimum()}. */
  public String maximum() {
    return bound(false);
  }

  private String bound(boolean lower) {
    switch (type) {
      case INT:
      case LONG:
        return Long.toString(lower ? min : max);
      case DOUBLE:
        return Double.toString(lower ? minDouble : maxDouble);
      case DURATION:
        return (lower ? min : max) + "ms";
      default:
        return null;
    }
  }

  /** The type as shown in the README table, with its bounds, e.g. {@code int, 0..65535}. */
  public String typeDescription() {
    switch (type) {
      case STRING:
        return regex == null ? "string" : "string matching `" + regex + "`";
      case INT:
      case LONG:
        return type.name().toLowerCase(Locale.ROOT) + ", " + min + ".." + max;
      case DOUBLE:
        return "number, " + minDouble + ".." + maxDouble;
      case DURATION:
        return "duration, "
            + formatDuration(Duration.ofMillis(min))
            + ".."
            + formatDuration(Duration.ofMillis(max));
      case ENUM:
        return "enum: " + String.join(", ", allowed);
      default:
        return type.name().toLowerCase(Locale.ROOT);
    }
  }

  /** Formats a value of this setting the way {@link #parse} accepts it; empty for null. */
  public String format(Object value) {
    if (value == null) {
      return "";
    }
    if (value instanceof Duration) {
      return formatDuration((Duration) value);
    }
    if (value instanceof List) {
      List<?> items = (List<?>) value;
      StringBuilder text = new StringBuilder();
      for (int i = 0; i < items.size(); i++) {
        text.append(i == 0 ? "" : ",").append(items.get(i));
      }
      return text.toString();
    }
    return String.valueOf(value);
  }

  /** The largest exact unit: {@code 1h}, {@code 90s}, {@code 1500ms}. */
  static String formatDuration(Duration duration) {
    long millis = duration.toMillis();
    if (millis != 0 && millis % 3_600_000 == 0) {
      return millis / 3_600_000 + "h";
    }
    if (millis != 0 && millis % 60_000 == 0) {
      return millis / 60_000 + "m";
    }
    if (millis % 1_000 == 0) {
      return millis / 1_000 + "s";
    }
    return millis + "ms";
  }

  @Override
  public String toString() {
    return name;
  }
}
