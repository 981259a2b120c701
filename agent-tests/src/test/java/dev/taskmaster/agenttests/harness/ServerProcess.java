package dev.taskmaster.agenttests.harness;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A server such as Prometheus or Alertmanager, started as a process on a free loopback port, with a
 * temporary directory of its own (configuration, data, log). {@link #close()} stops it, forcibly if
 * need be, and deletes the directory: use it in try-with-resources. Should the JVM exit first, the
 * process is killed then.
 */
public final class ServerProcess implements AutoCloseable {

  /** Longest wait for the server to answer {@code /-/ready}. */
  public static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(60);

  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private final String name;
  private final Process process;
  private final Path directory;
  private final Path log;
  private final int port;
  private final Thread killer;

  private ServerProcess(String name, Process process, Path directory, Path log, int port) {
    this.name = name;
    this.process = process;
    this.directory = directory;
    this.log = log;
    this.port = port;
    // Should the test JVM be stopped before close(), the server must not stay behind.
    this.killer = new Thread(this::kill, name + "-killer");
    Runtime.getRuntime().addShutdownHook(killer);
  }

  /** Writes the server's files into its directory and gives its command line. */
  @FunctionalInterface
  public interface Launch {
    List<String> command(Path directory, int port) throws IOException;
  }

  /**
   * Starts the server and waits until {@code GET /-/ready} answers 200. A port taken by someone
   * else between its choice and the bind is retried with another port.
   */
  public static ServerProcess start(String name, Launch launch) {
    Path directory = null;
    try {
      directory = Files.createTempDirectory(name + "-");
      for (int attempt = 1; ; attempt++) {
        int port = ExternalTools.freePort();
        Path log = directory.resolve(name + "-" + attempt + ".log");
        Process process =
            new ProcessBuilder(launch.command(directory, port))
                .directory(directory.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        ServerProcess server = new ServerProcess(name, process, directory, log, port);
        if (server.awaitReady()) {
          return server;
        }
        server.stop();
        String output = server.log();
        if (attempt == 3 || !output.contains("address already in use")) {
          throw new AssertionError(name + " did not become ready:\n" + output);
        }
      }
    } catch (IOException e) {
      deleteRecursively(directory);
      throw new UncheckedIOException("cannot start " + name, e);
    } catch (RuntimeException | Error e) {
      deleteRecursively(directory);
      throw e;
    }
  }

  /** The port the server listens on, on 127.0.0.1. */
  public int port() {
    return port;
  }

  /** {@code http://127.0.0.1:port}. */
  public URI uri() {
    return URI.create("http://127.0.0.1:" + port);
  }

  /** What the server wrote so far. */
  public String log() {
    try {
      return Files.readString(log, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "(no log: " + e + ")";
    }
  }

  /** The last lines of the log, for failure messages. */
  public String logTail(int lines) {
    List<String> all = log().lines().collect(Collectors.toList());
    return "--- "
        + name
        + " log ---\n"
        + String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
  }

  /** Stops the server, forcibly after 10 s, and deletes its directory. */
  @Override
  public void close() {
    stop();
    deleteRecursively(directory);
  }

  private boolean awaitReady() {
    HttpRequest ready =
        HttpRequest.newBuilder(uri().resolve("/-/ready")).timeout(Duration.ofSeconds(2)).build();
    long deadline = System.nanoTime() + STARTUP_TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        return false;
      }
      try {
        if (HTTP.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
          return true;
        }
      } catch (IOException notYet) {
        // Still starting.
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
      sleep(100);
    }
    return false;
  }

  private void stop() {
    try {
      Runtime.getRuntime().removeShutdownHook(killer);
    } catch (IllegalStateException exiting) {
      // The hook runs, or has run, anyway.
    }
    if (!process.isAlive()) {
      return;
    }
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }

  /** At JVM exit: no time for a clean stop, but no process or directory stays behind. */
  private void kill() {
    process.destroyForcibly();
    try {
      process.waitFor(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    deleteRecursively(directory);
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  static void deleteRecursively(Path directory) {
    if (directory == null) {
      return;
    }
    try (Stream<Path> paths = Files.walk(directory)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).collect(Collectors.toList())) {
        Files.deleteIfExists(path);
      }
    } catch (IOException | UncheckedIOException ignored) {
      // A leftover temporary file does no harm.
    }
  }
}
