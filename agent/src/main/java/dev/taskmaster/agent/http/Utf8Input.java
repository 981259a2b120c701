package dev.taskmaster.agent.http;

import java.io.ByteArrayInputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;

/** Readers of captured UTF-8 bodies for the JSON parsers. */
final class Utf8Input {

  /**
   * Bodies up to this size are decoded in one piece: cheaper than a stream decoder, whose buffers
   * alone take 8 KB; larger ones are decoded as they are read, so that they are not copied whole.
   */
  static final int DECODED_WHOLE_MAX_BYTES = 8192;

  private Utf8Input() {}

  /**
   * The text of {@code bytes[start, end)}; malformed or cut sequences read as U+FFFD either way, as
   * the stream decoder and the string constructor both replace them.
   */
  static Reader reader(byte[] bytes, int start, int end) {
    int length = end - start;
    if (length <= DECODED_WHOLE_MAX_BYTES) {
      return new StringReader(new String(bytes, start, length, StandardCharsets.UTF_8));
    }
    return new InputStreamReader(
        new ByteArrayInputStream(bytes, start, length), StandardCharsets.UTF_8);
  }
}
