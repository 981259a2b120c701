package dev.taskmaster.benchmarks.jmh;

import dev.taskmaster.agent.bootstrap.TaskMasterBridge;
import dev.taskmaster.agent.config.InterceptionSpec;
import dev.taskmaster.agent.core.CallPipeline;
import dev.taskmaster.agent.core.CallRecorder;
import dev.taskmaster.agent.http.EndpointMatcher;
import dev.taskmaster.agent.httpcall.HttpCallRecorder;
import dev.taskmaster.agent.instrumentation.HookIds;
import dev.taskmaster.agent.instrumentation.okhttp.OkHttpHook;
import dev.taskmaster.agent.metrics.LlmMetrics;
import dev.taskmaster.agent.metrics.ModelLabelLimiter;
import dev.taskmaster.agent.valuepath.ValuePath;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The advice of a configured method, entry and exit, through the bridge into the real {@link
 * CallRecorder}: value paths for model, prompt, response and tokens, the metrics of one series, and
 * the hand-over of the finished call to the background pipeline (started, without listeners).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class AdviceBenchmark {

  private final ValuePathBenchmark.Client self = new ValuePathBenchmark.Client();
  private final Object[] arguments = {
    ValuePathBenchmark.Request.of("gpt-4o-mini"), ValuePathBenchmark.REQUEST_OPTIONS
  };
  private final Object returned = ValuePathBenchmark.Completion.sample();

  /**
   * {@code running}: the pipeline's thread takes each call (as in the agent; an idle taker must be
   * woken). {@code full}: no thread takes them, the queue is full and each call is dropped at once:
   * the difference is the cost of handing a call over.
   */
  @Param({"running", "full"})
  public String pipeline;

  @Setup
  public void install() {
    InterceptionSpec spec =
        new InterceptionSpec(
            0,
            "chat",
            ValuePathBenchmark.Client.class.getName(),
            "create",
            null,
            "chat",
            ValuePath.parse("arg0.model().asString()"),
            ValuePath.parse("arg0.messages()[1].user().content().text()"),
            ValuePath.parse("return.choices()[0].message().content()"),
            ValuePath.parse("return.usage().promptTokens()"),
            ValuePath.parse("return.usage().completionTokens()"),
            null,
            null);
    LlmMetrics metrics =
        new LlmMetrics(
            "taskmaster", new ModelLabelLimiter(50, "metrics.max-models"), 3, "jmh", "dev");
    CallPipeline calls = new CallPipeline(10_000, failure -> {});
    if (pipeline.equals("running")) {
      calls.start(() -> {});
    }
    CallRecorder recorder = new CallRecorder(List.of(spec), () -> metrics, calls);
    OkHttpHook okHttp =
        new OkHttpHook(
            new HttpCallRecorder(
                EndpointMatcher.parse("/v1/chat/completions"),
                Set.of("okhttp"),
                () -> metrics,
                calls,
                1 << 20),
            recorder);
    recorder.registerHook(HookIds.OKHTTP_CALL, okHttp.hook(HookIds.OKHTTP_CALL));
    recorder.registerHook(HookIds.OKHTTP_BODY_READ, okHttp.hook(HookIds.OKHTTP_BODY_READ));
    TaskMasterBridge.install(recorder);
  }

  /** What the woven code of one intercepted call runs on the calling thread. */
  @Benchmark
  public void enterAndExit() {
    Object scope = TaskMasterBridge.enterMethod(0, self, arguments);
    TaskMasterBridge.exitMethod(scope, returned, null);
  }

  /**
   * An intercepted call made through OkHttp, as openai-java's {@code create} is: the OkHttp advice
   * inside it sees a call nested in a recorded one and a body nobody follows (two reads and the
   * read that ends it).
   */
  @Benchmark
  public void enterAndExitAroundOkHttp() {
    Object scope = TaskMasterBridge.enterMethod(0, self, arguments);
    Object nested = TaskMasterBridge.enterHook(HookIds.OKHTTP_CALL, self, null, null);
    TaskMasterBridge.exitHook(nested, returned, null);
    for (int i = 0; i < 2; i++) {
      TaskMasterBridge.streamOutput(HookIds.OKHTTP_BODY_READ, self, 512);
    }
    TaskMasterBridge.streamEvent(HookIds.OKHTTP_BODY_READ, self, null, 0, -1, null);
    TaskMasterBridge.exitMethod(scope, returned, null);
  }

  /** Entry alone, when an outer call on the thread is already recorded (a nested call). */
  @Benchmark
  public Object nestedEnter() {
    Object outer = TaskMasterBridge.enterMethod(0, self, arguments);
    Object inner = TaskMasterBridge.enterMethod(0, self, arguments);
    TaskMasterBridge.exitMethod(inner, returned, null);
    TaskMasterBridge.exitMethod(outer, returned, null);
    return inner;
  }
}
