package dev.taskmaster.agent.httpcall;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.taskmaster.agent.core.CallPipeline;
import dev.taskmaster.agent.core.ModelCall;
import dev.taskmaster.agent.http.EndpointMatcher;
import dev.taskmaster.agent.metrics.LlmMetrics;
import dev.taskmaster.agent.metrics.ModelLabelLimiter;
import io.prometheus.metrics.config.EscapingScheme;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;

class HttpModelCallTest {

  private static final String PATH = "/v1/chat/completions";
  private static final String REQUEST =
      "{\"model\":\"gpt-request\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
  private static final String RESPONSE =
      "{\"id\":\"c1\",\"object\":\"chat.completion\",\"model\":\"gpt-response\",\"choices\":[{\"index\":0,"
          + "\"message\":{\"role\":\"assistant\",\"content\":\"hello there\"},"
          + "\"finish_reason\":\"stop\"}],"
          + "\"usage\":{\"prompt_tokens\":3,\"completion_tokens\":7,\"total_tokens\":10}}";

  private final LlmMetrics metrics =
      new LlmMetrics("tm", new ModelLabelLimiter(10, "metrics.max-models"), 3, "test", "0");
  private final BlockingQueue<ModelCall> described = new LinkedBlockingQueue<>();
  private final HttpCallRecorder recorder;

  HttpModelCallTest() {
    CallPipeline pipeline = new CallPipeline(100, failure -> {});
    pipeline.addListener(described::add);
    pipeline.start(() -> {});
    recorder =
        new HttpCallRecorder(
            EndpointMatcher.parse(PATH), Set.of("okhttp"), () -> metrics, pipeline, 1 << 20);
  }

  @Test
  void bytesThatPassBeforeTheHeadAreKept() throws Exception {
    HttpModelCall call = begin(REQUEST);
    byte[] body = RESPONSE.getBytes(StandardCharsets.UTF_8);
    call.onBytes(body, 0, 10);
    call.responseStarted(200, "application/json");
    call.onBytes(body, 10, body.length - 10);
    call.complete();

    ModelCall done = next();
    assertEquals(ModelCall.SUCCESS, done.status);
    assertEquals("gpt-request", done.model);
    assertEquals(3, done.inputTokens);
    assertEquals(7, done.outputTokens);
  }

  @Test
  void anAbandonedErrorResponseIsThatError() throws Exception {
    HttpModelCall call = begin(REQUEST);
    call.responseStarted(500, "application/json");
    call.abandoned();

    ModelCall done = next();
    assertEquals(ModelCall.ERROR, done.status);
    assertEquals("http_5xx", done.errorKind);
    assertEquals(1.0, sample("tm_errors_total{endpoint=\"chat\",kind=\"http_5xx\""));
  }

  @Test
  void anAbandonedSuccessfulResponseIsCancelled() throws Exception {
    HttpModelCall call = begin(REQUEST);
    call.responseStarted(200, "text/event-stream");
    call.onBytes("data: {}\n\n".getBytes(StandardCharsets.UTF_8), 0, 10);
    call.abandoned();
    call.complete(); // Later ends change nothing.

    assertEquals(ModelCall.CANCELLED, next().status);
    assertEquals(
        1.0,
        sample("tm_requests_total{endpoint=\"chat\",model=\"gpt-request\",status=\"cancelled\""));
  }

  @Test
  void theResponseNamesTheModelWhenTheRequestBodyIsUnreadable() throws Exception {
    HttpModelCall call = begin(null);
    call.responseStarted(200, "application/json");
    byte[] body = RESPONSE.getBytes(StandardCharsets.UTF_8);
    call.onBytes(body, 0, body.length);
    call.complete();

    ModelCall done = next();
    assertEquals("gpt-response", done.model);
    assertEquals(7, done.outputTokens);
  }

  @Test
  void aGzipBodyIsInflatedBeforeItIsParsedAndHasNoTimeToFirstToken() throws Exception {
    StringBuilder stream = new StringBuilder();
    for (int i = 0; i < 3; i++) {
      stream.append(
          "data: {\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"choices\":[{\"index\":0,"
              + "\"delta\":{\"content\":\"w"
              + i
              + " \"},\"finish_reason\":null}]}\n\n");
    }
    stream.append(
        "data: {\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"choices\":[],"
            + "\"usage\":{\"prompt_tokens\":2,\"completion_tokens\":3,\"total_tokens\":5}}\n\n"
            + "data: [DONE]\n\n");
    byte[] zipped = gzip(stream.toString());
    HttpModelCall call = begin(REQUEST);
    call.responseStarted(200, "text/event-stream");
    call.contentEncoding("gzip");
    for (int at = 0; at < zipped.length; at += 7) {
      call.onBytes(zipped, at, Math.min(7, zipped.length - at));
    }
    call.complete();

    ModelCall done = next();
    assertEquals(3, done.outputTokens);
    assertEquals("w0 w1 w2 ", done.response);
    assertEquals(-1, done.timeToFirstTokenNanos);
  }

  @Test
  void aCutGzipBodyYieldsWhatCouldBeInflated() throws Exception {
    byte[] zipped = gzip(RESPONSE);
    HttpModelCall call = begin(REQUEST);
    call.responseStarted(200, "application/json");
    call.contentEncoding("gzip");
    call.onBytes(zipped, 0, zipped.length / 2);
    call.fail(new java.io.EOFException());

    ModelCall done = next();
    assertEquals(ModelCall.ERROR, done.status);
    assertEquals("connection", done.errorKind);
    assertNull(done.response);
  }

  private HttpModelCall begin(String requestBody) {
    HttpModelCall call =
        recorder.begin(
            "okhttp",
            PATH,
            () -> requestBody == null ? null : requestBody.getBytes(StandardCharsets.UTF_8));
    assertTrue(call != null);
    return call;
  }

  private ModelCall next() throws InterruptedException {
    ModelCall call = described.poll(10, TimeUnit.SECONDS);
    assertTrue(call != null, "no call was described");
    return call;
  }

  private double sample(String prefix) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    PrometheusTextFormatWriter.create()
        .write(out, metrics.registry().scrape(), EscapingScheme.ALLOW_UTF8);
    for (String line : out.toString(StandardCharsets.UTF_8).split("\n")) {
      if (line.startsWith(prefix)) {
        return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
      }
    }
    throw new AssertionError("no sample " + prefix + " in\n" + out);
  }

  private static byte[] gzip(String text) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (GZIPOutputStream out = new GZIPOutputStream(bytes)) {
      out.write(text.getBytes(StandardCharsets.UTF_8));
    }
    return bytes.toByteArray();
  }
}
