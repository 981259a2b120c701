package dev.taskmaster.benchmarks.overhead;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The sample app's time from JVM start to its first completed model call (openai-java, against the
 * model server), bare and with each agent, alternating.
 */
final class FirstCallBenchmark {

  private static final List<Variant> VARIANTS = List.of(Variant.values());

  private final Layout layout;
  private final Settings settings;
  private final ModelServerProcess server;
  private final Map<Variant, List<Double>> firstCall = new EnumMap<>(Variant.class);
  private final Map<Variant, List<Double>> wall = new EnumMap<>(Variant.class);
  private final Map<Variant, List<Double>> cpu = new EnumMap<>(Variant.class);
  private final Map<Variant, List<Double>> rss = new EnumMap<>(Variant.class);

  FirstCallBenchmark(Layout layout, Settings settings, ModelServerProcess server) {
    this.layout = layout;
    this.settings = settings;
    this.server = server;
    for (Variant v : VARIANTS) {
      firstCall.put(v, new ArrayList<>());
      wall.put(v, new ArrayList<>());
      cpu.put(v, new ArrayList<>());
      rss.put(v, new ArrayList<>());
    }
  }

  String run() throws Exception {
    int warmups = settings.get("warmup-rounds");
    int rounds = settings.get("first-call-rounds");
    for (int round = -warmups; round < rounds; round++) {
      for (int k = 0; k < VARIANTS.size(); k++) {
        Variant variant = VARIANTS.get(Math.floorMod(round + k, VARIANTS.size()));
        server.control("{\"seed\": 42}");
        ChildJvm.Result result = ChildJvm.run(layout, command(variant), "first-call", 300);
        double millis = result.value("first-call-ms");
        if (Double.isNaN(millis)) {
          throw new IllegalStateException(
              "first-call: no first-call-ms line from " + variant + ":\n" + result.stdout);
        }
        if (round < 0) {
          continue;
        }
        firstCall.get(variant).add(millis);
        wall.get(variant).add(result.wallMillis);
        cpu.get(variant).add(result.cpuMillis);
        rss.get(variant).add(result.peakRssMiB);
      }
      Progress.say("first-call round " + round + " done");
    }
    return report(rounds);
  }

  private List<String> command(Variant variant) throws Exception {
    List<String> command = new ArrayList<>();
    command.add(layout.java.toString());
    command.addAll(
        variant.jvmOptions(layout, "config=" + layout.sampleAgentProperties + ",exporter.port=0"));
    command.add("-cp");
    command.add(layout.appClassPath());
    command.add("dev.taskmaster.benchmarks.fixture.FirstCall");
    command.addAll(
        List.of(
            "--base-url",
            server.baseUrl() + "/v1",
            "--ollama-url",
            "none",
            "--requests",
            "1",
            "--rate",
            "0",
            "--threads",
            "1",
            "--verbose"));
    return command;
  }

  private String report(int rounds) {
    StringBuilder text = new StringBuilder();
    text.append("### 1b. Start-up: the sample app's first completed model call\n\n");
    text.append(
        rounds
            + " rounds, alternating. `TaskMasterApp --requests 1` (openai-java, one chat call) run"
            + " by a fixture main that notes when the app prints its first call, in ms since the"
            + " JVM started (RuntimeMXBean start time). Ours runs with `sample-app/agent.properties`"
            + " (the call is intercepted). The whole process: wall, CPU, peak RSS.\n\n");
    Table table =
        new Table(
            "variant",
            "first call ms",
            "added ms",
            "process wall ms",
            "process CPU ms",
            "added CPU ms",
            "peak RSS MiB",
            "added RSS MiB");
    for (Variant v : VARIANTS) {
      boolean bare = v == Variant.NONE;
      table.row(
          v.title,
          Stats.of(firstCall.get(v)).format(0),
          bare ? "" : added(firstCall, v).format(0),
          Stats.of(wall.get(v)).format(0),
          Stats.of(cpu.get(v)).format(0),
          bare ? "" : added(cpu, v).format(0),
          Stats.of(rss.get(v)).format(1),
          bare ? "" : added(rss, v).format(1));
    }
    return text.append(table).append('\n').toString();
  }

  private static Stats added(Map<Variant, List<Double>> values, Variant v) {
    return Stats.differences(values.get(v), values.get(Variant.NONE));
  }
}
