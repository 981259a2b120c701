package dev.taskmaster.benchmarks;

import dev.taskmaster.agent.core.ModelCall;
import dev.taskmaster.agent.drift.DriftEvent;
import dev.taskmaster.agent.drift.DriftEventListener;
import dev.taskmaster.agent.drift.DriftMethod;
import dev.taskmaster.agent.drift.DriftMonitor;
import dev.taskmaster.agent.drift.DriftSettings;
import dev.taskmaster.agent.drift.DriftSignal;
import dev.taskmaster.agent.quality.QualityMonitor;
import dev.taskmaster.agent.quality.QualitySettings;
import dev.taskmaster.sample.server.traffic.TrafficModel;
import dev.taskmaster.sample.server.traffic.TrafficScenario;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Runs every scenario of the sample model server's {@link TrafficModel} through the agent's real
 * path for many seeds and each method, and writes a Markdown table of detection delays and false
 * alarms. Each call's request and chat completion are written as bytes and read by the agent's
 * request reader and response parser ({@link AgentPath}); the resulting {@link ModelCall} goes to
 * the {@link QualityMonitor} (scorer, event detection) and the {@link DriftMonitor}, as on the
 * agent's background thread. The clock is simulated: no call sleeps.
 *
 * <p>Usage: {@code DriftBenchmark [--seeds 50] [--stable-calls 1000000] [--stable-runs 10]
 * [--change-at 4000] [--horizon 20000] [--first-seed 1] [--warmup 500] [--scenarios a,b] [--trace
 * true] [--out results.md]}
 *
 * <p>Each scenario run learns its baseline from the warm-up, runs stable until {@code change-at}
 * (late enough that every signal, the JSON one included, has a baseline), then changes; the delay
 * is the number of calls from the change to the first alarm on a signal the change affects. Stable
 * and noisy-but-stable traffic run {@code stable-calls} calls in {@code stable-runs} runs of their
 * own (each learning its own baseline); every alarm there is false.
 */
public final class DriftBenchmark {

  /** A way of counting alarms: a method, and which signals' alarms count. */
  private static final class Variant {
    final String name;
    final DriftMethod method;
    final Predicate<DriftSignal> counts;

    Variant(String name, DriftMethod method, Predicate<DriftSignal> counts) {
      this.name = name;
      this.method = method;
      this.counts = counts;
    }
  }

  private static final List<Variant> VARIANTS =
      List.of(
          new Variant("sequential (default)", DriftMethod.SEQUENTIAL, signal -> true),
          new Variant("deviation (original)", DriftMethod.DEVIATION, signal -> true),
          new Variant(
              "deviation, continuous signals only",
              DriftMethod.DEVIATION,
              signal -> !signal.isRate()));

  /** Records alarm starts (not escalations or resolutions) with the call index they came at. */
  private static final class AlarmRecorder implements DriftEventListener {
    final List<long[]> alarms = new ArrayList<>();
    long callIndex;
    int checked;

    @Override
    public void onDriftEvent(DriftEvent event) {
      if (trace) {
        System.err.println("call=" + callIndex + " " + event);
      }
      if (!event.resolved && !event.escalation) {
        alarms.add(new long[] {callIndex, event.signal.ordinal()});
      }
    }
  }

  /**
   * The signals whose distribution each scenario's change alters: an alarm on one of them is a
   * detection, an alarm on another signal a false alarm.
   */
  private static final Map<TrafficScenario, Set<DriftSignal>> AFFECTED =
      new EnumMap<>(TrafficScenario.class);

