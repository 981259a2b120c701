package dev.taskmaster.benchmarks.jmh;

import dev.taskmaster.agent.bootstrap.TaskMasterBridge;
import dev.taskmaster.agent.core.CallPipeline;
import dev.taskmaster.agent.core.CallRecorder;
import dev.taskmaster.agent.http.EndpointMatcher;
import dev.taskmaster.agent.httpcall.HttpCallRecorder;
import dev.taskmaster.agent.instrumentation.HookIds;
import dev.taskmaster.agent.instrumentation.okhttp.OkHttpHook;
import dev.taskmaster.agent.metrics.LlmMetrics;
import dev.taskmaster.agent.metrics.ModelLabelLimiter;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What the OkHttp advice runs on the application's thread for one streamed call that the OkHttp
 * hook follows: the call's entry and exit ({@code getResponseWithInterceptorChain}), then {@value
 * #READS} reads of one 224-byte SSE event each (what the woven read advice does: ask the bridge for
 * the call's output, copy the read's bytes from the buffer into it), then the read that ends the
 * body. OkHttp's objects and okio's {@code Buffer} are stand-ins with the members the hook and the
 * advice use (the buffer writes its bytes in one piece, as an okio segment does); the pipeline's
 * thread parses the finished calls, as in the agent.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class OkHttpReadBenchmark {

  static final int READS = 40;
  private static final String EVENT =
      "data: {\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"created\":1,"
          + "\"model\":\"gpt-4o-mini\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"word \"},"
          + "\"finish_reason\":null}]}\n\n";

  private final FakeCall call = new FakeCall("/v1/chat/completions");
  private final FakeExchange exchange = new FakeExchange(call);
  private final FakeResponse response = new FakeResponse(exchange);
  private final FakeBuffer sink = new FakeBuffer(EVENT.getBytes(StandardCharsets.UTF_8));
  private long count;

  @Setup
  public void install() {
    LlmMetrics metrics =
        new LlmMetrics(
            "taskmaster", new ModelLabelLimiter(50, "metrics.max-models"), 3, "jmh", "dev");
    CallPipeline calls = new CallPipeline(10_000, failure -> {});
    calls.start(() -> {});
    CallRecorder recorder = new CallRecorder(List.of(), () -> metrics, calls);
    OkHttpHook hook =
        new OkHttpHook(
            new HttpCallRecorder(
                EndpointMatcher.parse("/v1/chat/completions"),
                Set.of("okhttp"),
                () -> metrics,
                calls,
                1 << 20),
            recorder);
    for (int id :
        new int[] {
          HookIds.OKHTTP_CALL,
          HookIds.OKHTTP_ENQUEUE,
          HookIds.OKHTTP_BODY_READ,
          HookIds.OKHTTP_BODY_CLOSE
        }) {
      recorder.registerHook(id, hook.hook(id));
    }
    TaskMasterBridge.install(recorder);
    count = EVENT.length();
  }

  /** One followed streamed call of {@value #READS} reads. */
  @Benchmark
  public void streamedCall() throws IOException {
    Object scope = TaskMasterBridge.enterHook(HookIds.OKHTTP_CALL, call, null, null);
    TaskMasterBridge.exitHook(scope, response, null);
    for (int i = 0; i < READS; i++) {
      OutputStream out = TaskMasterBridge.streamOutput(HookIds.OKHTTP_BODY_READ, exchange, count);
      if (out != null) {
        sink.copyTo(out, sink.size() - count, count);
      }
    }
    TaskMasterBridge.streamEvent(HookIds.OKHTTP_BODY_READ, exchange, null, 0, -1, null);
  }

  // Stand-ins for okio's Buffer and OkHttp's call, request, URL, exchange and response.

  static final class FakeBuffer {
    private final byte[] data;

    FakeBuffer(byte[] data) {
      this.data = data;
    }

    public long size() {
      return data.length;
    }

    public FakeBuffer copyTo(OutputStream out, long offset, long byteCount) throws IOException {
      out.write(data, (int) offset, (int) byteCount);
      return this;
    }
  }

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
      // An error status: its body is followed like any other but not parsed, which at this rate
      // (the queue fills, and a call that finds it full is described on the calling thread) would
      // otherwise be measured here.
      return 500;
    }

    public String header(String name) {
      return name.equals("Content-Type") ? "text/event-stream" : null;
    }

    public Object networkResponse() {
      return null;
    }

    public FakeExchange exchange() {
      return exchange;
    }
  }
}
