package dev.taskmaster.benchmarks.jmh;

import com.sun.management.ThreadMXBean;
import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.Locale;

/**
 * {@link CallListenersBenchmark#successfulCall} measured by the running thread's CPU time and
 * allocated bytes ({@code ThreadMXBean}), which other processes on the cores barely move, unlike
 * JMH's wall-clock score. Warms up with 5 rounds of N calls, then prints the median, lowest and
 * highest of 7 measured rounds.
 *
 * <p>{@code java -cp benchmarks/target/benchmarks.jar
 * dev.taskmaster.benchmarks.jmh.BackgroundThreadCost [N, default 50000]}. To measure another
 * version of the agent with this driver, put that version's {@code benchmarks.jar} first on the
 * class path: only this class is then taken from the second.
 */
public final class BackgroundThreadCost {

  private BackgroundThreadCost() {}

  public static void main(String[] args) {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 50_000;
    ThreadMXBean threads = (ThreadMXBean) ManagementFactory.getThreadMXBean();
    CallListenersBenchmark listeners = new CallListenersBenchmark();
    listeners.install();
    for (int i = 0; i < 5 * n; i++) {
      listeners.successfulCall();
    }
    double[] nanos = new double[7];
    double[] bytes = new double[7];
    for (int round = 0; round < nanos.length; round++) {
      long cpu = threads.getCurrentThreadCpuTime();
      long allocated = threads.getCurrentThreadAllocatedBytes();
      for (int i = 0; i < n; i++) {
        listeners.successfulCall();
      }
      nanos[round] = (threads.getCurrentThreadCpuTime() - cpu) / (double) n;
      bytes[round] = (threads.getCurrentThreadAllocatedBytes() - allocated) / (double) n;
    }
    listeners.stop();
    Arrays.sort(nanos);
    Arrays.sort(bytes);
    System.out.printf(
        Locale.ROOT,
        "CallListenersBenchmark.successfulCall: CPU %.0f ns (%.0f–%.0f), allocated %.0f B"
            + " (%.0f–%.0f)%n",
        nanos[3],
        nanos[0],
        nanos[6],
        bytes[3],
        bytes[0],
        bytes[6]);
  }
}
