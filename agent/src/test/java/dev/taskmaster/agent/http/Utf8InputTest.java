package dev.taskmaster.agent.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** A body decoded whole reads as the stream decoder reads it, malformed and cut bytes included. */
class Utf8InputTest {

  private static String read(Reader reader) throws IOException {
    StringWriter text = new StringWriter();
    reader.transferTo(text);
    return text.toString();
  }

  private static String streamed(byte[] bytes, int start, int end) throws IOException {
    return read(
        new InputStreamReader(
            new ByteArrayInputStream(bytes, start, end - start), StandardCharsets.UTF_8));
  }

  private static void assertSameText(byte[] bytes, int start, int end) throws IOException {
    assertEquals(streamed(bytes, start, end), read(Utf8Input.reader(bytes, start, end)));
  }

  @Test
  void wellFormedMalformedAndCutBodies() throws IOException {
    byte[] text =
        "{\"content\":\"caf\u00e9 \u20ac \ud83d\ude00 \u2028\"}".getBytes(StandardCharsets.UTF_8);
    for (int end = 0; end <= text.length; end++) {
      assertSameText(text, 0, end);
      assertSameText(text, Math.min(3, end), end);
    }
    byte[][] malformed = {
      {(byte) 0xc3},
      {(byte) 0xe2, (byte) 0x82},
      {(byte) 0xf0, (byte) 0x9f, (byte) 0x98},
      {(byte) 0xff, 'a', (byte) 0xfe},
      {(byte) 0xc0, (byte) 0x80},
      {(byte) 0xed, (byte) 0xa0, (byte) 0x80},
      {(byte) 0xf4, (byte) 0x90, (byte) 0x80, (byte) 0x80},
      {'a', (byte) 0x80, (byte) 0xbf, 'b'},
    };
    for (byte[] bytes : malformed) {
      assertSameText(bytes, 0, bytes.length);
    }
  }

  @Test
  void randomBytes() throws IOException {
    SplittableRandom random = new SplittableRandom(7);
    for (int i = 0; i < 20_000; i++) {
      byte[] bytes = new byte[random.nextInt(1, 64)];
      for (int k = 0; k < bytes.length; k++) {
        // Mostly the lead and continuation bytes of multi-byte sequences.
        bytes[k] =
            (byte) (random.nextBoolean() ? 0x80 + random.nextInt(0x80) : random.nextInt(256));
      }
      assertSameText(bytes, 0, bytes.length);
    }
  }

  @Test
  void largeBodiesAreStreamedToTheSameText() throws IOException {
    byte[] big =
        "\u00e9\u20ac".repeat(Utf8Input.DECODED_WHOLE_MAX_BYTES).getBytes(StandardCharsets.UTF_8);
    assertEquals(
        "\u00e9\u20ac".repeat(Utf8Input.DECODED_WHOLE_MAX_BYTES),
        read(Utf8Input.reader(big, 0, big.length)));
    assertSameText(big, 1, big.length - 1);
  }
}
