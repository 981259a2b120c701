package dev.taskmaster.benchmarks.overhead;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Start-up: a JVM that prints one line and exits, bare and with each agent, in alternating order,
 * round after round: wall time, CPU time (user + system) and peak resident memory.
 */
final class StartupBenchmark {

  private static final List<Variant> VARIANTS = List.of(Variant.values());

  private final Layout layout;
  private final Settings settings;
  private final Map<Variant, List<Double>> wall = new EnumMap<>(Variant.class);
  private final Map<Variant, List<Double>> cpu = new EnumMap<>(Variant.class);
  private final Map<Variant, List<Double>> rss = new EnumMap<>(Variant.class);
  private int exporterUp;
  private final Path portFile;
  private final Path config;

  StartupBenchmark(Layout layout, Settings settings) throws IOException {
    this.layout = layout;
    this.settings = settings;
    this.portFile = layout.work.resolve("startup-exporter.port");
    this.config = layout.work.resolve("startup-agent.properties");
    // An interception of a class the program never loads, HTTP recognition on (the default), the
    // exporter on: what a configured agent costs a JVM that makes no model call.
    Files.writeString(
        config,
        "intercept.never.class=dev.taskmaster.benchmarks.fixture.NeverLoaded\n"
            + "intercept.never.method=chat\n"
            + "intercept.never.model=arg0\n"
            + "intercept.never.prompt=arg1\n"
            + "exporter.port=0\n"
            + "exporter.port.file="
            + portFile
            + "\n");
    for (Variant v : VARIANTS) {
      wall.put(v, new ArrayList<>());
      cpu.put(v, new ArrayList<>());
      rss.put(v, new ArrayList<>());
    }
  }

  String run() throws Exception {
    int warmups = settings.get("warmup-rounds");
    int rounds = settings.get("startup-rounds");
    for (int round = -warmups; round < rounds; round++) {
      for (int k = 0; k < VARIANTS.size(); k++) {
        Variant variant = VARIANTS.get(Math.floorMod(round + k, VARIANTS.size()));
        Files.deleteIfExists(portFile);
        ChildJvm.Result result = ChildJvm.run(layout, command(variant, List.of()), "startup", 120);
        if (round < 0) {
          continue;
        }
        wall.get(variant).add(result.wallMillis);
        cpu.get(variant).add(result.cpuMillis);
        rss.get(variant).add(result.peakRssMiB);
        if (variant == Variant.TASKMASTER && Files.isRegularFile(portFile)) {
          exporterUp++;
        }
      }
      Progress.say("startup round " + round + " done");
    }
    List<String> ours = command(Variant.TASKMASTER, List.of());
    return report(rounds)
        + classLoading()
        + PremainPhases.measure(
            layout, ours.subList(0, 1), ours.subList(1, ours.size()), Math.max(3, rounds / 2));
  }

  private List<String> command(Variant variant, List<String> extra) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(layout.java.toString());
    command.addAll(variant.jvmOptions(layout, "config=" + config));
    command.addAll(extra);
    command.add("-cp");
    command.add(layout.fixturesJar.toString());
    command.add("dev.taskmaster.benchmarks.fixture.Hello");
    return command;
  }

  private String report(int rounds) {
    StringBuilder text = new StringBuilder();
    text.append("### 1a. Start-up: a JVM that prints one line\n\n");
    text.append(
        rounds
            + " rounds, variants alternating (order rotated each round), after "
            + settings.get("warmup-rounds")
            + " warm-up round(s). Median (p10–p90). Added = paired difference with the bare JVM of"
            + " the same round. CPU is user + system of the child (10 ms resolution), peak RSS is"
            + " the kernel's maximum resident set (VmHWM).\n\n");
    Table table =
        new Table(
            "variant",
            "wall ms",
            "CPU ms",
            "peak RSS MiB",
            "added wall ms",
            "added CPU ms",
            "added RSS MiB");
    for (Variant v : VARIANTS) {
      table.row(
          v.title,
          Stats.of(wall.get(v)).format(0),
          Stats.of(cpu.get(v)).format(0),
          Stats.of(rss.get(v)).format(1),
          v == Variant.NONE ? "" : added(wall, v).format(0),
          v == Variant.NONE ? "" : added(cpu, v).format(0),
          v == Variant.NONE ? "" : added(rss, v).format(1));
    }
    text.append(table).append('\n');
    double oursWall = added(wall, Variant.TASKMASTER).median();
    double oursRss = added(rss, Variant.TASKMASTER).median();
    double otelWall = added(wall, Variant.OPENTELEMETRY).median();
    double otelRss = added(rss, Variant.OPENTELEMETRY).median();
    double jmxWall = added(wall, Variant.JMX_EXPORTER).median();
    double jmxRss = added(rss, Variant.JMX_EXPORTER).median();
    text.append(
        String.format(
            Locale.ROOT,
            "Ours against OpenTelemetry's (added, medians): wall %.3f, peak RSS %.3f;"
                + " against the JMX exporter's: wall %.2f, peak RSS %.2f."
                + " Our exporter was listening before the JVM exited in %d of %d runs.%n%n",
            oursWall / otelWall,
            oursRss / otelRss,
            oursWall / jmxWall,
            oursRss / jmxRss,
            exporterUp,
            rounds));
    text.append("Targets:\n\n");
    text.append(Table.target("added wall time", oursWall, 250, "ms", 0)).append('\n');
    text.append(Table.target("added peak memory", oursRss, 25, "MiB", 1)).append('\n');
    text.append(
            Table.target(
                "added wall time against OpenTelemetry's", oursWall / otelWall, 0.05, "×", 3))
        .append('\n');
    text.append(
            Table.target(
                "added peak memory against OpenTelemetry's", oursRss / otelRss, 0.05, "×", 3))
        .append("\n\n");
    return text.toString();
  }

  /** Paired differences with the bare JVM of the same round. */
  private static Stats added(Map<Variant, List<Double>> values, Variant v) {
    return Stats.differences(values.get(v), values.get(Variant.NONE));
  }

  /** Where the classes come from: one extra run of each variant with class loading logged. */
  private String classLoading() throws Exception {
    Table table =
        new Table(
            "variant", "classes loaded", "from the CDS archive", "from the agent's jar", "other");
    for (Variant v : VARIANTS) {
      Path log = layout.work.resolve("startup-classload-" + v.name().toLowerCase() + ".log");
      Files.deleteIfExists(log);
      ChildJvm.run(
          layout,
          command(v, List.of("-Xlog:class+load=info:file=" + log)),
          "startup-classload",
          120);
      long total = 0;
      long shared = 0;
      long agent = 0;
      for (String line : Files.readAllLines(log)) {
        if (!line.contains("source:")) {
          continue;
        }
        total++;
        if (line.contains("shared objects file")) {
          shared++;
        } else if (line.contains(".jar") && line.contains("agent")) {
          agent++;
        }
      }
      table.row(
          v.title,
          Long.toString(total),
          Long.toString(shared),
          Long.toString(agent),
          Long.toString(total - shared - agent));
    }
    return "Classes loaded by the one-line JVM (one run each, `-Xlog:class+load`; logs in"
        + " `benchmarks/target/overhead-work/`):\n\n"
        + table
        + "\n";
  }
}
