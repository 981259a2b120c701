package dev.taskmaster.agenttests.harness;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.function.IntPredicate;

/**
 * One scrape of {@code /metrics}, parsed from the Prometheus text format (version 0.0.4): every
 * sample as a name, its labels and its value. Comments ({@code # HELP}, {@code # TYPE}) are
 * skipped.
 *
 * <p>Label filters are given as name, value pairs; a sample matches when it has every given label
 * with that value (other labels may have any value).
 */
public final class MetricsSnapshot {

  /** One sample line. */
  public record Sample(String name, Map<String, String> labels, double value) {}

  private final String text;
  private final List<Sample> samples;

  private MetricsSnapshot(String text, List<Sample> samples) {
    this.text = text;
    this.samples = samples;
  }

  /**
   * Parses an exposition in the text format.
   *
   * @throws IllegalArgumentException on a line that is not a comment, empty or a valid sample
   */
  public static MetricsSnapshot parse(String text) {
    List<Sample> samples = new ArrayList<>();
    int lineNumber = 0;
    for (String line : text.split("\n", -1)) {
      lineNumber++;
      String trimmed = line.strip();
      if (trimmed.isEmpty() || trimmed.startsWith("#")) {
        continue;
      }
      try {
        samples.add(new LineParser(trimmed).parse());
      } catch (RuntimeException e) {
        throw new IllegalArgumentException(
            "line " + lineNumber + " is not a valid sample: " + line + " (" + e.getMessage() + ")",
            e);
      }
    }
    return new MetricsSnapshot(text, Collections.unmodifiableList(samples));
  }

  /** The text as scraped. */
  public String text() {
    return text;
  }

  /** Every sample. */
  public List<Sample> samples() {
    return samples;
  }

  /** The samples of this name that carry the given labels. */
  public List<Sample> samples(String name, String... labelFilters) {
    Map<String, String> filters = filters(labelFilters);
    List<Sample> matching = new ArrayList<>();
    for (Sample sample : samples) {
      if (sample.name().equals(name) && matches(sample.labels(), filters)) {
        matching.add(sample);
      }
    }
    return matching;
  }

  /** The value of the one sample that matches; fails when none or several match. */
  public double value(String name, String... labelFilters) {
    List<Sample> matching = samples(name, labelFilters);
    if (matching.size() != 1) {
      throw new AssertionError(
          "expected exactly one sample "
              + describe(name, labelFilters)
              + " but found "
              + matching.size()
              + ": "
              + matching
              + "\n--- scraped ---\n"
              + text);
    }
    return matching.get(0).value();
  }

  /** The value of the one sample that matches, empty when none does; fails when several match. */
  public OptionalDouble find(String name, String... labelFilters) {
    List<Sample> matching = samples(name, labelFilters);
    if (matching.size() > 1) {
      throw new AssertionError(
          "expected at most one sample " + describe(name, labelFilters) + " but found " + matching);
    }
    return matching.isEmpty() ? OptionalDouble.empty() : OptionalDouble.of(matching.get(0).value());
  }

  /** The sum of the matching samples; 0 when none matches. */
  public double sum(String name, String... labelFilters) {
    double sum = 0;
    for (Sample sample : samples(name, labelFilters)) {
      sum += sample.value();
    }
    return sum;
  }

  /** Whether any sample of this name (any labels) exists. */
  public boolean has(String name, String... labelFilters) {
    return !samples(name, labelFilters).isEmpty();
  }

  @Override
  public String toString() {
    return text;
  }

  private static String describe(String name, String... labelFilters) {
    return name + filters(labelFilters);
  }

  private static Map<String, String> filters(String... labelFilters) {
    if (labelFilters.length % 2 != 0) {
      throw new IllegalArgumentException("label filters come in name, value pairs");
    }
    Map<String, String> filters = new LinkedHashMap<>();
    for (int i = 0; i < labelFilters.length; i += 2) {
      filters.put(labelFilters[i], labelFilters[i + 1]);
    }
    return filters;
  }

  private static boolean matches(Map<String, String> labels, Map<String, String> filters) {
    for (Map.Entry<String, String> filter : filters.entrySet()) {
      if (!filter.getValue().equals(labels.get(filter.getKey()))) {
        return false;
      }
    }
    return true;
  }

  /** Parses one sample line: {@code name{label="value",...} value [timestamp]}. */
  private static final class LineParser {
    private final String line;
    private int position;

    LineParser(String line) {
      this.line = line;
    }

    Sample parse() {
      String name = readWhile(LineParser::isNameChar);
      if (name.isEmpty()) {
        throw new IllegalArgumentException("no metric name");
      }
      Map<String, String> labels = new LinkedHashMap<>();
      if (peek() == '{') {
        position++;
        readLabels(labels);
      }
      skipSpaces();
      String value = readWhile(c -> c != ' ' && c != '\t');
      if (value.isEmpty()) {
        throw new IllegalArgumentException("no value");
      }
      return new Sample(name, Collections.unmodifiableMap(labels), parseValue(value));
    }

    private void readLabels(Map<String, String> labels) {
      while (true) {
        skipSpaces();
        if (peek() == '}') {
          position++;
          return;
        }
        String label = readWhile(LineParser::isNameChar);
        skipSpaces();
        expect('=');
        skipSpaces();
        expect('"');
        StringBuilder value = new StringBuilder();
        while (true) {
          char c = next();
          if (c == '"') {
            break;
          }
          if (c == '\\') {
            char escaped = next();
            value.append(escaped == 'n' ? '\n' : escaped);
          } else {
            value.append(c);
          }
        }
        if (labels.put(label, value.toString()) != null) {
          throw new IllegalArgumentException("label " + label + " given twice");
        }
        skipSpaces();
        if (peek() == ',') {
          position++;
        } else if (peek() != '}') {
          throw new IllegalArgumentException("expected , or } at " + position);
        }
      }
    }

    private static double parseValue(String value) {
      switch (value) {
        case "+Inf":
          return Double.POSITIVE_INFINITY;
        case "-Inf":
          return Double.NEGATIVE_INFINITY;
        case "NaN":
          return Double.NaN;
        default:
          return Double.parseDouble(value);
      }
    }

    private static boolean isNameChar(int c) {
      return Character.isLetterOrDigit(c) || c == '_' || c == ':';
    }

    private String readWhile(IntPredicate accept) {
      int start = position;
      while (position < line.length() && accept.test(line.charAt(position))) {
        position++;
      }
      return line.substring(start, position);
    }

    private void skipSpaces() {
      while (position < line.length() && line.charAt(position) == ' ') {
        position++;
      }
    }

    private char peek() {
      return position < line.length() ? line.charAt(position) : '\0';
    }

    private char next() {
      if (position >= line.length()) {
        throw new IllegalArgumentException("unexpected end of line");
      }
      return line.charAt(position++);
    }

    private void expect(char c) {
      if (next() != c) {
        throw new IllegalArgumentException("expected " + c + " at " + (position - 1));
      }
    }
  }
}
