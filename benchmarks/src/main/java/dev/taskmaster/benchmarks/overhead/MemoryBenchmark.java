package dev.taskmaster.benchmarks.overhead;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Memory over time: the heap retained after many intercepted calls spread over many model names,
 * against the heap retained after the first calls, in the same JVM; bare and with our agent.
 */
final class MemoryBenchmark {

  private static final List<Variant> VARIANTS = List.of(Variant.NONE, Variant.TASKMASTER);
  private static final double MIB = 1024 * 1024;

  private final Layout layout;
  private final Settings settings;
  private final Path config;
  private final Map<Variant, List<Double>> first = new EnumMap<>(Variant.class);
  private final Map<Variant, List<Double>> total = new EnumMap<>(Variant.class);
  private final Map<Variant, List<Double>> seconds = new EnumMap<>(Variant.class);
  private String grown = "";

  MemoryBenchmark(Layout layout, Settings settings) throws Exception {
    this.layout = layout;
    this.settings = settings;
    this.config = layout.work.resolve("memory-agent.properties");
    Files.writeString(
        config,
        dev.taskmaster.benchmarks.fixture.FakeModelClient.interceptionBlocks(1)
            + "exporter.port=0\n");
    for (Variant v : VARIANTS) {
      first.put(v, new ArrayList<>());
      total.put(v, new ArrayList<>());
      seconds.put(v, new ArrayList<>());
    }
  }

  String run() throws Exception {
    int rounds = settings.get("memory-rounds");
    for (int round = 0; round < rounds; round++) {
      for (int k = 0; k < VARIANTS.size(); k++) {
        Variant variant = VARIANTS.get(Math.floorMod(round + k, VARIANTS.size()));
        ChildJvm.Result result = ChildJvm.run(layout, command(variant), "memory", 3600, false);
        first.get(variant).add(result.value("heap-first") / MIB);
        total.get(variant).add(result.value("heap-total") / MIB);
        seconds.get(variant).add(result.value("seconds"));
        if (variant == Variant.TASKMASTER) {
          StringBuilder lines = new StringBuilder();
          for (String line : result.stdout.split("\n")) {
            if (line.startsWith("grown ")) {
              lines.append("    ").append(line.substring(6)).append('\n');
            }
          }
          grown = lines.toString();
        }
      }
      Progress.say("memory round " + round + " done");
    }
    return report(rounds);
  }

  private List<String> command(Variant variant) throws Exception {
    List<String> command = new ArrayList<>();
    command.add(layout.java.toString());
    command.addAll(variant.jvmOptions(layout, "config=" + config));
    command.add("-cp");
    command.add(layout.fixturesJar.toString());
    command.add("dev.taskmaster.benchmarks.fixture.MemoryProbe");
    for (String key :
        List.of(
            "memory-models",
            "memory-first",
            "memory-total",
            "memory-pace-every",
            "memory-pace-ms")) {
      command.add(Integer.toString(settings.get(key)));
    }
    return command;
  }

  private String report(int rounds) {
    StringBuilder text = new StringBuilder();
    text.append("### 3. Memory over time\n\n");
    text.append(
        String.format(
            Locale.ROOT,
            "%d rounds. One JVM per variant calls an intercepted method %,d times, model names"
                + " cycling over %,d distinct ones, sleeping %d ms every %,d calls so that the"
                + " agent's background thread keeps up. Heap used after full GCs (System.gc() four"
                + " times, the lowest reading), after the first %,d calls and after all; the"
                + " agent's call log (stderr, its default) is discarded. Ours: defaults"
                + " (metrics.max-models 50, alerting on).%n%n",
            rounds,
            settings.get("memory-total"),
            settings.get("memory-models"),
            settings.get("memory-pace-ms"),
            settings.get("memory-pace-every"),
            settings.get("memory-first")));
    Table table =
        new Table(
            "variant",
            "heap after " + settings.get("memory-first") + " calls MiB",
            "heap after " + settings.get("memory-total") + " calls MiB",
            "growth MiB",
            "loop seconds");
    for (Variant v : VARIANTS) {
      table.row(
          v.title,
          Stats.of(first.get(v)).format(2),
          Stats.of(total.get(v)).format(2),
          Stats.differences(total.get(v), first.get(v)).format(2),
          Stats.of(seconds.get(v)).format(0));
    }
    text.append(table).append('\n');
    text.append("Targets:\n\n")
        .append(
            Table.target(
                "heap growth from "
                    + settings.get("memory-first")
                    + " to "
                    + settings.get("memory-total")
                    + " calls (ours)",
                Stats.differences(total.get(Variant.TASKMASTER), first.get(Variant.TASKMASTER))
                    .median(),
                5,
                "MiB",
                2))
        .append("\n\n");
    text.append(
            "Classes whose live bytes grew most in between (ours, last round, class histogram):\n\n```\n")
        .append(grown)
        .append("```\n\n");
    return text.toString();
  }
}
