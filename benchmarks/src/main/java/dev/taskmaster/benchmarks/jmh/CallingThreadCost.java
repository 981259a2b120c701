package dev.taskmaster.benchmarks.jmh;

import com.sun.management.ThreadMXBean;
import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.Locale;

/**
 * The calling thread's CPU time and allocated bytes per operation of some JMH benchmark bodies,
 * read from {@code ThreadMXBean}: steadier than JMH's wall-clock scores when other processes share
 * the cores. Each body runs 5 × N times to warm up, then 7 × N times measured; prints the median of
 * the 7 with the lowest and highest.
 *
 * <p>{@code java -cp benchmarks/target/benchmarks.jar
 * dev.taskmaster.benchmarks.jmh.CallingThreadCost}
 */
public final class CallingThreadCost {

  private static final ThreadMXBean THREADS = (ThreadMXBean) ManagementFactory.getThreadMXBean();

  private interface Body {
    void run() throws Exception;
  }

  private CallingThreadCost() {}

  public static void main(String[] args) throws Exception {
    OkHttpReadBenchmark read = new OkHttpReadBenchmark();
    read.install();
    AdviceBenchmark advice = new AdviceBenchmark();
    advice.pipeline = "full";
    advice.install();
    report("OkHttpReadBenchmark.streamedCall", read::streamedCall, 20_000);
    report("AdviceBenchmark.enterAndExit (full)", advice::enterAndExit, 200_000);
    report(
        "AdviceBenchmark.enterAndExitAroundOkHttp (full)",
        advice::enterAndExitAroundOkHttp,
        200_000);
  }

  private static void report(String name, Body body, int n) throws Exception {
    for (int i = 0; i < 5 * n; i++) {
      body.run();
    }
    double[] nanos = new double[7];
    double[] bytes = new double[7];
    for (int round = 0; round < 7; round++) {
      long cpu = THREADS.getCurrentThreadCpuTime();
      long allocated = THREADS.getCurrentThreadAllocatedBytes();
      for (int i = 0; i < n; i++) {
        body.run();
      }
      nanos[round] = (THREADS.getCurrentThreadCpuTime() - cpu) / (double) n;
      bytes[round] = (THREADS.getCurrentThreadAllocatedBytes() - allocated) / (double) n;
    }
    Arrays.sort(nanos);
    Arrays.sort(bytes);
    System.out.printf(
        Locale.ROOT,
        "%s: CPU %.0f ns (%.0f–%.0f), allocated %.0f B (%.0f–%.0f)%n",
        name,
        nanos[3],
        nanos[0],
        nanos[6],
        bytes[3],
        bytes[0],
        bytes[6]);
  }
}
