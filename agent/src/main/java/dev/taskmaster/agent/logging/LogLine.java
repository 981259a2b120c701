package dev.taskmaster.agent.logging;

import com.google.gson.stream.JsonWriter;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
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

  private final StringWriter text = new StringWriter(256);
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

  /** Formats Unix milliseconds like the {@code timestamp} field. */
  public static String formatTimestamp(long epochMillis) {
    return TIMESTAMP.format(Instant.ofEpochMilli(epochMillis));
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

  private boolean accept(String name) {
    if (finished || name == null) {
      return false;
    }
    return names.add(name);
  }
}
