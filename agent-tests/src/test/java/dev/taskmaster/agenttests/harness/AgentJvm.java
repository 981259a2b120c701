package dev.taskmaster.agenttests.harness;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A child JVM running a fixture application, by default with {@code -javaagent:} on the built,
 * shaded agent jar. Its standard output and error are captured in full; it is always killed in
 * {@link #close()}, so use it in try-with-resources.
 *
 * <p>The agent is told to bind a free port on the loopback interface and to write the port to a
 * file in the JVM's own temporary directory ({@code exporter.port=0,exporter.port.file=...}).
 * Fixture applications print {@code key=value} result lines, then {@code READY}, and then wait for
 * {@code exit} on their standard input, so that the test can scrape before they end.
 */
public final class AgentJvm implements AutoCloseable {

  /** Longest wait for anything: a line, the port file, the end of the process. */
  public static final Duration TIMEOUT = Duration.ofSeconds(30);

  /**
   * How long {@link #scrapeWhen} waits for the agent's background thread: generous, as a fresh
   * 2-core CI machine running other JVMs can be slow; a passing test never waits that long.
   */
  public static final Duration SETTLE_TIMEOUT = Duration.ofSeconds(90);

  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private final List<String> command;
  private final Process process;
  private final Path directory;
  private final Path portFile;
  private final StreamCollector stdout;
  private final StreamCollector stderr;
  private Integer exitCode;

  private AgentJvm(List<String> command, Process process, Path directory, Path portFile) {
    this.command = command;
    this.process = process;
    this.directory = directory;
    this.portFile = portFile;
    this.stdout = new StreamCollector(process.getInputStream(), "stdout");
    this.stderr = new StreamCollector(process.getErrorStream(), "stderr");
  }

  /** A builder for a JVM whose main class is this fixture class. */
  public static Builder builder(Class<?> mainClass) {
    return new Builder(mainClass.getName());
  }

  /** A builder for a JVM whose main class is named. */
  public static Builder builder(String mainClass) {
    return new Builder(mainClass);
  }

  /** Waits until the application printed this exact line on its standard output. */
  public AgentJvm awaitLine(String line) {
    return awaitLine(line, TIMEOUT);
  }

  /** Waits up to {@code timeout} until the application printed this exact line on stdout. */
  public AgentJvm awaitLine(String line, Duration timeout) {
    awaitOutput(
        stdout, text -> lines(text).contains(line), "the line \"" + line + "\" on stdout", timeout);
    return this;
  }

  /** Waits until the fixture printed {@code READY}: its work is done, its results printed. */
  public AgentJvm awaitReady() {
    return awaitLine("READY");
  }

  /** Waits until the standard error contains this text. */
  public AgentJvm awaitStderr(String text) {
    awaitOutput(stderr, captured -> captured.contains(text), "\"" + text + "\" on stderr");
    return this;
  }

  /** The exporter's port, from the port file the agent writes; waits for it. */
  public int port() {
    if (portFile == null) {
      throw new IllegalStateException("this JVM was started without a port file");
    }
    long deadline = System.nanoTime() + TIMEOUT.toNanos();
    while (true) {
      String content = readPortFile();
      if (content != null && !content.isBlank()) {
        return Integer.parseInt(content.strip());
      }
      if (!process.isAlive()) {
        throw failure("the JVM ended without writing the port file " + portFile);
      }
      if (System.nanoTime() > deadline) {
        throw failure("no port file " + portFile + " after " + TIMEOUT);
      }
      sleep(20);
    }
  }

  /** Waits up to {@code timeout} for the port file; returns whether it appeared. */
  public boolean awaitPortFile(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!portFileExists()) {
      if (System.nanoTime() > deadline || !process.isAlive()) {
        return portFileExists();
      }
      sleep(20);
    }
    return true;
  }

  /** Whether the agent wrote the port file so far. */
  public boolean portFileExists() {
    return portFile != null && Files.exists(portFile);
  }

  /**
   * Scrapes {@code /metrics} until {@code settled} holds or {@link #SETTLE_TIMEOUT} passes, then
   * returns the last scrape (the caller's exact assertions say what is missing). Waits for a
   * condition, never for a fixed time: the agent records parsed answers on a background thread.
   */
  public MetricsSnapshot scrapeWhen(Predicate<MetricsSnapshot> settled) {
    long deadline = System.nanoTime() + SETTLE_TIMEOUT.toNanos();
    MetricsSnapshot metrics = scrape();
    while (!settled.test(metrics) && System.nanoTime() < deadline && process.isAlive()) {
      sleep(50);
      metrics = scrape();
    }
    return metrics;
  }

  /** Scrapes {@code /metrics} and parses it. */
  public MetricsSnapshot scrape() {
    return MetricsSnapshot.parse(scrapeText("/metrics"));
  }

  /** The body of a GET on the exporter; fails unless the answer is 200. */
  public String scrapeText(String path) {
    URI uri = URI.create("http://127.0.0.1:" + port() + path);
    HttpRequest request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).GET().build();
    try {
      HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != 200) {
        throw failure("GET " + uri + " answered " + response.statusCode() + ": " + response.body());
      }
      return response.body();
    } catch (IOException e) {
      throw failure("GET " + uri + " failed: " + e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw failure("interrupted during GET " + uri);
    }
  }

  /** Writes one line to the fixture's standard input: a command for fixtures that read them. */
  public AgentJvm send(String line) {
    try {
      OutputStream in = process.getOutputStream();
      in.write((line + "\n").getBytes(StandardCharsets.UTF_8));
      in.flush();
    } catch (IOException e) {
      throw failure("cannot send \"" + line + "\" to the JVM: " + e);
    }
    return this;
  }

  /** Tells the fixture to end ({@code exit} on its standard input) and waits for its exit code. */
  public int finish() {
    if (process.isAlive()) {
      try {
        OutputStream in = process.getOutputStream();
        in.write("exit\n".getBytes(StandardCharsets.UTF_8));
        in.flush();
        in.close();
      } catch (IOException ended) {
        // It ended on its own; its exit code tells.
      }
    }
    return awaitExit();
  }

  /**
   * Asks the JVM to end as a service manager does (SIGTERM: shutdown hooks run) and waits for its
   * exit code.
   */
  public int terminate() {
    process.destroy();
    return awaitExit();
  }

  /** The process id of the JVM. */
  public long pid() {
    return process.pid();
  }

  /** The JVM's own temporary directory, its working directory; deleted in {@link #close()}. */
  public Path directory() {
    return directory;
  }

  /** Waits for the JVM to end on its own, and for its output to be read in full. */
  public int awaitExit() {
    if (exitCode != null) {
      return exitCode;
    }
    try {
      if (!process.waitFor(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
        throw failure("the JVM did not end within " + TIMEOUT);
      }
      stdout.awaitEnd();
      stderr.awaitEnd();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw failure("interrupted while waiting for the JVM to end");
    }
    exitCode = process.exitValue();
    return exitCode;
  }

  /** Standard output so far. */
  public String stdout() {
    return stdout.text();
  }

  /** Standard error so far. */
  public String stderr() {
    return stderr.text();
  }

  /** Lines of standard error so far. */
  public List<String> stderrLines() {
    return lines(stderr());
  }

  /** The {@code key=value} lines the fixture printed so far. */
  public Map<String, String> results() {
    Map<String, String> results = new LinkedHashMap<>();
    for (String line : lines(stdout())) {
      int equals = line.indexOf('=');
      if (equals > 0) {
        results.put(line.substring(0, equals), line.substring(equals + 1));
      }
    }
    return results;
  }

  /** One result the fixture printed; fails when it did not print it. */
  public String result(String key) {
    String value = results().get(key);
    if (value == null) {
      throw failure("the fixture printed no result " + key);
    }
    return value;
  }

  /** One numeric result the fixture printed. */
  public long longResult(String key) {
    return Long.parseLong(result(key));
  }

  /** The command line, standard output and standard error, for failure messages. */
  public String describe() {
    return "--- command ---\n"
        + String.join(" ", command)
        + "\n--- stdout ---\n"
        + stdout()
        + "--- stderr ---\n"
        + stderr();
  }

  /** An assertion failure that carries the JVM's command line and output. */
  public AssertionError failure(String message) {
    return new AssertionError(message + "\n" + describe());
  }

  /** Kills the JVM if it still runs and deletes its temporary directory. */
  @Override
  public void close() {
    if (process.isAlive()) {
      process.destroyForcibly();
      try {
        process.waitFor(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    closeQuietly(process.getOutputStream());
    deleteRecursively(directory);
  }

  static List<String> lines(String text) {
    if (text.isEmpty()) {
      return List.of();
    }
    return Arrays.asList(text.replace("\r\n", "\n").split("\n"));
  }

  private void awaitOutput(StreamCollector stream, Predicate<String> condition, String what) {
    awaitOutput(stream, condition, what, TIMEOUT);
  }

  private void awaitOutput(
      StreamCollector stream, Predicate<String> condition, String what, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.test(stream.text())) {
      if (!process.isAlive()) {
        stream.awaitEnd();
        if (condition.test(stream.text())) {
          return;
        }
        throw failure("the JVM ended (exit code " + process.exitValue() + ") without " + what);
      }
      if (System.nanoTime() > deadline) {
        throw failure("no " + what + " after " + timeout);
      }
      sleep(10);
    }
  }

  private String readPortFile() {
    try {
      return Files.exists(portFile) ? Files.readString(portFile) : null;
    } catch (IOException beingWritten) {
      return null;
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }

  private static void closeQuietly(OutputStream stream) {
    try {
      stream.close();
    } catch (IOException ignored) {
      // The process is gone.
    }
  }

  private static void deleteRecursively(Path directory) {
    try (Stream<Path> paths = Files.walk(directory)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).collect(Collectors.toList())) {
        Files.deleteIfExists(path);
      }
    } catch (IOException | UncheckedIOException ignored) {
      // A leftover temporary file does no harm.
    }
  }

  /** Reads one output stream of the child in full, on a thread of its own. */
  private static final class StreamCollector {
    private final StringBuilder text = new StringBuilder();
    private final Thread reader;

    StreamCollector(InputStream stream, String name) {
      reader = new Thread(() -> collect(stream), "agent-jvm-" + name);
      reader.setDaemon(true);
      reader.start();
    }

    private void collect(InputStream stream) {
      char[] buffer = new char[4096];
      try (Reader in = new InputStreamReader(stream, StandardCharsets.UTF_8)) {
        int read;
        while ((read = in.read(buffer)) != -1) {
          synchronized (text) {
            text.append(buffer, 0, read);
          }
        }
      } catch (IOException closed) {
        // The process was killed; what was read is kept.
      }
    }

    String text() {
      synchronized (text) {
        return text.toString();
      }
    }

    void awaitEnd() {
      try {
        reader.join(TIMEOUT.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** Describes a child JVM: JDK, agent and its settings, properties, environment, application. */
  public static final class Builder {
    private final String mainClass;
    private final List<String> args = new ArrayList<>();
    private final Map<String, String> agentArgs = new LinkedHashMap<>();
    private final Map<String, String> configFile = new LinkedHashMap<>();
    private final Map<String, String> systemProperties = new LinkedHashMap<>();
    private final Map<String, String> environment = new LinkedHashMap<>();
    private final List<String> jvmOptions = new ArrayList<>();
    private final List<Path> extraClasspath = new ArrayList<>();
    private Predicate<Path> classpathFilter = entry -> true;
    private final List<String> launcher = new ArrayList<>();
    private Path javaHome = TestEnvironment.currentJavaHome();
    private boolean withAgent = true;
    private boolean withPortFile = true;

    private Builder(String mainClass) {
      this.mainClass = mainClass;
      agentArgs.put("exporter.host", "127.0.0.1");
      agentArgs.put("exporter.port", "0");
      // The structured call log would share stderr with the application; the tests that are about
      // it turn it back on.
      agentArgs.put("log.destination", "none");
    }

    /** The JDK to run; the test's own by default. */
    public Builder javaHome(Path home) {
      this.javaHome = home;
      return this;
    }

    /** Runs the application without the agent: the baseline to compare with. */
    public Builder withoutAgent() {
      this.withAgent = false;
      return this;
    }

    /**
     * Sets an agent argument ({@code -javaagent:jar=key=value,...}), replacing a default. Defaults:
     * {@code exporter.host=127.0.0.1}, {@code exporter.port=0}, {@code exporter.port.file} and
     * {@code log.destination=none}.
     */
    public Builder agentArg(String key, String value) {
      agentArgs.put(key, value);
      return this;
    }

    /** Leaves a default agent argument out. */
    public Builder withoutAgentArg(String key) {
      agentArgs.remove(key);
      return this;
    }

    /** Does not ask the agent for a port file. */
    public Builder withoutPortFile() {
      this.withPortFile = false;
      return this;
    }

    /**
     * Adds a line to a properties file that is passed to the agent as {@code config=<file>}. Values
     * that contain commas (parameter lists) belong here rather than in the agent arguments.
     */
    public Builder config(String key, String value) {
      configFile.put(key, value);
      return this;
    }

    /**
     * Adds an {@code intercept.<name>} block to the configuration file.
     *
     * @param settings {@code key=value} within the block, such as {@code "method=complete"}
     */
    public Builder intercept(String name, String... settings) {
      for (String setting : settings) {
        int equals = setting.indexOf('=');
        if (equals <= 0) {
          throw new IllegalArgumentException("not key=value: " + setting);
        }
        configFile.put(
            "intercept." + name + "." + setting.substring(0, equals),
            setting.substring(equals + 1));
      }
      return this;
    }

    /** Adds {@code -Dkey=value}. */
    public Builder systemProperty(String key, String value) {
      systemProperties.put(key, value);
      return this;
    }

    /** Sets an environment variable of the child. */
    public Builder env(String key, String value) {
      environment.put(key, value);
      return this;
    }

    /**
     * Starts the JVM through this command, which receives the JVM's command line as its last
     * arguments, e.g. {@code bash -c 'ulimit -f 64; exec "$@"' bash}.
     */
    public Builder launcher(String... command) {
      launcher.addAll(Arrays.asList(command));
      return this;
    }

    /** Adds a JVM option such as {@code -Xmx64m}. */
    public Builder jvmOption(String option) {
      jvmOptions.add(option);
      return this;
    }

    /** Adds a class path entry after the test class path. */
    public Builder classpath(Path entry) {
      extraClasspath.add(entry);
      return this;
    }

    /** Leaves test class path entries out of the child's class path. */
    public Builder withoutClasspathEntries(Predicate<Path> leaveOut) {
      classpathFilter = classpathFilter.and(leaveOut.negate());
      return this;
    }

    /** Adds program arguments. */
    public Builder args(Object... values) {
      for (Object value : values) {
        args.add(String.valueOf(value));
      }
      return this;
    }

    /** Starts the JVM; it runs until it ends on its own, {@link #finish()} or {@link #close()}. */
    public AgentJvm start() {
      Path directory = TestEnvironment.newTemporaryDirectory();
      Path portFile = withAgent && withPortFile ? directory.resolve("exporter.port") : null;
      List<String> command = new ArrayList<>();
      command.add(javaHome.resolve("bin/java").toString());
      command.addAll(jvmOptions);
      if (withAgent) {
        command.add(javaAgentOption(directory, portFile));
      }
      systemProperties.forEach((key, value) -> command.add("-D" + key + "=" + value));
      List<String> classpath = new ArrayList<>();
      for (Path entry : TestEnvironment.classpathWithoutAgent()) {
        if (classpathFilter.test(entry)) {
          classpath.add(entry.toString());
        }
      }
      for (Path entry : extraClasspath) {
        classpath.add(entry.toString());
      }
      command.add("-cp");
      command.add(String.join(File.pathSeparator, classpath));
      command.add(mainClass);
      command.addAll(args);

      List<String> launched = new ArrayList<>(launcher);
      launched.addAll(command);
      ProcessBuilder builder = new ProcessBuilder(launched).directory(directory.toFile());
      Map<String, String> env = builder.environment();
      // Nothing from the test's own environment may configure the child's JVM or agent.
      env.keySet().removeIf(name -> name.startsWith("TASKMASTER_"));
      env.remove("JAVA_TOOL_OPTIONS");
      env.remove("JDK_JAVA_OPTIONS");
      env.remove("_JAVA_OPTIONS");
      env.putAll(environment);
      try {
        return new AgentJvm(launched, builder.start(), directory, portFile);
      } catch (IOException e) {
        deleteRecursively(directory);
        throw new UncheckedIOException("cannot start " + command, e);
      }
    }

    private String javaAgentOption(Path directory, Path portFile) {
      Map<String, String> arguments = new LinkedHashMap<>(agentArgs);
      if (portFile != null) {
        arguments.putIfAbsent("exporter.port.file", portFile.toString());
      }
      if (!configFile.isEmpty()) {
        Path file = directory.resolve("agent.properties");
        StringBuilder content = new StringBuilder();
        configFile.forEach(
            (key, value) -> content.append(key).append('=').append(value).append('\n'));
        try {
          Files.writeString(file, content);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
        arguments.putIfAbsent("config", file.toString());
      }
      String option = "-javaagent:" + TestEnvironment.agentJar();
      if (!arguments.isEmpty()) {
        option +=
            "="
                + arguments.entrySet().stream()
                    .map(entry -> entry.getKey() + "=" + entry.getValue())
                    .collect(Collectors.joining(","));
      }
      return option;
    }
  }
}
