package dev.taskmaster.benchmarks;

import com.sun.management.ThreadMXBean;
import dev.taskmaster.agent.core.ModelCall;
import dev.taskmaster.agent.drift.DriftMonitor;
import dev.taskmaster.agent.drift.DriftSettings;
import dev.taskmaster.agent.quality.QualityMonitor;
import dev.taskmaster.agent.quality.QualitySettings;
import dev.taskmaster.agent.quality.ResponseEventDetector;
import dev.taskmaster.agent.quality.ResponseScorer;
import dev.taskmaster.sample.server.traffic.TrafficModel;
import dev.taskmaster.sample.server.traffic.TrafficScenario;
import java.lang.management.ManagementFactory;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * The thread CPU time and bytes allocated per call of the same operations as {@link
 * ScoringBenchmark}, measured with {@code ThreadMXBean}: unlike wall-clock time, CPU time stays
 * meaningful on a machine shared with other work. Usage: {@code ScoringCpuTime [calls per round]}.
 */
public final class ScoringCpuTime {

  private ScoringCpuTime() {}

  public static void main(String[] args) {
    int calls = args.length > 0 ? Integer.parseInt(args[0]) : 200_000;
    ModelCall[] traffic = new ModelCall[1024];
    TrafficModel generator = new TrafficModel(TrafficScenario.STABLE, 7, Long.MAX_VALUE);
    for (int i = 0; i < traffic.length; i++) {
      traffic[i] = AgentPath.call(generator.next(), i);
    }
    ResponseScorer scorer = new ResponseScorer(QualitySettings.defaults());
    ResponseEventDetector detector = new ResponseEventDetector(QualitySettings.defaults());
    QualityMonitor quality = new QualityMonitor(QualitySettings.defaults(), null);
    QualityMonitor whole =
        new QualityMonitor(
            QualitySettings.defaults(), new DriftMonitor(DriftSettings.defaults(), event -> {}));
    TrafficModel warmUp = new TrafficModel(TrafficScenario.STABLE, 8, Long.MAX_VALUE);
    for (int i = 0; i < 25_000; i++) {
      whole.onCall(AgentPath.call(warmUp.next(), i));
    }
    double[] sink = new double[1];
    for (int round = 0; round < 3; round++) {
      boolean report = round == 2;
      measure(
          "scores",
          traffic,
          calls,
          report,
          c -> sink[0] += scorer.score(c.response, c.durationNanos).overall);
      measure("events", traffic, calls, report, c -> sink[0] += detector.detect(c));
      measure("scores, events and metrics", traffic, calls, report, quality::onCall);
      measure("whole listener (with drift)", traffic, calls, report, whole::onCall);
    }
    if (sink[0] == 42) {
      System.out.println();
    }
  }

  private static void measure(
      String name, ModelCall[] traffic, int calls, boolean report, Consumer<ModelCall> operation) {
    ThreadMXBean threads = (ThreadMXBean) ManagementFactory.getThreadMXBean();
    long thread = Thread.currentThread().getId();
    long cpu = threads.getCurrentThreadCpuTime();
    long bytes = threads.getThreadAllocatedBytes(thread);
    for (int i = 0; i < calls; i++) {
      operation.accept(traffic[i & (traffic.length - 1)]);
    }
    cpu = threads.getCurrentThreadCpuTime() - cpu;
    bytes = threads.getThreadAllocatedBytes(thread) - bytes;
    if (report) {
      System.out.printf(
          Locale.ROOT,
          "%-30s %8.0f ns CPU per call %8.0f bytes per call%n",
          name,
          (double) cpu / calls,
          (double) bytes / calls);
    }
  }
}