  static {
    Set<DriftSignal> latency =
        EnumSet.of(DriftSignal.LATENCY, DriftSignal.TIME_TO_FIRST_TOKEN, DriftSignal.QUALITY);
    Set<DriftSignal> answers =
        EnumSet.of(
            DriftSignal.QUALITY,
            DriftSignal.RESPONSE_LENGTH,
            DriftSignal.OUTPUT_TOKENS,
            DriftSignal.LATENCY);
    AFFECTED.put(TrafficScenario.LATENCY_STEP, latency);
    AFFECTED.put(TrafficScenario.LATENCY_CREEP, latency);
    AFFECTED.put(TrafficScenario.SLOW_TAIL_10, latency);
    AFFECTED.put(TrafficScenario.SLOW_TAIL_25, latency);
    AFFECTED.put(TrafficScenario.VERBOSE, with(answers, DriftSignal.TRUNCATED_RATE));
    AFFECTED.put(
        TrafficScenario.REPETITION,
        with(answers, DriftSignal.REPETITION_RATE, DriftSignal.TRUNCATED_RATE));
    AFFECTED.put(TrafficScenario.REFUSAL_RISE, with(answers, DriftSignal.REFUSAL_RATE));
    AFFECTED.put(TrafficScenario.EMPTY, with(answers, DriftSignal.EMPTY_RATE));
    AFFECTED.put(TrafficScenario.TRUNCATIONS, with(answers, DriftSignal.TRUNCATED_RATE));
  }

  private static Set<DriftSignal> with(Set<DriftSignal> base, DriftSignal... more) {
    Set<DriftSignal> all = EnumSet.copyOf(base);
    all.addAll(List.of(more));
    return all;
  }

  private static Set<DriftSignal> affected(TrafficScenario scenario) {
    return AFFECTED.getOrDefault(scenario, Set.of());
  }

  private static boolean trace;
  private static int warmup = DriftSettings.defaults().warmup();

  private final int seeds;
  private final long stableCalls;
  private final int stableRuns;
  private final long changeAt;
  private final long horizon;
  private final long firstSeed;
  private List<TrafficScenario> scenarios = Arrays.asList(TrafficScenario.values());

  private DriftBenchmark(
      int seeds, long stableCalls, int stableRuns, long changeAt, long horizon, long firstSeed) {
    this.seeds = seeds;
    this.stableCalls = stableCalls;
    this.stableRuns = stableRuns;
    this.changeAt = changeAt;
    this.horizon = horizon;
    this.firstSeed = firstSeed;
  }

  public static void main(String[] args) throws IOException {
    Map<String, String> options = new java.util.HashMap<>();
    for (int i = 0; i + 1 < args.length; i += 2) {
      options.put(args[i].replaceFirst("^--", ""), args[i + 1]);
    }
    DriftBenchmark benchmark =
        new DriftBenchmark(
            Integer.parseInt(options.getOrDefault("seeds", "50")),
            Long.parseLong(options.getOrDefault("stable-calls", "1000000")),
            Integer.parseInt(options.getOrDefault("stable-runs", "10")),
            Long.parseLong(options.getOrDefault("change-at", "4000")),
            Long.parseLong(options.getOrDefault("horizon", "20000")),
            Long.parseLong(options.getOrDefault("first-seed", "1")));
    trace = Boolean.parseBoolean(options.getOrDefault("trace", "false"));
    warmup = Integer.parseInt(options.getOrDefault("warmup", Integer.toString(warmup)));
    String only = options.get("scenarios");
    if (only != null) {
      benchmark.scenarios = new ArrayList<>();
      for (String label : only.split(",")) {
        TrafficScenario scenario = TrafficScenario.forLabel(label);
        if (scenario == null) {
          throw new IllegalArgumentException("no scenario " + label);
        }
        benchmark.scenarios.add(scenario);
      }
    }
    String markdown = benchmark.run();
    System.out.println(markdown);
    String out = options.get("out");
    if (out != null) {
      Files.writeString(Path.of(out), markdown);
    }
  }

