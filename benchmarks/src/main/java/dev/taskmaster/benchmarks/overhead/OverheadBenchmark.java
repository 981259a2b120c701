package dev.taskmaster.benchmarks.overhead;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;

/**
 * {@code overhead}: runs the selected overhead benchmarks and writes their Markdown report to
 * {@code benchmarks/target/overhead-results.md} and standard output.
 */
public final class OverheadBenchmark {

  private OverheadBenchmark() {}

  public static void main(String[] args) throws Exception {
    Settings settings = Settings.parse(args);
    Layout layout = Layout.find(settings.root);
    StringBuilder report = new StringBuilder();
    report.append(header(settings, args));
    try (ModelServerProcess server =
        settings.benchmarks.contains("first-call") || settings.benchmarks.contains("per-call")
            ? ModelServerProcess.start(layout)
            : null) {
      for (String benchmark : settings.benchmarks) {
        Progress.say(benchmark + ": starting, load " + loadAverage());
        String section;
        switch (benchmark) {
          case "startup":
            section = new StartupBenchmark(layout, settings).run();
            break;
          case "first-call":
            section = new FirstCallBenchmark(layout, settings, server).run();
            break;
          case "per-call":
            section = new PerCallBenchmark(layout, settings, server).run();
            break;
          case "memory":
            section = new MemoryBenchmark(layout, settings).run();
            break;
          case "scrape":
            section = new ScrapeBenchmark(layout, settings).run();
            break;
          default:
            throw new AssertionError(benchmark);
        }
        report.append(section);
        report.append("_Load average after this section: ").append(loadAverage()).append("_\n\n");
        System.out.print(section);
        System.out.flush();
      }
    }
    Path file = layout.root.resolve("benchmarks/target/overhead-results.md");
    Files.writeString(file, report.toString(), StandardCharsets.UTF_8);
    Progress.say("report written to " + file);
  }

  private static String header(Settings settings, String[] args) throws IOException {
    return "## Overhead benchmarks, "
        + ZonedDateTime.now()
            .truncatedTo(ChronoUnit.SECONDS)
            .format(DateTimeFormatter.ISO_OFFSET_DATE_TIME)
        + "\n\n"
        + "- Command: `java -jar benchmarks/target/benchmarks.jar overhead "
        + String.join(" ", args)
        + "`\n"
        + "- Machine: "
        + cpuModel()
        + ", "
        + Runtime.getRuntime().availableProcessors()
        + " cores, "
        + memTotal()
        + "\n"
        + "- JDK: "
        + System.getProperty("java.vm.name")
        + " "
        + System.getProperty("java.runtime.version")
        + "; OS: "
        + System.getProperty("os.name")
        + " "
        + System.getProperty("os.version")
        + "\n"
        + "- Load average at start: "
        + loadAverage()
        + "\n"
        + "- Settings: "
        + settings.values
        + "\n\n"
        + (List.of(args).contains("--quick")
            ? "**A `--quick` run: a smoke test of the benchmark itself. With so few calls and"
                + " rounds its figures, and the verdicts on the targets below, mean nothing.**\n\n"
            : "");
  }

  static String loadAverage() {
    try {
      String[] fields = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
      return fields[0] + " " + fields[1] + " " + fields[2];
    } catch (IOException e) {
      return String.format(
          "%.2f", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    }
  }

  private static String cpuModel() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
        if (line.startsWith("model name")) {
          return line.substring(line.indexOf(':') + 1).trim();
        }
      }
    } catch (IOException e) {
      // Not Linux: leave it out.
    }
    return "unknown CPU";
  }

  private static String memTotal() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
        if (line.startsWith("MemTotal:")) {
          long kib = Long.parseLong(line.replaceAll("\\D", ""));
          return (kib / 1024 / 1024) + " GiB RAM";
        }
      }
    } catch (IOException e) {
      // Not Linux: leave it out.
    }
    return "unknown RAM";
  }
}
