package dev.taskmaster.agenttests.harness;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Finds and runs the Prometheus tools that CI installs from Debian ({@code prometheus}, {@code
 * promtool}, {@code prometheus-alertmanager}); tests that need one skip when it is absent.
 */
public final class ExternalTools {

  private ExternalTools() {}

  /**
   * The executable named by the system property or the environment variable, else the first of
   * these names found on the {@code PATH}; {@code null} when there is none.
   */
  public static Path find(String property, String environment, String... names) {
    String configured = System.getProperty(property, System.getenv(environment));
    if (configured != null && !configured.isEmpty()) {
      Path path = Path.of(configured);
      return Files.isExecutable(path) ? path : null;
    }
    String pathVariable = System.getenv("PATH");
    if (pathVariable == null) {
      return null;
    }
    for (String name : names) {
      for (String directory : pathVariable.split(File.pathSeparator)) {
        Path candidate = Path.of(directory, name);
        if (Files.isExecutable(candidate)) {
          return candidate;
        }
      }
    }
    return null;
  }

  /** {@code promtool}, or {@code null}. */
  public static Path promtool() {
    return find("promtool", "PROMTOOL", "promtool");
  }

  /** {@code prometheus}, or {@code null}. */
  public static Path prometheus() {
    return find("prometheus", "PROMETHEUS", "prometheus");
  }

  /** Debian's {@code prometheus-alertmanager} or upstream's {@code alertmanager}, or null. */
  public static Path alertmanager() {
    return find("alertmanager", "ALERTMANAGER", "prometheus-alertmanager", "alertmanager");
  }

  /** The exit code and the output (standard output and error merged) of a finished command. */
  public record Result(int exitCode, String output) {}

  /**
   * Runs a command to its end, at most 60 s, with {@code input} on its standard input.
   *
   * @param directory the working directory
   * @param input text for standard input; {@code null} closes it at once
   */
  public static Result run(Path directory, List<String> command, String input) {
    Path output = null;
    Process process = null;
    try {
      output = Files.createTempFile("tool", ".out");
      process =
          new ProcessBuilder(new ArrayList<>(command))
              .directory(directory.toFile())
              .redirectErrorStream(true)
              .redirectOutput(output.toFile())
              .start();
      try (OutputStream in = process.getOutputStream()) {
        if (input != null) {
          in.write(input.getBytes(StandardCharsets.UTF_8));
        }
      }
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        throw new AssertionError(command + " did not finish within 60 s");
      }
      return new Result(process.exitValue(), Files.readString(output, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot run " + command, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted while running " + command, e);
    } finally {
      if (process != null && process.isAlive()) {
        process.destroyForcibly();
      }
      if (output != null) {
        try {
          Files.deleteIfExists(output);
        } catch (IOException ignored) {
          // A leftover temporary file does no harm.
        }
      }
    }
  }

  /** A loopback port that was free a moment ago. */
  public static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
