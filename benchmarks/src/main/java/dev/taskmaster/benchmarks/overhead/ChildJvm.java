package dev.taskmaster.benchmarks.overhead;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs one child JVM to its end under {@code /usr/bin/time}, which reports the child's user and
 * system CPU time and its peak resident memory (the kernel's maximum RSS, which is the VmHWM of the
 * process); the wall time is taken here, from start to exit.
 */
final class ChildJvm {

  private static final Path TIME = Path.of("/usr/bin/time");

  /** What one run gave. */
  static final class Result {
    int exitCode;
    double wallMillis;
    double cpuMillis = Double.NaN;
    double peakRssMiB = Double.NaN;
    String stdout;
    String stderr;

    /** The value of the first {@code key=value} token of stdout or stderr, or NaN. */
    double value(String key) {
      for (String text : new String[] {stdout, stderr}) {
        for (String token : text.split("\\s+")) {
          if (token.startsWith(key + "=")) {
            return Double.parseDouble(token.substring(key.length() + 1));
          }
        }
      }
      return Double.NaN;
    }
  }

  private ChildJvm() {}

  static boolean timeAvailable() {
    return Files.isExecutable(TIME);
  }

  /**
   * @param command the JVM and its arguments
   * @param name a name for the files that keep the child's output
   */
  static Result run(Layout layout, List<String> command, String name, long timeoutSeconds)
      throws IOException, InterruptedException {
    return run(layout, command, name, timeoutSeconds, true);
  }

  /**
   * @param keepStderr false to discard the child's standard error (the agent's call log of a
   *     million calls)
   */
  static Result run(
      Layout layout, List<String> command, String name, long timeoutSeconds, boolean keepStderr)
      throws IOException, InterruptedException {
    Path out = layout.work.resolve(name + ".out");
    Path err = layout.work.resolve(name + ".err");
    Path times = layout.work.resolve(name + ".time");
    Files.deleteIfExists(times);
    List<String> full = new ArrayList<>();
    if (timeAvailable()) {
      full.add(TIME.toString());
      full.add("-f");
      full.add("%U %S %M");
      full.add("-o");
      full.add(times.toString());
    }
    full.addAll(command);
    ProcessBuilder builder =
        new ProcessBuilder(full)
            .directory(layout.work.toFile())
            .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
            .redirectOutput(out.toFile())
            .redirectError(
                keepStderr
                    ? ProcessBuilder.Redirect.to(err.toFile())
                    : ProcessBuilder.Redirect.DISCARD);
    long start = System.nanoTime();
    Process process = builder.start();
    if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor();
      throw new IOException(name + ": no exit within " + timeoutSeconds + " s; see " + err);
    }
    Result result = new Result();
    result.wallMillis = (System.nanoTime() - start) / 1e6;
    result.exitCode = process.exitValue();
    result.stdout = Files.readString(out, StandardCharsets.UTF_8);
    result.stderr = keepStderr ? Files.readString(err, StandardCharsets.UTF_8) : "";
    if (Files.isRegularFile(times)) {
      String[] lines = Files.readString(times, StandardCharsets.UTF_8).trim().split("\n");
      // A child killed by a signal gets a "Command terminated" line first.
      String[] fields = lines[lines.length - 1].trim().split("\\s+");
      if (fields.length == 3) {
        result.cpuMillis = (Double.parseDouble(fields[0]) + Double.parseDouble(fields[1])) * 1000;
        result.peakRssMiB = Double.parseDouble(fields[2]) / 1024;
      }
    }
    if (result.exitCode != 0) {
      throw new IOException(
          name + ": exit code " + result.exitCode + "; see " + out + " and " + err);
    }
    return result;
  }
}
