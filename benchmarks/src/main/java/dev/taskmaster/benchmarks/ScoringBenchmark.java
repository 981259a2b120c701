package dev.taskmaster.benchmarks;

import dev.taskmaster.agent.core.ModelCall;
import dev.taskmaster.agent.drift.DriftMonitor;
import dev.taskmaster.agent.drift.DriftSettings;
import dev.taskmaster.agent.drift.DriftSignal;
import dev.taskmaster.agent.quality.QualityMonitor;
import dev.taskmaster.agent.quality.QualitySettings;
import dev.taskmaster.agent.quality.ResponseEventDetector;
import dev.taskmaster.agent.quality.ResponseScorer;
import dev.taskmaster.sample.server.traffic.TrafficModel;
import dev.taskmaster.sample.server.traffic.TrafficScenario;
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
 * Cost per call of the background work on one response, on the stable scenario's traffic (texts of
 * about 50 to 3,000 characters): the scores alone, the events alone, scoring with its metrics, and
 * the whole listener (scores, events, metrics and drift past its warm-up). Run with {@code -prof
 * gc} for bytes allocated per call.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class ScoringBenchmark {

  private static final int CALLS = 1024;

  private final ModelCall[] calls = new ModelCall[CALLS];
  private final double[][] signals = new double[CALLS][];
  private ResponseScorer scorer;
  private ResponseEventDetector detector;
  private QualityMonitor quality;
  private QualityMonitor qualityAndDrift;
  private DriftMonitor drift;
  private int next;

  @Setup
  public void setUp() {
    TrafficModel traffic = new TrafficModel(TrafficScenario.STABLE, 7, Long.MAX_VALUE);
    for (int i = 0; i < CALLS; i++) {
      calls[i] = AgentPath.call(traffic.next(), i);
      ModelCall call = calls[i];
      signals[i] =
          new double[] {
            call.durationNanos / 1e9, call.outputTokens, call.response.length(), 0.8, 0, 0
          };
    }
    scorer = new ResponseScorer(QualitySettings.defaults());
    detector = new ResponseEventDetector(QualitySettings.defaults());
    quality = new QualityMonitor(QualitySettings.defaults(), null);
    qualityAndDrift =
        new QualityMonitor(
            QualitySettings.defaults(), new DriftMonitor(DriftSettings.defaults(), event -> {}));
    drift = new DriftMonitor(DriftSettings.defaults(), event -> {});
    // Past every warm-up, so that the drift path compares instead of learning.
    TrafficModel warmUp = new TrafficModel(TrafficScenario.STABLE, 8, Long.MAX_VALUE);
    for (int i = 0; i < 25_000; i++) {
      ModelCall call = AgentPath.call(warmUp.next(), i);
      qualityAndDrift.onCall(call);
      observe(call.durationNanos / 1e9, call.outputTokens, call.response.length(), 0.8, 0, 0);
    }
  }

  private ModelCall nextCall() {
    next = (next + 1) & (CALLS - 1);
    return calls[next];
  }

  @Benchmark
  public double scores() {
    ModelCall call = nextCall();
    return scorer.score(call.response, call.durationNanos).overall;
  }

  @Benchmark
  public int events() {
    return detector.detect(nextCall());
  }

  @Benchmark
  public void scoresEventsAndMetrics() {
    quality.onCall(nextCall());
  }

  @Benchmark
  public void driftUpdate() {
    next = (next + 1) & (CALLS - 1);
    double[] s = signals[next];
    observe(s[0], s[1], s[2], s[3], s[4], s[5]);
  }

  @Benchmark
  public void wholeListener() {
    qualityAndDrift.onCall(nextCall());
  }

  /** The signals the listener feeds for one call, all of them. */
  private void observe(
      double seconds, double tokens, double chars, double score, double event, double json) {
    drift.observe(DriftSignal.LATENCY, seconds);
    drift.observe(DriftSignal.TIME_TO_FIRST_TOKEN, seconds / 4);
    drift.observe(DriftSignal.OUTPUT_TOKENS, tokens);
    drift.observe(DriftSignal.RESPONSE_LENGTH, chars);
    drift.observe(DriftSignal.QUALITY, score);
    drift.observe(DriftSignal.EMPTY_RATE, event);
    drift.observe(DriftSignal.REFUSAL_RATE, event);
    drift.observe(DriftSignal.REPETITION_RATE, event);
    drift.observe(DriftSignal.TRUNCATED_RATE, event);
    drift.observe(DriftSignal.INVALID_JSON_RATE, json);
  }
}
