package dev.taskmaster.agent.logging;

import com.google.gson.stream.JsonWriter;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;

/**
 * One JSON object of the structured log, written field by field in the order the fields are put. A
 * name that was already put is ignored, so that attached fields cannot overwrite the standard ones.
 * Not thread-safe: one line is built by one thread.
 *
 * <p>Start one with {@link StructuredLog#event}, which puts {@code timestamp}, {@code level},
 * {@code service}, {@code message} and {@code event_type} first.
 */
public final class LogLine {

  /** ISO-8601 in UTC, always with milliseconds and {@code Z}. */
  static final DateTimeFormatter TIMESTAMP =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

  // Room for a request line with quality and cost fields without growing.
  private final StringWriter text = new StringWriter(768);
  private final JsonWriter json = new JsonWriter(text);
  private final Set<String> names = new HashSet<>();
  private boolean finished;

  LogLine() {
    json.setHtmlSafe(false);
    // Nulls are written: a field that is always present is easier to query than one that comes
    // and goes.
    json.setSerializeNulls(true);
    try {
      json.beginObject();
    } catch (IOException impossible) {
      throw new UncheckedIOException(impossible);
    }
  }

  /**
   * The text of the last second formatted, shared by every thread: an immutable value, so that a
   * thread that reads a stale one only formats its second again.
   */
  private static SecondText lastSecond = new SecondText(0);

  /**
   * Formats Unix milliseconds like the {@code timestamp} field: as {@link #TIMESTAMP} does, which
   * formats only the first line of each second; the others reuse its text up to the milliseconds.
   */
  public static String formatTimestamp(long epochMillis) {
    long second = Math.floorDiv(epochMillis, 1000);
    int millis = (int) Math.floorMod(epochMillis, 1000);
    SecondText cached = lastSecond;
    if (cached.second != second) {
      cached = new SecondText(second);
      lastSecond = cached;
    }
    byte[] prefix = cached.prefix;
    int at = prefix.length;
    byte[] text = Arrays.copyOf(prefix, at + 4);
    text[at] = (byte) ('0' + millis / 100);
    text[at + 1] = (byte) ('0' + millis / 10 % 10);
    text[at + 2] = (byte) ('0' + millis % 10);
    text[at + 3] = 'Z';
    return new String(text, StandardCharsets.ISO_8859_1);
  }

  /** Puts a text field; {@code null} is written as JSON {@code null}. */
  public LogLine put(String name, String value) {
    if (accept(name)) {
      try {
        json.name(name).value(value);
      } catch (IOException impossible) {
        throw new UncheckedIOException(impossible);
      }
    }
    return this;
  }

  /** Puts an integer field. */
  public LogLine put(String name, long value) {
    if (accept(name)) {
      try {
        json.name(name).value(value);
      } catch (IOException impossible) {
        throw new UncheckedIOException(impossible);
      }
    }
    return this;
  }

  /** Puts a number field; NaN and infinities, which JSON cannot hold, are written as null. */
  public LogLine put(String name, double value) {
    if (accept(name)) {
      try {
        if (Double.isFinite(value)) {
          json.name(name).value(value);
        } else {
          json.name(name).nullValue();
        }
      } catch (IOException impossible) {
        throw new UncheckedIOException(impossible);
      }
    }
    return this;
  }

  /** Puts a boolean field. */
  public LogLine put(String name, boolean value) {
    if (accept(name)) {
      try {
        json.name(name).value(value);
      } catch (IOException impossible) {
        throw new UncheckedIOException(impossible);
      }
    }
    return this;
  }

  /** Puts an integer field that uses a negative number for "absent": absent becomes null. */
  public LogLine putCount(String name, long value) {
    if (value < 0) {
      return put(name, (String) null);
    }
    return put(name, value);
  }

  /** Whether a field of this name was put. */
  public boolean has(String name) {
    return names.contains(name);
  }

  /** Ends the object and returns it as one line, without the line break. */
  String toJson() {
    try {
      if (!finished) {
        json.endObject();
        json.flush();
        finished = true;
      }
    } catch (IOException impossible) {
      throw new UncheckedIOException(impossible);
    }
    return text.toString();
  }

  /** A second's timestamp text up to its milliseconds, such as {@code 2025-01-31T12:00:01.}. */
  private static final class SecondText {
    final long second;
    final byte[] prefix;

    SecondText(long second) {
      this.second = second;
      String whole = TIMESTAMP.format(Instant.ofEpochSecond(second));
      // Everything before "000Z"; only ASCII characters.
      this.prefix = whole.substring(0, whole.length() - 4).getBytes(StandardCharsets.ISO_8859_1);
    }
  }

  private boolean accept(String name) {
    if (finished || name == null) {
      return false;
    }
    return names.add(name);
  }
}
