package dev.taskmaster.benchmarks.overhead;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * Per call: chat calls to the model server through openai-java and the JDK HttpClient, plain and
 * streaming, in a child JVM per variant, the variants alternating round after round.
 */
final class PerCallBenchmark {

  static final List<String> MODES = List.of("sdk", "sdk-stream", "jdk", "jdk-stream");
  private static final List<Variant> VARIANTS =
      List.of(Variant.NONE, Variant.TASKMASTER, Variant.OPENTELEMETRY);
  private static final List<String> METRICS =
      List.of(
          "wall_p50_us",
          "wall_p99_us",
          "cpu_p50_us",
          "cpu_p99_us",
          "cpu_mean_us",
          "process_cpu_us",
          "alloc_p50_b",
          "alloc_mean_b",
          "chunks",
          "body_bytes");

  private final Layout layout;
  private final Settings settings;
  private final ModelServerProcess server;
  private static final List<String> PAIRED_METRICS =
      List.of(
          "wall_p50_us",
          "wall_p99_us",
          "cpu_p50_us",
          "cpu_p99_us",
          "cpu_mean_us",
          "alloc_p50_b",
          "alloc_mean_b");

  // mode -> variant -> metric -> one value per round
  private final Map<String, Map<Variant, Map<String, List<Double>>>> data = new LinkedHashMap<>();
  // mode -> "on_"/"off_" metric, or "chunks" -> one value per round: TaskMaster's work switched on
  // and off call by call in one JVM (the fixture's "paired" lines)
  private final Map<String, Map<String, List<Double>>> paired = new LinkedHashMap<>();

  PerCallBenchmark(Layout layout, Settings settings, ModelServerProcess server) {
    this.layout = layout;
    this.settings = settings;
    this.server = server;
    for (String mode : MODES) {
      Map<Variant, Map<String, List<Double>>> byVariant = new EnumMap<>(Variant.class);
      for (Variant v : VARIANTS) {
        Map<String, List<Double>> byMetric = new LinkedHashMap<>();
        for (String metric : METRICS) {
          byMetric.put(metric, new ArrayList<>());
        }
        byVariant.put(v, byMetric);
      }
      data.put(mode, byVariant);
      Map<String, List<Double>> pairedMetrics = new LinkedHashMap<>();
      pairedMetrics.put("chunks", new ArrayList<>());
      for (String metric : PAIRED_METRICS) {
        pairedMetrics.put("on_" + metric, new ArrayList<>());
        pairedMetrics.put("off_" + metric, new ArrayList<>());
      }
      paired.put(mode, pairedMetrics);
    }
  }

  String run() throws Exception {
    server.control(
        String.format(
            Locale.ROOT,
            "{\"verbosity\": %.2f}",
            settings.get("per-call-verbosity-percent") / 100.0));
    int warmups = settings.get("warmup-rounds");
    int rounds = settings.get("per-call-rounds");
    for (int round = -warmups; round < rounds; round++) {
      for (int k = 0; k < VARIANTS.size(); k++) {
        Variant variant = VARIANTS.get(Math.floorMod(round + k, VARIANTS.size()));
        server.control("{\"seed\": 42}");
        ChildJvm.Result result = ChildJvm.run(layout, command(variant), "per-call", 1800);
        if (round < 0) {
          continue;
        }
        for (String line : result.stdout.split("\n")) {
          if (line.startsWith("paired ")) {
            Map<String, String> fields = fields(line.substring("paired ".length()));
            for (Map.Entry<String, List<Double>> metric :
                paired.get(fields.get("mode")).entrySet()) {
              metric.getValue().add(Double.parseDouble(fields.get(metric.getKey())));
            }
            continue;
          }
          if (!line.startsWith("mode=")) {
            continue;
          }
          Map<String, String> fields = fields(line);
          Map<String, List<Double>> byMetric = data.get(fields.get("mode")).get(variant);
          for (String metric : METRICS) {
            byMetric.get(metric).add(Double.parseDouble(fields.get(metric)));
          }
        }
      }
      Progress.say("per-call round " + round + " done");
    }
    return report(rounds);
  }

  /** The {@code key=value} tokens of one line of the fixture. */
  private static Map<String, String> fields(String line) {
    Map<String, String> fields = new LinkedHashMap<>();
    for (String token : line.trim().split("\\s+")) {
      int eq = token.indexOf('=');
      fields.put(token.substring(0, eq), token.substring(eq + 1));
    }
    return fields;
  }

  /** On minus off, per round, for one metric of TaskMaster's in-JVM comparison. */
  private Stats pairedAdded(String mode, String metric) {
    Map<String, List<Double>> metrics = paired.get(mode);
    return Stats.differences(metrics.get("on_" + metric), metrics.get("off_" + metric));
  }

  private Stats pairedAddedPerChunk(String mode, String metric) {
    Map<String, List<Double>> metrics = paired.get(mode);
    List<Double> on = metrics.get("on_" + metric);
    List<Double> off = metrics.get("off_" + metric);
    List<Double> chunks = metrics.get("chunks");
    Stats stats = new Stats();
    for (int i = 0; i < Math.min(on.size(), off.size()); i++) {
      stats.add((on.get(i) - off.get(i)) / chunks.get(i));
    }
    return stats;
  }