  private String run() {
    long started = System.nanoTime();
    long[] calls = new long[1];
    StringBuilder md = new StringBuilder();
    md.append("## Drift detection benchmark\n\n");
    md.append(
        String.format(
            Locale.ROOT,
            "%d seeds per scenario; warm-up %d calls; change at call %,d; horizon %,d calls"
                + " after it. Delay: calls from the change to the first alarm on a signal the"
                + " change affects (p90 `>h` when more than a tenth of the runs were not detected"
                + " within the horizon). False alarms before the change: alarm episodes on any"
                + " counted signal before the change, per 1,000,000 calls.%n%n",
            seeds,
            warmup,
            changeAt,
            horizon));
    md.append("| Scenario | Change |\n| --- | --- |\n");
    for (TrafficScenario scenario : TrafficScenario.values()) {
      md.append("| ")
          .append(scenario.label)
          .append(" | ")
          .append(scenario.description)
          .append(" |\n");
    }
    md.append('\n');
    md.append(
        "| Scenario | Method | Detected | Delay median | Delay p90 | First signal (most often)"
            + " | False alarms before the change per 1M calls |\n");
    md.append("| --- | --- | --- | --- | --- | --- | --- |\n");
    for (TrafficScenario scenario : scenarios) {
      if (affected(scenario).isEmpty()) {
        continue;
      }
      for (DriftMethod method : DriftMethod.values()) {
        List<List<long[]>> runs = new ArrayList<>();
        for (int s = 0; s < seeds; s++) {
          runs.add(runScenario(scenario, firstSeed + s, method, calls));
        }
        for (Variant variant : VARIANTS) {
          if (variant.method == method) {
            md.append(scenarioRow(scenario, variant, runs)).append('\n');
          }
        }
      }
    }
    md.append('\n');
    md.append(
        String.format(
            Locale.ROOT,
            "False alarms on traffic that does not change: %,d calls of each kind, in %d runs"
                + " that each learn their own baseline. Alarm episodes per 1,000,000 calls (and"
                + " the signals that raised them).%n%n",
            stableCalls,
            stableRuns));
    md.append("| Traffic | Method | False alarms per 1M calls | Signals |\n");
    md.append("| --- | --- | --- | --- |\n");
    for (TrafficScenario scenario :
        List.of(
            TrafficScenario.STABLE,
            TrafficScenario.NOISY_STABLE,
            TrafficScenario.NOISY_LONG_BURSTS)) {
      if (!scenarios.contains(scenario)) {
        continue;
      }
      for (DriftMethod method : DriftMethod.values()) {
        List<long[]> alarms = new ArrayList<>();
        for (int r = 0; r < stableRuns; r++) {
          alarms.addAll(runStable(scenario, 1000 + firstSeed + r, method, calls));
        }
        for (Variant variant : VARIANTS) {
          if (variant.method == method) {
            md.append(falseAlarmRow(scenario, variant, alarms)).append('\n');
          }
        }
      }
    }
    double seconds = (System.nanoTime() - started) / 1e9;
    md.append(
        String.format(
            Locale.ROOT,
            "%n%,d calls generated, written as JSON, parsed, scored and fed to drift detection"
                + " in %.0f s (%.1f µs per call, all included).%n",
            calls[0],
            seconds,
            seconds * 1e6 / calls[0]));
    return md.toString();
  }

  private List<long[]> runScenario(
      TrafficScenario scenario, long seed, DriftMethod method, long[] calls) {
    AlarmRecorder recorder = new AlarmRecorder();
    QualityMonitor monitor = monitor(method, recorder);
    TrafficModel traffic = new TrafficModel(scenario, seed, changeAt);
    long end = changeAt + horizon;
    boolean[] detected = new boolean[VARIANTS.size()];
    while (traffic.index() < end) {
      recorder.callIndex = traffic.index();
      monitor.onCall(AgentPath.call(traffic.next(), recorder.callIndex));
      calls[0]++;
      if (recorder.callIndex >= changeAt && allDetected(scenario, method, recorder, detected)) {
        break;
      }
    }
    return recorder.alarms;
  }

  /** Whether every variant of this method has seen a detection, looking at new alarms only. */
  private boolean allDetected(
      TrafficScenario scenario, DriftMethod method, AlarmRecorder recorder, boolean[] detected) {
    boolean all = true;
    for (int v = 0; v < VARIANTS.size(); v++) {
      Variant variant = VARIANTS.get(v);
      if (variant.method != method) {
        continue;
      }
      for (int a = recorder.checked; a < recorder.alarms.size() && !detected[v]; a++) {
        long[] alarm = recorder.alarms.get(a);
        DriftSignal signal = DriftSignal.values()[(int) alarm[1]];
        detected[v] =
            alarm[0] >= changeAt
                && affected(scenario).contains(signal)
                && variant.counts.test(signal);
      }
      all &= detected[v];
    }
    recorder.checked = recorder.alarms.size();
    return all;
  }

