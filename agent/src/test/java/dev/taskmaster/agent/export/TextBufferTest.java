package dev.taskmaster.agent.export;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TextBufferTest {

  private static String text(TextBuffer buffer) {
    return new String(buffer.toByteArray(), StandardCharsets.US_ASCII);
  }

  @Test
  void wholeNumbersAreWrittenAsLongToStringWrites() {
    long[] values = {
      0,
      1,
      9,
      10,
      11,
      99,
      100,
      101,
      999,
      1000,
      65_535,
      1_000_000,
      999_999_999,
      1_000_000_000,
      Integer.MAX_VALUE,
      Integer.MAX_VALUE + 1L,
      9_999_999_999L,
      10_000_000_005L,
      123_456_789_012_345L,
      100_000_000_000_000_000L,
      999_999_999_999_999_999L,
      1_000_000_000_000_000_000L,
      Long.MAX_VALUE,
      -1,
      -10,
      Long.MIN_VALUE
    };
    for (long value : values) {
      TextBuffer buffer = new TextBuffer(1);
      buffer.append('x').appendLong(value).append('y');
      assertEquals("x" + value + "y", text(buffer), "value " + value);
    }
  }

  @Test
  void doublesAreWrittenAsTheClientLibraryWritesThem() {
    double[] values = {0, 1, 7, 9_999_999, 10_000_000, 0.25, -3, 1e-9, Double.NaN};
    for (double value : values) {
      TextBuffer buffer = new TextBuffer(1);
      buffer.appendDouble(value);
      assertEquals(Double.toString(value), text(buffer), "value " + value);
    }
    assertEquals("+Inf", text(new TextBuffer(1).appendDouble(Double.POSITIVE_INFINITY)));
    assertEquals("-Inf", text(new TextBuffer(1).appendDouble(Double.NEGATIVE_INFINITY)));
  }

  @Test
  void writesALargeBodyInBoundedChunks() throws Exception {
    TextBuffer buffer = new TextBuffer(16);
    for (int i = 0; i < 50_000; i++) {
      buffer.appendLong(i).append('\n');
    }
    List<Integer> writes = new ArrayList<>();
    ByteArrayOutputStream copy = new ByteArrayOutputStream();
    buffer.writeTo(
        new OutputStream() {
          @Override
          public void write(int b) {
            copy.write(b);
            writes.add(1);
          }

          @Override
          public void write(byte[] b, int off, int len) {
            copy.write(b, off, len);
            writes.add(len);
          }
        });
    assertArrayEquals(buffer.toByteArray(), copy.toByteArray());
    for (int length : writes) {
      assertEquals(true, length <= TextBuffer.WRITE_CHUNK, "write of " + length + " bytes");
    }
    assertEquals(
        (buffer.size() + TextBuffer.WRITE_CHUNK - 1) / TextBuffer.WRITE_CHUNK, writes.size());
  }
}
