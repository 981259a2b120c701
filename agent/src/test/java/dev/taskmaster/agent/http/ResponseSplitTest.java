package dev.taskmaster.agent.http;

import static dev.taskmaster.agent.http.ResponseParserTest.MS;
import static dev.taskmaster.agent.http.ResponseParserTest.T0;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.taskmaster.agent.http.ResponseRecorder.Outcome;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

/** The same bytes, however the application happened to read them. */
class ResponseSplitTest {

  /** Two-, three- and four-byte UTF-8 characters, and an escaped one. */
  private static final String TEXT = "héllo wörld — €5 😀 日本語 \\u00e9";

  private static final String EXPECTED = "héllo wörld — €5 😀 日本語 é";

  private static final String OPENAI_SSE =
      ": keep-alive\n\n"
          + "data: {\"id\":\"chatcmpl-s\",\"choices\":[{\"index\":0,\"delta\":{\"role\":"
          + "\"assistant\",\"content\":\"\"},\"finish_reason\":null}]}\n\n"
          + "data: {\"id\":\"chatcmpl-s\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\""
          + TEXT.substring(0, 9)
          + "\"},\"finish_reason\":null}]}\r\n\r\n"
          + "data: {\"id\":\"chatcmpl-s\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\""
          + TEXT.substring(9)
          + "\"},\"finish_reason\":\"stop\"}]}\n\n"
          + "data: {\"id\":\"chatcmpl-s\",\"choices\":[],\"usage\":{\"prompt_tokens\":3,"
          + "\"completion_tokens\":11}}\n\n"
          + "data: [DONE]\n\n";

  private static final String OLLAMA_NDJSON =
      "{\"model\":\"llama3.2\",\"message\":{\"role\":\"assistant\",\"content\":\""
          + TEXT.substring(0, 13)
          + "\"},\"done\":false}\n"
          + "{\"model\":\"llama3.2\",\"message\":{\"role\":\"assistant\",\"content\":\""
          + TEXT.substring(13)
          + "\"},\"done\":false}\n"
          + "{\"model\":\"llama3.2\",\"message\":{\"role\":\"assistant\",\"content\":\"\"},"
          + "\"done\":true,\"done_reason\":\"stop\",\"prompt_eval_count\":3,\"eval_count\":11,"
          + "\"eval_duration\":1000}\n";

  private static final String RESPONSES_SSE =
      "event: response.created\n"
          + "data: {\"type\":\"response.created\",\"response\":{\"id\":\"resp_s\"}}\n\n"
          + "event: response.output_text.delta\n"
          + "data: {\"type\":\"response.output_text.delta\",\"delta\":\""
          + TEXT.substring(0, 17)
          + "\"}\n\n"
          + "event: response.output_text.delta\n"
          + "data: {\"type\":\"response.output_text.delta\",\"delta\":\""
          + TEXT.substring(17)
          + "\"}\n\n"
          + "event: response.completed\n"
          + "data: {\"type\":\"response.completed\",\"response\":{\"id\":\"resp_s\","
          + "\"status\":\"completed\",\"usage\":{\"input_tokens\":3,\"output_tokens\":11}}}\n\n";

  private static final String OPENAI_JSON =
      "{\"id\":\"chatcmpl-j\",\"object\":\"chat.completion\",\"choices\":[{\"index\":0,"
          + "\"message\":{\"role\":\"assistant\",\"content\":\""
          + TEXT
          + "\"},\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":3,"
          + "\"completion_tokens\":11}}";

  @Test
  void everySplitOfAnOpenAiStream() {
    everySplit(OPENAI_SSE, ApiFlavour.OPENAI_CHAT, "text/event-stream", "\"content\":\"h");
  }

  @Test
  void everySplitOfAnOllamaStream() {
    everySplit(OLLAMA_NDJSON, ApiFlavour.OLLAMA_CHAT, "application/x-ndjson", "\"content\":\"h");
  }

  @Test
  void everySplitOfAResponsesStream() {
    everySplit(RESPONSES_SSE, ApiFlavour.OPENAI_RESPONSES, "text/event-stream", "\"delta\":\"h");
  }