  private List<long[]> runStable(
      TrafficScenario scenario, long seed, DriftMethod method, long[] calls) {
    AlarmRecorder recorder = new AlarmRecorder();
    QualityMonitor monitor = monitor(method, recorder);
    TrafficModel traffic = new TrafficModel(scenario, seed, Long.MAX_VALUE);
    long perRun = stableCalls / stableRuns;
    while (traffic.index() < perRun) {
      recorder.callIndex = traffic.index();
      monitor.onCall(AgentPath.call(traffic.next(), recorder.callIndex));
      calls[0]++;
    }
    return recorder.alarms;
  }

  private static QualityMonitor monitor(DriftMethod method, DriftEventListener listener) {
    DriftSettings settings = DriftSettings.builder().method(method).warmup(warmup).build();
    return new QualityMonitor(QualitySettings.defaults(), new DriftMonitor(settings, listener));
  }

  private String scenarioRow(TrafficScenario scenario, Variant variant, List<List<long[]>> runs) {
    long[] delays = new long[runs.size()];
    Map<DriftSignal, Integer> firstSignals = new EnumMap<>(DriftSignal.class);
    long falseBefore = 0;
    int detected = 0;
    for (int r = 0; r < runs.size(); r++) {
      delays[r] = Long.MAX_VALUE;
      for (long[] alarm : runs.get(r)) {
        DriftSignal signal = DriftSignal.values()[(int) alarm[1]];
        if (!variant.counts.test(signal)) {
          continue;
        }
        if (alarm[0] < changeAt) {
          falseBefore++;
        } else if (affected(scenario).contains(signal)) {
          delays[r] = alarm[0] - changeAt + 1;
          firstSignals.merge(signal, 1, Integer::sum);
          detected++;
          break;
        }
      }
    }
    Arrays.sort(delays);
    return String.format(
        Locale.ROOT,
        "| %s | %s | %d/%d | %s | %s | %s | %.0f |",
        scenario.label,
        variant.name,
        detected,
        runs.size(),
        percentile(delays, 0.5),
        percentile(delays, 0.9),
        mostOften(firstSignals),
        falseBefore * 1e6 / (runs.size() * (double) changeAt));
  }

  private String falseAlarmRow(TrafficScenario scenario, Variant variant, List<long[]> alarms) {
    Map<DriftSignal, Integer> bySignal = new EnumMap<>(DriftSignal.class);
    long count = 0;
    for (long[] alarm : alarms) {
      DriftSignal signal = DriftSignal.values()[(int) alarm[1]];
      if (variant.counts.test(signal)) {
        count++;
        bySignal.merge(signal, 1, Integer::sum);
      }
    }
    StringBuilder signals = new StringBuilder();
    bySignal.entrySet().stream()
        .sorted((a, b) -> b.getValue() - a.getValue())
        .forEach(
            e ->
                signals
                    .append(signals.length() == 0 ? "" : ", ")
                    .append(e.getKey().label())
                    .append(' ')
                    .append(e.getValue()));
    return String.format(
        Locale.ROOT,
        "| %s | %s | %,.0f | %s |",
        scenario.label,
        variant.name,
        count * 1e6 / stableCalls,
        signals.length() == 0 ? "none" : signals);
  }

  private String percentile(long[] sorted, double p) {
    long value = sorted[(int) Math.ceil(p * sorted.length) - 1];
    return value == Long.MAX_VALUE ? ">" + horizon : Long.toString(value);
  }

  private static String mostOften(Map<DriftSignal, Integer> counts) {
    return counts.entrySet().stream()
        .max(Map.Entry.comparingByValue())
        .map(e -> e.getKey().label())
        .orElse("-");
  }
}
