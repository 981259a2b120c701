package dev.taskmaster.agent.export;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A growable byte buffer that the {@code /metrics} body is written into, with the few appends the
 * text exposition format needs (ASCII, decimal numbers, escaped label values), so that writing a
 * line costs copies rather than a character-by-character {@code Writer}.
 */
public final class TextBuffer extends OutputStream {

  private byte[] bytes;
  private int size;

  /**
   * @param capacity initial capacity in bytes
   */
  public TextBuffer(int capacity) {
    bytes = new byte[Math.max(16, capacity)];
  }

  /** Bytes written so far. */
  public int size() {
    return size;
  }

  /** Forgets what was written; keeps the capacity. */
  public void reset() {
    size = 0;
  }

  /**
   * Bytes handed to the output stream per write. The JDK's HTTP server copies each write into a
   * per-connection buffer that grows to twice the largest write and is kept, and the socket write
   * copies it into a per-thread direct buffer of its size that is cached: one 1.3 MB write left 2.6
   * MB of heap per connection and 1.3 MB of native memory per exporter thread.
   */
  static final int WRITE_CHUNK = 64 * 1024;

  /** Writes what was written so far to {@code out}, in chunks of {@value #WRITE_CHUNK} bytes. */
  public void writeTo(OutputStream out) throws IOException {
    for (int from = 0; from < size; from += WRITE_CHUNK) {
      out.write(bytes, from, Math.min(WRITE_CHUNK, size - from));
    }
  }

  /** A copy of what was written so far. */
  public byte[] toByteArray() {
    return Arrays.copyOf(bytes, size);
  }

  @Override
  public void write(int b) {
    ensure(1);
    bytes[size++] = (byte) b;
  }

  @Override
  public void write(byte[] b, int off, int len) {
    ensure(len);
    System.arraycopy(b, off, bytes, size, len);
    size += len;
  }

  /** Appends all of {@code b}. */
  public TextBuffer append(byte[] b) {
    write(b, 0, b.length);
    return this;
  }

  /** Appends one byte. */
  public TextBuffer append(char ascii) {
    write(ascii);
    return this;
  }

  /** Appends a non-negative or negative whole number in decimal. */
  public TextBuffer appendLong(long value) {
    if (value < 0 || value >= 1_000_000_000_000_000L) {
      return appendAscii(Long.toString(value));
    }
    // Most values on a scrape are small counts: one digit, without a division.
    if (value < 10) {
      ensure(1);
      bytes[size++] = (byte) ('0' + value);
      return this;
    }
    int digits = 2;
    for (long bound = 100; digits < 18 && value >= bound; bound *= 10) {
      digits++;
    }
    ensure(digits);
    int end = size + digits;
    int i = end - 1;
    // Long division only for the digits above int range; the rest in int arithmetic.
    for (; value > Integer.MAX_VALUE; i--) {
      long next = value / 10;
      bytes[i] = (byte) ('0' + (value - next * 10));
      value = next;
    }
    for (int rest = (int) value; i >= size; i--) {
      int next = rest / 10;
      bytes[i] = (byte) ('0' + (rest - next * 10));
      rest = next;
    }
    size = end;
    return this;
  }

  /**
   * Appends a value the way the Prometheus client's text format writes it: {@code Double.toString},
   * {@code +Inf}, {@code -Inf}, {@code NaN}.
   */
  public TextBuffer appendDouble(double value) {
    if (value == Double.POSITIVE_INFINITY) {
      return appendAscii("+Inf");
    }
    if (value == Double.NEGATIVE_INFINITY) {
      return appendAscii("-Inf");
    }
    long whole = (long) value;
    // Double.toString of a whole number under 10^7 is its digits and ".0"; skip the dtoa.
    if (whole == value && whole >= 0 && whole < 10_000_000L && !isNegativeZero(value)) {
      appendLong(whole);
      write('.');
      write('0');
      return this;
    }
    return appendAscii(Double.toString(value));
  }

  /**
   * A value's text, kept to be appended again while the value has not changed: formatting a
   * fractional double costs more than the rest of its line.
   */
  public static final class FormattedDouble {
    final long bits;
    final byte[] text;

    private FormattedDouble(double value) {
      bits = Double.doubleToRawLongBits(value);
      TextBuffer buffer = new TextBuffer(24);
      buffer.appendDouble(value);
      text = buffer.toByteArray();
    }
  }

  /**
   * Appends {@code value} as {@link #appendDouble} does, reusing {@code last} when it holds the
   * same value; returns what to pass next time.
   */
  public FormattedDouble appendDouble(double value, FormattedDouble last) {
    FormattedDouble formatted = last;
    if (formatted == null || formatted.bits != Double.doubleToRawLongBits(value)) {
      formatted = new FormattedDouble(value);
    }
    append(formatted.text);
    return formatted;
  }

  /** Appends a string of ASCII characters. */
  public TextBuffer appendAscii(String ascii) {
    int length = ascii.length();
    ensure(length);
    for (int i = 0; i < length; i++) {
      bytes[size + i] = (byte) ascii.charAt(i);
    }
    size += length;
    return this;
  }

  /**
   * A label value as UTF-8 with the text format's escapes ({@code \\}, {@code \"}, {@code \n}), to
   * be computed once per label set.
   */
  public static byte[] escapeLabelValue(String value) {
    StringBuilder escaped = new StringBuilder(value.length() + 8);
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      switch (c) {
        case '\\':
          escaped.append("\\\\");
          break;
        case '"':
          escaped.append("\\\"");
          break;
        case '\n':
          escaped.append("\\n");
          break;
        default:
          escaped.append(c);
      }
    }
    return escaped.toString().getBytes(StandardCharsets.UTF_8);
  }

  private static boolean isNegativeZero(double value) {
    return value == 0 && Double.doubleToRawLongBits(value) != 0;
  }

  private void ensure(int more) {
    if (size + more > bytes.length) {
      bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, size + more));
    }
  }
}