  @Test
  void everySplitOfAWholeResponse() {
    byte[] body = OPENAI_JSON.getBytes(StandardCharsets.UTF_8);
    for (int split = 0; split <= body.length; split++) {
      ResponseSummary summary =
          ResponseParser.parse(
              twoChunks(body, split), ApiFlavour.OPENAI_CHAT, false, "application/json");
      assertEquals(EXPECTED, summary.text, "split at " + split);
      assertEquals(11, summary.outputTokens);
      assertEquals(-1, summary.timeToFirstTokenNanos);
      assertFalse(summary.parseError);
    }
  }

  /**
   * Splits the body in two at every byte, multi-byte characters included. The first token's time is
   * the first chunk's when the line holding it ended in that chunk, else the second's.
   */
  private static void everySplit(
      String body, ApiFlavour flavour, String contentType, String firstTokenMarker) {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    int marker = indexOf(bytes, firstTokenMarker.getBytes(StandardCharsets.UTF_8));
    int lineEnd = indexOf(bytes, "\n".getBytes(StandardCharsets.UTF_8), marker);
    int carriage = indexOf(bytes, "\r".getBytes(StandardCharsets.UTF_8), marker);
    if (carriage >= 0 && carriage < lineEnd) {
      lineEnd = carriage;
    }
    for (int split = 0; split <= bytes.length; split++) {
      String where = "split at " + split;
      ResponseSummary summary =
          ResponseParser.parse(twoChunks(bytes, split), flavour, true, contentType);
      assertEquals(EXPECTED, summary.text, where);
      assertEquals(3, summary.inputTokens, where);
      assertEquals(11, summary.outputTokens, where);
      assertEquals("stop", summary.finishReason, where);
      assertEquals(split > lineEnd ? MS : 2 * MS, summary.timeToFirstTokenNanos, where);
      assertFalse(summary.parseError, where);
      assertEquals(bytes.length, summary.totalBytes, where);
    }
  }

  @Test
  void byteByByteReadsGiveTheSameResult() {
    String[][] cases = {
      {OPENAI_SSE, "text/event-stream"}, {OLLAMA_NDJSON, null}, {RESPONSES_SSE, null}
    };
    ApiFlavour[] flavours = {
      ApiFlavour.OPENAI_CHAT, ApiFlavour.OLLAMA_CHAT, ApiFlavour.OPENAI_RESPONSES
    };
    for (int c = 0; c < cases.length; c++) {
      ResponseRecorder recorder = new ResponseRecorder(1 << 20, System.nanoTime());
      for (byte b : cases[c][0].getBytes(StandardCharsets.UTF_8)) {
        recorder.onByte(b & 0xff);
      }
      recorder.complete();
      ResponseSummary summary = ResponseParser.parse(recorder, flavours[c], true, cases[c][1]);
      assertEquals(EXPECTED, summary.text, flavours[c].name());
      assertEquals(11, summary.outputTokens);
      assertFalse(summary.parseError);
      assertFalse(summary.timeToFirstTokenNanos < 0);
    }
  }

  @Test
  void directBuffersOfAnySizeGiveTheSameResult() {
    byte[] bytes = OPENAI_SSE.getBytes(StandardCharsets.UTF_8);
    for (int size : new int[] {1, 3, 17, 100, 1024, bytes.length}) {
      ResponseRecorder recorder = new ResponseRecorder(1 << 20, System.nanoTime());
      ByteBuffer buffer = ByteBuffer.allocateDirect(size);
      for (int off = 0; off < bytes.length; off += size) {
        buffer.clear();
        buffer.put(bytes, off, Math.min(size, bytes.length - off)).flip();
        recorder.onBytes(buffer);
        assertEquals(0, buffer.position());
      }
      recorder.complete();
      ResponseSummary summary =
          ResponseParser.parse(recorder, ApiFlavour.OPENAI_CHAT, true, "text/event-stream");
      assertEquals(EXPECTED, summary.text, "buffers of " + size);
      assertEquals(11, summary.outputTokens);
    }
  }

