package dev.taskmaster.benchmarks.overhead;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where our agent's start-up time goes: the one-line JVM run with {@code -Xlog:class+load} and
 * uptime stamps, cut into phases at the first loading of marker classes (the agent's own classes in
 * the order {@code premain} reaches them). Each phase: median duration over the runs, and the
 * classes it loaded, by kind. The logging itself slows the run a little.
 */
final class PremainPhases {

  /** Phase boundaries: a class name, and what happens from its loading to the next one's. */
  private static final String[][] MARKERS = {
    {"sun.instrument.InstrumentationImpl", "JVM opens the agent jar, loads the premain class"},
    {"dev.taskmaster.agent.TaskMasterAgent", "bridge classes defined in the bootstrap loader"},
    {"dev.taskmaster.agent.AgentInstaller", "configuration loaded (ConfigLoader)"},
    {"dev.taskmaster.agent.core.CallPipeline", "recorder, pipeline, HTTP hooks"},
    {
      "dev.taskmaster.agent.instrumentation.InterceptionTransformer",
      "transformer installed, loaded classes scanned"
    },
    {"dev.taskmaster.agent.util.DaemonThreadFactory", "background thread started, main() reached"},
    {"dev.taskmaster.benchmarks.fixture.Hello", "(main class loaded)"},
  };

  private static final Pattern LINE = Pattern.compile("^\\[(\\d+\\.\\d+)s\\] (\\S+) source: (.*)$");

  private PremainPhases() {}

  static String measure(
      Layout layout, List<String> commandBefore, List<String> commandAfter, int runs)
      throws Exception {
    int phases = MARKERS.length - 1;
    List<List<Double>> millis = new ArrayList<>();
    for (int i = 0; i < phases; i++) {
      millis.add(new ArrayList<>());
    }
    int[][] counts = new int[phases][5];
    double[] start = new double[runs];
    for (int run = 0; run < runs; run++) {
      Path log = layout.work.resolve("startup-phases-" + run + ".log");
      Files.deleteIfExists(log);
      List<String> command = new ArrayList<>(commandBefore);
      command.add("-Xlog:class+load=info:file=" + log + ":uptime");
      command.addAll(commandAfter);
      ChildJvm.run(layout, command, "startup-phases", 120);
      List<String> lines = Files.readAllLines(log);
      double[] at = new double[MARKERS.length];
      int[] index = new int[MARKERS.length];
      java.util.Arrays.fill(at, Double.NaN);
      for (int n = 0; n < lines.size(); n++) {
        Matcher m = LINE.matcher(lines.get(n));
        if (!m.matches()) {
          continue;
        }
        for (int k = 0; k < MARKERS.length; k++) {
          if (Double.isNaN(at[k]) && m.group(2).equals(MARKERS[k][0])) {
            at[k] = Double.parseDouble(m.group(1)) * 1000;
            index[k] = n;
          }
        }
      }
      start[run] = at[0];
      for (int k = 0; k < phases; k++) {
        millis.get(k).add(at[k + 1] - at[k]);
        if (run == runs - 1 && !Double.isNaN(at[k]) && !Double.isNaN(at[k + 1])) {
          for (String line : lines.subList(index[k], index[k + 1])) {
            Matcher m = LINE.matcher(line);
            if (m.matches()) {
              counts[k][kind(m.group(2), m.group(3))]++;
            }
          }
        }
      }
    }
    Table table =
        new Table(
            "phase (from the loading of …)",
            "what happens",
            "ms",
            "classes",
            "from CDS",
            "agent's own",
            "java.lang.invoke (lambdas, string concatenation)",
            "java.util.regex");
    for (int k = 0; k < phases; k++) {
      int[] c = counts[k];
      table.row(
          "`" + MARKERS[k][0].substring(MARKERS[k][0].lastIndexOf('.') + 1) + "`",
          MARKERS[k][1],
          Stats.of(millis.get(k)).format(0),
          Integer.toString(c[0] + c[1] + c[2] + c[3] + c[4]),
          Integer.toString(c[1]),
          Integer.toString(c[2]),
          Integer.toString(c[3]),
          Integer.toString(c[4]));
    }
    Stats jvmStart = new Stats();
    for (double s : start) {
      jvmStart.add(s);
    }
    return String.format(
            Locale.ROOT,
            "Our agent's start-up by phase (%d runs with `-Xlog:class+load:uptime`, median (p10–p90)"
                + " ms; class counts from the last run; the agent starts %s ms after JVM start):%n%n",
            runs,
            jvmStart.format(0))
        + table
        + "\n";
  }

  /** 0 other, 1 from the CDS archive, 2 the agent's own, 3 java.lang.invoke, 4 regex. */
  private static int kind(String name, String source) {
    if (name.startsWith("java.util.regex")) {
      return 4;
    }
    if (name.startsWith("java.lang.invoke") || name.contains("$$Lambda$")) {
      return 3;
    }
    if (name.startsWith("dev.taskmaster.agent")) {
      return 2;
    }
    if (source.contains("shared objects file")) {
      return 1;
    }
    return 0;
  }
}