  private String pairedReport() {
    StringBuilder text = new StringBuilder();
    text.append(
        String.format(
            Locale.ROOT,
            "**TaskMaster in one JVM, its work switched on and off call by call.** After the"
                + " measured calls above, TaskMaster's child JVM makes %d more calls per mode,"
                + " in pairs, one with the agent's dispatcher installed in its bootstrap bridge"
                + " and one without it (the woven advice still runs and returns at once), which"
                + " of a pair goes first drawn at random. One JVM, one JIT state, one heap: the"
                + " difference is the agent's own work on the calling thread, without the spread"
                + " between JVMs of the comparison above (the agent's background threads run"
                + " during both halves). Median over rounds (p10–p90).%n%n",
            settings.get("per-call-calls")));
    Table table =
        new Table(
            "mode",
            "added wall p50 µs",
            "added wall p99 µs",
            "added thread CPU p50 µs",
            "added thread CPU p99 µs",
            "added thread CPU mean µs",
            "added B/call (p50)",
            "off: thread CPU p50 µs");
    for (String mode : MODES) {
      table.row(
          describe(mode),
          pairedAdded(mode, "wall_p50_us").format(1),
          pairedAdded(mode, "wall_p99_us").format(1),
          pairedAdded(mode, "cpu_p50_us").format(1),
          pairedAdded(mode, "cpu_p99_us").format(1),
          pairedAdded(mode, "cpu_mean_us").format(1),
          pairedAdded(mode, "alloc_p50_b").format(0),
          Stats.of(paired.get(mode).get("off_cpu_p50_us")).format(0));
      if (mode.endsWith("stream")) {
        table.row(
            describe(mode) + ", per chunk",
            pairedAddedPerChunk(mode, "wall_p50_us").format(2),
            "",
            pairedAddedPerChunk(mode, "cpu_p50_us").format(2),
            "",
            pairedAddedPerChunk(mode, "cpu_mean_us").format(2),
            pairedAddedPerChunk(mode, "alloc_p50_b").format(0),
            "");
      }
    }
    text.append(table).append('\n');
    text.append("Targets, TaskMaster in one JVM (on minus off, on the calling thread):\n\n");
    appendTargets(text, "", this::pairedAdded, this::pairedAddedPerChunk, false);
    return text.append('\n').toString();
  }

  private static String target(String what, Stats added, double limitMicros) {
    return Table.target(what, added.median(), limitMicros, "µs", 1) + "\n";
  }

  /**
   * The per-call targets for one way of measuring: {@code perCall} and {@code perChunk}
   * give a mode's added figure by metric; {@code withProcess} adds the whole process's CPU per
   * chunk.
   */
  private static void appendTargets(
      StringBuilder text,
      String label,
      BiFunction<String, String, Stats> perCall,
      BiFunction<String, String, Stats> perChunk,
      boolean withProcess) {
    for (String mode : List.of("sdk", "jdk")) {
      String what = describe(mode) + ": " + label;
      text.append(target(what + "wall p50", perCall.apply(mode, "wall_p50_us"), 10));
      text.append(target(what + "thread CPU p50", perCall.apply(mode, "cpu_p50_us"), 10));
      text.append(target(what + "wall p99", perCall.apply(mode, "wall_p99_us"), 50));
      text.append(target(what + "thread CPU p99", perCall.apply(mode, "cpu_p99_us"), 50));
    }
    for (String mode : MODES) {
      String what = describe(mode) + ": " + label + "allocation per call";
      double bytes = perCall.apply(mode, "alloc_p50_b").median();
      text.append(Table.target(what, bytes, 2048, "B", 0)).append('\n');
    }
    for (String mode : List.of("sdk-stream", "jdk-stream")) {
      String what = describe(mode) + ": " + label;
      double thread = perChunk.apply(mode, "cpu_p50_us").median();
      text.append(Table.target(what + "thread CPU per chunk", thread, 1, "µs", 2)).append('\n');
      if (withProcess) {
        double process = perChunk.apply(mode, "process_cpu_us").median();
        text.append(Table.target(what + "process CPU per chunk", process, 1, "µs", 2)).append('\n');
      }
    }
  }

  private List<String> command(Variant variant) throws Exception {
    List<String> command = new ArrayList<>();
    command.add(layout.java.toString());
    command.addAll(
        variant.jvmOptions(layout, "config=" + layout.sampleAgentProperties + ",exporter.port=0"));
    command.add("-cp");
    command.add(layout.appClassPath());
    command.add("dev.taskmaster.benchmarks.fixture.PerCallClient");
    command.add(server.baseUrl());
    command.add(Integer.toString(settings.get("per-call-warmup")));
    command.add(Integer.toString(settings.get("per-call-calls")));
    command.add(String.join(",", MODES));
    return command;
  }

  private Stats values(String mode, Variant v, String metric) {
    return Stats.of(data.get(mode).get(v).get(metric));
  }