  private static final String DAMAGE = "{}[]\":,\n\r \\x";

  @Test
  void damagedBodiesNeverThrow() {
    Random random = new Random(42);
    String[] bodies = {OPENAI_SSE, OLLAMA_NDJSON, RESPONSES_SSE, OPENAI_JSON};
    ApiFlavour[] flavours = ApiFlavour.values();
    String[] contentTypes = {null, "text/event-stream", "application/json", "application/x-ndjson"};
    for (int round = 0; round < 3000; round++) {
      byte[] bytes;
      int kind = round % 4;
      if (kind == 0) {
        bytes = new byte[random.nextInt(600)];
        random.nextBytes(bytes);
      } else {
        bytes = bodies[random.nextInt(bodies.length)].getBytes(StandardCharsets.UTF_8);
        bytes = Arrays.copyOf(bytes, random.nextInt(bytes.length + 1));
        for (int flips = random.nextInt(8); flips > 0 && bytes.length > 0; flips--) {
          bytes[random.nextInt(bytes.length)] =
              (byte) DAMAGE.charAt(random.nextInt(DAMAGE.length()));
        }
      }
      if (kind == 3 && bytes.length > 0) {
        bytes[0] = (byte) (random.nextBoolean() ? '{' : 'd');
      }
      ResponseRecorder recorder =
          new ResponseRecorder(random.nextBoolean() ? 1 << 20 : random.nextInt(400), T0);
      int split = bytes.length == 0 ? 0 : random.nextInt(bytes.length);
      recorder.onBytes(bytes, 0, split, T0 + MS);
      recorder.onBytes(bytes, split, bytes.length - split, T0 + 2 * MS);
      recorder.end(Outcome.values()[1 + random.nextInt(3)], T0 + 3 * MS, null);
      ResponseSummary summary =
          ResponseParser.parse(
              recorder,
              random.nextInt(8) == 0 ? null : flavours[random.nextInt(flavours.length)],
              random.nextBoolean(),
              contentTypes[random.nextInt(contentTypes.length)]);
      assertNotNull(summary.format, "round " + round);
    }
  }

  @Test
  void parsingRightAfterACancelWhileBytesStillArrive() throws Exception {
    byte[] bytes = OPENAI_SSE.repeat(200).getBytes(StandardCharsets.UTF_8);
    for (int round = 0; round < 50; round++) {
      ResponseRecorder recorder = new ResponseRecorder(1 << 20, System.nanoTime());
      CountDownLatch started = new CountDownLatch(1);
      Thread reader =
          new Thread(
              () -> {
                for (int off = 0; off < bytes.length; off += 61) {
                  recorder.onBytes(bytes, off, Math.min(61, bytes.length - off));
                  started.countDown();
                }
              });
      reader.start();
      started.await();
      recorder.cancel();
      ResponseSummary summary =
          ResponseParser.parse(recorder, ApiFlavour.OPENAI_CHAT, true, "text/event-stream");
      reader.join();
      assertEquals(Outcome.CANCELLED, summary.outcome);
      assertFalse(summary.parseError, "a cut tail after a cancel is not an error");
      byte[] captured = ResponseRecorderTest.captured(recorder);
      assertArrayEquals(Arrays.copyOf(bytes, captured.length), captured);
    }
  }

  private static ResponseRecorder twoChunks(byte[] body, int split) {
    ResponseRecorder recorder = new ResponseRecorder(1 << 20, T0);
    recorder.onBytes(body, 0, split, T0 + MS);
    recorder.onBytes(body, split, body.length - split, T0 + 2 * MS);
    recorder.end(Outcome.COMPLETED, T0 + 3 * MS, null);
    return recorder;
  }

  private static int indexOf(byte[] bytes, byte[] part) {
    return indexOf(bytes, part, 0);
  }

  private static int indexOf(byte[] bytes, byte[] part, int from) {
    outer:
    for (int i = from; i <= bytes.length - part.length; i++) {
      for (int j = 0; j < part.length; j++) {
        if (bytes[i + j] != part[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}
