package dev.taskmaster.benchmarks.jmh;

import dev.taskmaster.agent.alerting.AlertSettings;
import dev.taskmaster.agent.alerting.AlertingRuntime;
import dev.taskmaster.agent.alerting.NotifierSettings;
import dev.taskmaster.agent.core.CallListener;
import dev.taskmaster.agent.core.ModelCall;
import dev.taskmaster.agent.cost.CostTracker;
import dev.taskmaster.agent.cost.PriceTable;
import dev.taskmaster.agent.drift.DriftMonitor;
import dev.taskmaster.agent.drift.DriftSettings;
import dev.taskmaster.agent.feedback.FeedbackService;
import dev.taskmaster.agent.feedback.FeedbackSettings;
import dev.taskmaster.agent.logging.CallLogListener;
import dev.taskmaster.agent.logging.LogSettings;
import dev.taskmaster.agent.logging.StructuredLog;
import dev.taskmaster.agent.quality.CallScorer;
import dev.taskmaster.agent.quality.QualityLogFields;
import dev.taskmaster.agent.quality.QualityMonitor;
import dev.taskmaster.agent.quality.QualitySettings;
import dev.taskmaster.agent.shaded.io.prometheus.metrics.model.registry.PrometheusRegistry;
import dev.taskmaster.agent.web.AgentWeb;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What the agent's background call thread does for one finished model call: every listener the
 * agent installs with its default settings (call log line with quality and cost fields, alerting's
 * call window, quality scoring and drift, cost, feedback, status history), wired and run in the
 * order {@code AgentInstaller} and {@code CallPipeline} use. Calls are successful chat calls with a
 * 700-character response, taken in turn from {@value #CALLS} distinct objects one millisecond
 * apart, so that nothing a listener keeps about the previous call applies to the next. Log lines go
 * to {@code /dev/null} through the agent's file sink (its writer thread, not measured here, writes
 * them; a line that finds the queue full is counted and dropped, as in the agent).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class CallListenersBenchmark {

  static final int CALLS = 1024;
  private static final String PREFIX = "taskmaster";

  private final List<CallListener> listeners = new ArrayList<>();
  private final ModelCall[] calls = new ModelCall[CALLS];
  private StructuredLog log;
  private int next;

  @Setup
  public void install() {
    PrometheusRegistry registry = new PrometheusRegistry();
    LogSettings logSettings =
        LogSettings.builder()
            .destination(LogSettings.Destination.FILE)
            .file(Path.of("/dev/null"))
            // Never rotated: /dev/null must not be moved.
            .maxBytes(Long.MAX_VALUE)
            .serviceName("jmh")
            .build();
    log = new StructuredLog(logSettings, registry, PREFIX);
    CallLogListener callLog = new CallLogListener(log, logSettings, failure -> {});
    listeners.add(callLog);
    AlertingRuntime alerting =
        AlertingRuntime.create(
            AlertSettings.defaults(),
            NotifierSettings.defaults(),
            "jmh",
            5,
            registry,
            PREFIX,
            log,
            failure -> {});
    listeners.addAll(alerting.callListeners());
    QualitySettings quality = QualitySettings.defaults();
    DriftMonitor drift = new DriftMonitor(DriftSettings.defaults(), registry, PREFIX, event -> {});
    CallScorer scorer = new CallScorer(quality);
    listeners.add(new QualityMonitor(quality, scorer, registry, PREFIX, drift));
    callLog.addFields(new QualityLogFields(scorer));
    CostTracker costs = new CostTracker(PriceTable.defaults(), registry, PREFIX);
    listeners.add(costs);
    callLog.addFields(costs);
    FeedbackService feedback =
        new FeedbackService(
            FeedbackSettings.builder().build(),
            registry,
            PREFIX,
            log,
            logSettings.redactor(),
            Runnable::run,
            System::currentTimeMillis,
            failure -> {});
    listeners.add(feedback);
    AgentWeb web =
        AgentWeb.builder(registry, PREFIX)
            .service("jmh", "dev", System.currentTimeMillis())
            .cost(costs::costOf)
            .feedback(feedback)
            .build();
    listeners.add(web.callListener());

    String response = response();
    long start = System.currentTimeMillis();
    for (int i = 0; i < CALLS; i++) {
      calls[i] =
          ModelCall.builder("chat", "gpt-4o-mini", ModelCall.SUCCESS)
              .requestId("chatcmpl-" + (100_000 + i))
              .startEpochMillis(start + i)
              .durationNanos(812_113_000L + i * 1_000L)
              .promptLength(42)
              .response(response)
              .inputTokens(12)
              .outputTokens(160)
              .finishReason("stop")
              .build();
    }
  }

  @TearDown
  public void stop() {
    log.shutdown(java.time.Duration.ofSeconds(1));
  }

  /** Every listener for one call, as the pipeline's thread runs them. */
  @Benchmark
  public void successfulCall() {
    ModelCall call = calls[next];
    next = (next + 1) & (CALLS - 1);
    for (CallListener listener : listeners) {
      try {
        listener.onCall(call);
      } catch (Throwable failure) {
        // Counted by the pipeline in the agent; not expected here.
      }
    }
  }

  /** A 700-character answer of ordinary prose in two paragraphs. */
  static String response() {
    StringBuilder text = new StringBuilder(720);
    String[] sentences = {
      "The quarterly report shows revenue growth in every region we serve. ",
      "Costs rose more slowly than sales, so the operating margin improved. ",
      "Customer retention stayed high, and new accounts came mostly from referrals. ",
      "Two risks remain: supplier prices and the exchange rate of the euro. ",
      "We recommend keeping the hiring plan and reviewing prices in spring.\n\n",
    };
    int i = 0;
    while (text.length() < 700) {
      text.append(sentences[i++ % sentences.length]);
    }
    text.setLength(700);
    return text.toString();
  }
}
