package dev.taskmaster.agent.instrumentation.okhttp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.taskmaster.agent.core.CallPipeline;
import dev.taskmaster.agent.core.CallRecorder;
import dev.taskmaster.agent.core.ClientHook;
import dev.taskmaster.agent.core.HookScope;
import dev.taskmaster.agent.core.ModelCall;
import dev.taskmaster.agent.http.EndpointMatcher;
import dev.taskmaster.agent.httpcall.HttpCallRecorder;
import dev.taskmaster.agent.instrumentation.HookIds;
import dev.taskmaster.agent.metrics.LlmMetrics;
import dev.taskmaster.agent.metrics.ModelLabelLimiter;
import io.prometheus.metrics.config.EscapingScheme;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The OkHttp hook as the woven advice drives it, with stand-ins for OkHttp's call, request,
 * response and exchange (the hook reaches them by member name): the read advice asks for an output
 * and copies the read's bytes into it, and reports the end of the body or a failed copy.
 */
class OkHttpHookTest {

  private static final String PATH = "/v1/chat/completions";
  private static final String RESPONSE =
      "{\"id\":\"c1\",\"object\":\"chat.completion\",\"model\":\"gpt-response\",\"choices\":[{"
          + "\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"hello there\"},"
          + "\"finish_reason\":\"stop\"}],"
          + "\"usage\":{\"prompt_tokens\":3,\"completion_tokens\":7,\"total_tokens\":10}}";

  private final LlmMetrics metrics =
      new LlmMetrics("tm", new ModelLabelLimiter(10, "metrics.max-models"), 3, "test", "0");
  private final BlockingQueue<ModelCall> described = new LinkedBlockingQueue<>();
  private final OkHttpHook hook;
  private final ClientHook read;

  OkHttpHookTest() {
    CallPipeline pipeline = new CallPipeline(100, failure -> {});
    pipeline.addListener(described::add);
    pipeline.start(() -> {});
    HttpCallRecorder recorder =
        new HttpCallRecorder(
            EndpointMatcher.parse(PATH), Set.of("okhttp"), () -> metrics, pipeline, 1 << 20);
    hook = new OkHttpHook(recorder, new CallRecorder(List.of(), () -> metrics, pipeline));
    read = hook.hook(HookIds.OKHTTP_BODY_READ);
  }

  @Test
  void interleavedReadsOfTwoCallsEachReachTheirOwnCall() throws Exception {
    FakeExchange first = start();
    FakeExchange second = start();
    byte[] body = RESPONSE.getBytes(StandardCharsets.UTF_8);

    for (int at = 0; at < body.length; at += 16) {
      int count = Math.min(16, body.length - at);
      copy(first, body, at, count);
      copy(second, body, at, count);
    }
    read.streamEvent(first, null, 0, -1, null);
    read.streamEvent(second, null, 0, -1, null);

    for (int i = 0; i < 2; i++) {
      ModelCall done = next();
      assertEquals(ModelCall.SUCCESS, done.status);
      assertEquals("hello there", done.response);
      assertEquals(3, done.inputTokens);
      assertEquals(7, done.outputTokens);
    }
    assertNull(read.streamOutput(first, 1), "an ended call takes no more bytes");
  }

  @Test
  void aFailedCopyCountsTheCallWithoutItsBody() throws Exception {
    FakeExchange exchange = start();
    byte[] body = RESPONSE.getBytes(StandardCharsets.UTF_8);
    copy(exchange, body, 0, 40);

    read.streamEvent(
        exchange, null, OkHttpBodyReadAdvice.COPY_FAILED, 0, new NoSuchMethodError("copyTo"));
    assertNull(read.streamOutput(exchange, 10), "no copy after a failed one");
    read.streamEvent(exchange, null, 0, -1, null);

    ModelCall done = next();
    assertEquals(ModelCall.SUCCESS, done.status);
    assertNull(done.response);
    assertEquals(-1, done.inputTokens, "unknown");
    assertEquals(-1, done.outputTokens, "unknown");
    assertEquals(1.0, sample("tm_agent_errors_total{component=\"http\"}"));
  }

  @Test
  void aStreamThatIsNotFollowedGetsNoOutput() {
    assertNull(read.streamOutput(new FakeExchange(new FakeCall("/v1/chat/completions")), 5));
    FakeExchange followed = start();
    assertNull(read.streamOutput(new FakeExchange(new FakeCall("/elsewhere")), 5));
    assertNotNull(read.streamOutput(followed, 5));
  }

  /** A call to {@link #PATH} whose interceptor chain has returned its response. */
  private FakeExchange start() {
    FakeCall call = new FakeCall(PATH);
    HookScope scope = hook.hook(HookIds.OKHTTP_CALL).enter(call, null, null);
    assertNotNull(scope);
    FakeExchange exchange = new FakeExchange(call);
    scope.exit(new FakeResponse(exchange), null);
    return exchange;
  }

  /** What the read advice does after a read that appended {@code count} bytes. */
  private void copy(FakeExchange exchange, byte[] body, int at, int count) throws IOException {
    OutputStream out = read.streamOutput(exchange, count);
    assertNotNull(out);
    assertSame(out, read.streamOutput(exchange, count), "one output per call");
    out.write(body, at, count);
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

  // Stand-ins for OkHttp's classes: only the members the hook reads.

  static final class FakeUrl {
    private final String path;

    FakeUrl(String path) {
      this.path = path;
    }

    public String encodedPath() {
      return path;
    }
  }

  static final class FakeRequest {
    private final FakeUrl url;

    FakeRequest(String path) {
      this.url = new FakeUrl(path);
    }

    public FakeUrl url() {
      return url;
    }

    public Object body() {
      return null;
    }
  }

  static final class FakeCall {
    private final FakeRequest request;

    FakeCall(String path) {
      this.request = new FakeRequest(path);
    }

    public FakeRequest request() {
      return request;
    }

    public boolean isCanceled() {
      return false;
    }
  }

  static final class FakeExchange {
    private final FakeCall call;

    FakeExchange(FakeCall call) {
      this.call = call;
    }

    public FakeCall getCall$okhttp() {
      return call;
    }
  }

  static final class FakeResponse {
    private final FakeExchange exchange;

    FakeResponse(FakeExchange exchange) {
      this.exchange = exchange;
    }

    public int code() {
      return 200;
    }

    public String header(String name) {
      return name.equals("Content-Type") ? "application/json" : null;
    }

    public Object networkResponse() {
      return null;
    }

    public FakeExchange exchange() {
      return exchange;
    }
  }
}
