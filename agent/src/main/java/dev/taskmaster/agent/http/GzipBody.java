package dev.taskmaster.agent.http;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.zip.GZIPInputStream;

/**
 * Inflates a response that was recorded as it travelled on the wire, gzip-compressed, while the
 * application read it decompressed (OkHttp and Apache HttpClient decompress on the application's
 * side of the point where the agent tees). Runs on the pipeline's thread, never on the
 * application's.
 *
 * <p>The inflated recording has no line timing: the time to first token of such a response is not
 * known.
 */
public final class GzipBody {

  private GzipBody() {}

  /**
   * Returns a recording of the inflated bytes, ended with the same outcome and end time as {@code
   * compressed}, which must have ended. A body cut short (a broken stream, the capture limit)
   * yields what could be inflated; past the capture limit the result counts as overflowed.
   */
  public static ResponseRecorder inflate(ResponseRecorder compressed) {
    ResponseRecorder inflated =
        new ResponseRecorder(compressed.maxBytes(), compressed.startNanos());
    long firstByte = compressed.timeToFirstByteNanos();
    long arrival = compressed.startNanos() + Math.max(0, firstByte);
    byte[] bytes = compressed.capturedHead(Integer.MAX_VALUE);
    try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(bytes), 8192)) {
      byte[] chunk = new byte[8192];
      for (int n; (n = in.read(chunk)) > 0; ) {
        inflated.onBytes(chunk, 0, n, arrival);
        if (inflated.overflowed()) {
          break;
        }
      }
    } catch (IOException truncated) {
      // A cut stream or a capped capture: keep what was inflated.
    }
    if (compressed.overflowed()) {
      inflated.markOverflowed();
    }
    inflated.end(compressed.outcome(), compressed.endNanos(), null);
    return inflated;
  }
}