  private Stats added(String mode, Variant v, String metric) {
    return Stats.differences(
        data.get(mode).get(v).get(metric), data.get(mode).get(Variant.NONE).get(metric));
  }

  /** Added per streamed chunk: the paired difference divided by that round's chunks per call. */
  private Stats addedPerChunk(String mode, Variant v, String metric) {
    List<Double> ours = data.get(mode).get(v).get(metric);
    List<Double> bare = data.get(mode).get(Variant.NONE).get(metric);
    List<Double> chunks = data.get(mode).get(v).get("chunks");
    Stats stats = new Stats();
    for (int i = 0; i < Math.min(ours.size(), bare.size()); i++) {
      stats.add((ours.get(i) - bare.get(i)) / chunks.get(i));
    }
    return stats;
  }

  private String report(int rounds) {
    StringBuilder text = new StringBuilder();
    text.append("### 2. Per call\n\n");
    text.append(
        String.format(
            Locale.ROOT,
            "%d rounds, alternating; each round one child JVM per variant makes, for each mode,"
                + " %d warm-up calls and then %d measured calls to the model server (its own JVM,"
                + " `-Dsun.net.httpserver.nodelay=true`, verbosity %.2f). Per call, on the calling"
                + " thread: wall time (p50, p99), CPU time (`ThreadMXBean`), bytes allocated"
                + " (`getCurrentThreadAllocatedBytes`); and the whole process's CPU time divided by"
                + " the calls (this includes the HTTP client's and the agents' own threads). Each"
                + " figure is the median over rounds (p10–p90 over rounds); added = paired"
                + " difference with the bare JVM of the same round. Ours: `sample-app/agent.properties`"
                + " (intercepts openai-java's blocking `create`) and automatic HTTP recognition"
                + " of every client (the default `http.clients`): the JDK HttpClient, and OkHttp"
                + " under openai-java, so that openai-java's `createStreaming` calls are recorded"
                + " through OkHttp, and its `create` calls are seen by both (the nested OkHttp call"
                + " is not counted again).%n%n",
            rounds,
            settings.get("per-call-warmup"),
            settings.get("per-call-calls"),
            settings.get("per-call-verbosity-percent") / 100.0));
    for (String mode : MODES) {
      boolean stream = mode.endsWith("stream");
      text.append("**")
          .append(describe(mode))
          .append("**, response ")
          .append(values(mode, Variant.NONE, "body_bytes").formatMedian(0))
          .append(mode.startsWith("jdk") ? " bytes" : " answer chars")
          .append(
              stream ? ", " + values(mode, Variant.NONE, "chunks").formatMedian(1) + " chunks" : "")
          .append(" per call\n\n");
      Table table =
          new Table(
              "variant",
              "wall p50 µs",
              "wall p99 µs",
              "thread CPU p50 µs",
              "thread CPU p99 µs",
              "process CPU µs/call",
              "allocated B/call (p50)");
      for (Variant v : VARIANTS) {
        table.row(
            v.title,
            values(mode, v, "wall_p50_us").format(0),
            values(mode, v, "wall_p99_us").format(0),
            values(mode, v, "cpu_p50_us").format(0),
            values(mode, v, "cpu_p99_us").format(0),
            values(mode, v, "process_cpu_us").format(0),
            values(mode, v, "alloc_p50_b").format(0));
      }
      for (Variant v : VARIANTS) {
        if (v == Variant.NONE) {
          continue;
        }
        table.row(
            "added by " + v.title,
            added(mode, v, "wall_p50_us").format(1),
            added(mode, v, "wall_p99_us").format(1),
            added(mode, v, "cpu_p50_us").format(1),
            added(mode, v, "cpu_p99_us").format(1),
            added(mode, v, "process_cpu_us").format(1),
            added(mode, v, "alloc_p50_b").format(0));
      }
      if (stream) {
        for (Variant v : VARIANTS) {
          if (v == Variant.NONE) {
            continue;
          }
          table.row(
              "added by " + v.title + " per chunk",
              addedPerChunk(mode, v, "wall_p50_us").format(2),
              "",
              addedPerChunk(mode, v, "cpu_p50_us").format(2),
              "",
              addedPerChunk(mode, v, "process_cpu_us").format(2),
              addedPerChunk(mode, v, "alloc_p50_b").format(0));
        }
      }
      text.append(table).append('\n');
    }
    text.append(pairedReport());
    text.append("Targets (ours, added on the calling thread, against the bare JVM):\n\n");
    appendTargets(
        text,
        "added ",
        (mode, metric) -> added(mode, Variant.TASKMASTER, metric),
        (mode, metric) -> addedPerChunk(mode, Variant.TASKMASTER, metric),
        true);
    return text.append('\n').toString();
  }

  private static String describe(String mode) {
    switch (mode) {
      case "sdk":
        return "openai-java, non-streaming";
      case "sdk-stream":
        return "openai-java, streaming";
      case "jdk":
        return "JDK HttpClient, non-streaming";
      default:
        return "JDK HttpClient, streaming";
    }
  }
}
