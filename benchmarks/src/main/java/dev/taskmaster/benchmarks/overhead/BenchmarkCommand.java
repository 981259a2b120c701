package dev.taskmaster.benchmarks.overhead;

import java.util.Arrays;

/**
 * Main class of {@code benchmarks.jar}: {@code overhead [benchmark...] [options]} runs the overhead
 * benchmarks against the peer agents; {@code jmh [JMH options]} runs the JMH benchmarks; {@code
 * drift [options]} runs the drift detection benchmark ({@link
 * dev.taskmaster.benchmarks.DriftBenchmark}).
 */
public final class BenchmarkCommand {

  private BenchmarkCommand() {}

  public static void main(String[] args) throws Exception {
    String command = args.length == 0 ? "" : args[0];
    String[] rest = Arrays.copyOfRange(args, Math.min(1, args.length), args.length);
    switch (command) {
      case "overhead":
        OverheadBenchmark.main(rest);
        return;
      case "jmh":
        org.openjdk.jmh.Main.main(rest);
        return;
      case "drift":
        dev.taskmaster.benchmarks.DriftBenchmark.main(rest);
        return;
      default:
        System.err.println(
            "usage: java -jar benchmarks/target/benchmarks.jar overhead [startup] [first-call]"
                + " [per-call] [memory] [scrape] [--quick] [--<setting> N ...]"
                + "\n       java -jar benchmarks/target/benchmarks.jar jmh [JMH options, e.g."
                + " -prof gc]"
                + "\n       java -jar benchmarks/target/benchmarks.jar drift [--seeds 50]"
                + " [--stable-calls 1000000] [--scenarios a,b] [--out FILE] ...");
        System.exit(2);
    }
  }
}
