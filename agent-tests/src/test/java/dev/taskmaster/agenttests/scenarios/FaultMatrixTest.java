package dev.taskmaster.agenttests.scenarios;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.taskmaster.agenttests.fixtures.FailingCallsApp;
import dev.taskmaster.agenttests.fixtures.PlainApp;
import dev.taskmaster.agenttests.fixtures.faults.FaultsApp;
import dev.taskmaster.agenttests.fixtures.faults.QuirkyClient;
import dev.taskmaster.agenttests.fixtures.llm.LlmClient;
import dev.taskmaster.agenttests.harness.AgentJvm;
import dev.taskmaster.agenttests.harness.AppRun;
import dev.taskmaster.agenttests.harness.MetricsSnapshot;
import dev.taskmaster.agenttests.harness.TestEnvironment;
import dev.taskmaster.sample.server.ModelServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The fault matrix: for each case the same application runs without and with the agent, at the same
 * time; what the application saw (standard output, its own standard error, exit code) must be the
 * same, and the agent must have counted what it could and said what went wrong in one line. The
 * cases that other scenarios already cover (unknown keys, a class that never loads, a busy port,
 * 429 and 500 answers, ...) are listed in the README's fault matrix with the test that covers them.
 */
@Execution(ExecutionMode.CONCURRENT)
class FaultMatrixTest {

  private static final String CLIENT = LlmClient.class.getName();
  private static final String MODEL = "fault-model";

  /** Files that every case may point at: a regular file stands where a directory should be. */
  private static Path scratch;

  private static Path regularFile;
  private static Path hostsFile;

  /** Webhook endpoints that fail: one hangs, one answers 500, one port refuses. */
  private static ServerSocket hangingWebhook;

  private static com.sun.net.httpserver.HttpServer failingWebhook;
  private static int refusedPort;
  private static ModelServer modelServer;
  private static final List<Socket> heldConnections = new ArrayList<>();

  @BeforeAll
  static void prepare() throws IOException {
    scratch = Files.createTempDirectory("fault-matrix-");
    regularFile = Files.writeString(scratch.resolve("a-file"), "not a directory\n");
    // Names resolve from this file only: an unresolvable name fails at once, with no DNS query.
    hostsFile = Files.writeString(scratch.resolve("hosts"), "127.0.0.1 localhost\n");
    hangingWebhook = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread acceptor =
        new Thread(
            () -> {
              while (!hangingWebhook.isClosed()) {
                try {
                  Socket socket = hangingWebhook.accept();
                  synchronized (heldConnections) {
                    heldConnections.add(socket);
                  }
                } catch (IOException closed) {
                  return;
                }
              }
            },
            "hanging-webhook");
    acceptor.setDaemon(true);
    acceptor.start();
    failingWebhook =
        com.sun.net.httpserver.HttpServer.create(
            new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    failingWebhook.createContext(
        "/",
        exchange -> {
          try (InputStream in = exchange.getRequestBody()) {
            in.readAllBytes();
            exchange.sendResponseHeaders(500, -1);
          } finally {
            exchange.close();
          }
        });
    failingWebhook.start();
    try (ServerSocket free = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      refusedPort = free.getLocalPort();
    }
    modelServer = ModelServer.start(0);
  }

  @AfterAll
  static void cleanUp() throws IOException {
    hangingWebhook.close();
    synchronized (heldConnections) {
      for (Socket socket : heldConnections) {
        socket.close();
      }
    }
    failingWebhook.stop(0);
    modelServer.close();
    try (Stream<Path> files = Files.walk(scratch)) {
      for (Path file : files.sorted((a, b) -> b.compareTo(a)).collect(Collectors.toList())) {
        Files.deleteIfExists(file);
      }
    }
  }

  /** How a case's application ends. */
  enum Ending {
    /** It prints READY and waits; the test scrapes, then tells it to exit. */
    EXIT_COMMAND,
    /** It ends on its own. */
    ON_ITS_OWN,
    /** It prints READY while calls are in flight; the test sends SIGTERM. */
    SIGTERM
  }

  /** What one run with the agent gave. */
  record Outcome(AgentJvm jvm, AppRun run, MetricsSnapshot metrics, long exitMillis) {}

  /** One case of the matrix. */
  record Case(
      String name,
      Class<?> app,
      List<String> args,
      UnaryOperator<AgentJvm.Builder> both,
      UnaryOperator<AgentJvm.Builder> agent,
      Ending ending,
      Predicate<MetricsSnapshot> settled,
      Consumer<Outcome> check) {

    @Override
    public String toString() {
      return name;
    }
  }

  static Stream<Arguments> cases() {
    return allCases().stream().map(c -> Arguments.of(c, "17"));
  }

  /** The lifecycle cases again on JDK 25. */
  static Stream<Arguments> jdk25Cases() {
    return allCases().stream()
        .filter(c -> c.name().startsWith("lifecycle"))
        .map(c -> Arguments.of(c, "25"));
  }

  @ParameterizedTest(name = "{0} (JDK {1})")
  @MethodSource({"cases", "jdk25Cases"})
  void theApplicationSeesNoDifference(Case c, String jdk) throws Exception {
    Path home = TestEnvironment.currentJavaHome();
    if (jdk.equals("25")) {
      assumeTrue(TestEnvironment.jdk25Home().isPresent(), "no JDK 25; skipped");
      home = TestEnvironment.jdk25Home().get();
    }
    Path javaHome = home;
    CompletableFuture<Outcome> withAgent =
        CompletableFuture.supplyAsync(() -> run(c, javaHome, true));
    Outcome baseline = run(c, javaHome, false);
    Outcome outcome = withAgent.get();
    try {
      assertAll(
          () ->
              assertEquals(
                  baseline.run().stdout(),
                  outcome.run().stdout(),
                  "the application's stdout changed\n" + outcome.jvm().describe()),
          () ->
              assertEquals(
                  applicationStderr(baseline.run()),
                  applicationStderr(outcome.run()),
                  "the application's own stderr changed\n" + outcome.jvm().describe()),
          () ->
              assertEquals(
                  baseline.run().exitCode(),
                  outcome.run().exitCode(),
                  "exit code changed\n" + outcome.jvm().describe()),
          () -> assertNoStackTrace(outcome),
          () -> c.check().accept(outcome));
    } finally {
      baseline.jvm().close();
      outcome.jvm().close();
    }
  }

  private static Outcome run(Case c, Path javaHome, boolean agent) {
    AgentJvm.Builder builder =
        c.both().apply(AgentJvm.builder(c.app()).javaHome(javaHome).args(c.args().toArray()));
    if (agent) {
      builder = c.agent().apply(builder);
    } else {
      builder.withoutAgent();
    }
    AgentJvm jvm = builder.start();
    try {
      MetricsSnapshot metrics = null;
      long exitMillis;
      AppRun run;
      switch (c.ending()) {
        case EXIT_COMMAND:
          jvm.awaitReady();
          if (agent && jvm.awaitPortFile(Duration.ofSeconds(10))) {
            metrics = HttpClientsTest.scrapeWhen(jvm, c.settled());
          }
          run = AppRun.of(jvm);
          exitMillis = 0;
          break;
        case SIGTERM:
          go(jvm, agent);
          jvm.awaitReady();
          long signalled = System.nanoTime();
          jvm.terminate();
          exitMillis = (System.nanoTime() - signalled) / 1_000_000;
          run = new AppRun(jvm.stdout(), jvm.stderrLines(), jvm.awaitExit());
          break;
        default:
          go(jvm, agent);
          jvm.awaitLine(c.args().contains("worker-exit") ? "worker exits" : "main returns");
          long lastLine = System.nanoTime();
          jvm.awaitExit();
          exitMillis = (System.nanoTime() - lastLine) / 1_000_000;
          run = new AppRun(jvm.stdout(), jvm.stderrLines(), jvm.awaitExit());
      }
      return new Outcome(jvm, run, metrics, exitMillis);
    } catch (RuntimeException | Error e) {
      jvm.close();
      throw e;
    }
  }

  /**
   * Lets the application start its calls once the agent has started in full (its exporter is up and
   * a moment has passed for its shutdown hook): calls made before that are counted in the metrics
   * but not written to the log of a JVM that ends before the agent's start-up does (see the
   * README's known limits).
   */
  private static void go(AgentJvm jvm, boolean agent) {
    if (agent) {
      jvm.port();
      try {
        Thread.sleep(500);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    jvm.send("go");
  }

  static List<Case> allCases() {
    List<Case> cases = new ArrayList<>();
    // --- configuration -------------------------------------------------------------------------
    cases.add(
        plain(
            "config: missing file",
            b -> b.agentArg("config", scratch.resolve("no-such.properties").toString()),
            oneLine("config", "no-such.properties")));
    cases.add(
        plain(
            "config: unreadable file (a directory)",
            b -> b.agentArg("config", scratch.toString()),
            oneLine("config", scratch.toString())));
    cases.add(
        plain(
            "config: file under a regular file",
            b -> b.agentArg("config", regularFile.resolve("agent.properties").toString()),
            oneLine("config", "a-file")));
    cases.add(
        plain(
            "config: malformed line",
            b -> b.config("this line is not a setting", "").config("exporter.port", "0"),
            oneLine("this")));
    cases.add(
        plain(
            "config: malformed unicode escape",
            b -> b.config("service.name", "bad\\u12zz"),
            oneLine("config", "Malformed \\uxxxx encoding")));
    cases.add(
        plain(
            "config: wrong types",
            b -> b.agentArg("http.enabled", "perhaps").agentArg("alerting.interval", "soon"),
            lines(List.of("http.enabled", "perhaps"), List.of("alerting.interval", "soon"))));
    cases.add(
        plain(
            "config: negative and huge numbers",
            b ->
                b.agentArg("metrics.max-models", "-5")
                    .agentArg("log.queue.capacity", "99999999999999999999"),
            lines(
                List.of("metrics.max-models", "-5"),
                List.of("log.queue.capacity", "99999999999999999999"))));
    cases.add(
        new Case(
            "config: value path that cannot resolve",
            PlainApp.class,
            List.of(),
            b -> b,
            b -> goodBlock(b, "model=arg1.flavour"),
            Ending.EXIT_COMMAND,
            m -> true,
            o ->
                assertAll(
                    () -> oneLine("intercept.chat.model", "arg1.flavour").accept(o),
                    () -> assertEquals(4, calls(o, "unknown")))));
    cases.add(
        new Case(
            "config: getter that throws, values of unexpected types",
            FaultsApp.class,
            List.of("quirky"),
            b -> b,
            b ->
                b.intercept(
                    "quirky",
                    "class=" + QuirkyClient.class.getName(),
                    "method=complete",
                    "endpoint=quirky",
                    "model=return.model",
                    "response=return.text",
                    "tokens.input=return.inputTokens",
                    "tokens.output=return.outputTokens"),
            Ending.EXIT_COMMAND,
            m -> true,
            o ->
                assertAll(
                    () ->
                        lines(
                                List.of("intercept.quirky.model", "gave no value"),
                                List.of("intercept.quirky.tokens.input", "gave no value"))
                            .accept(o),
                    () -> assertEquals(5, calls(o, "unknown")),
                    () ->
                        assertEquals(
                            5,
                            o.metrics()
                                .sum(
                                    "taskmaster_requests_total",
                                    "endpoint",
                                    "quirky",
                                    "status",
                                    "success"),
                            o.metrics()::text),
                    () ->
                        assertEquals(
                            10,
                            o.metrics()
                                .sum("taskmaster_tokens_missing_total", "endpoint", "quirky"),
                            o.metrics()::text),
                    () -> assertEquals(0, o.metrics().sum("taskmaster_agent_errors_total")))));
    // --- exporter ------------------------------------------------------------------------------
    cases.add(
        plain(
            "exporter: unresolvable host",
            b ->
                b.agentArg("exporter.host", "no-such-host.invalid")
                    .jvmOption("-Djdk.net.hosts.file=" + hostsFile),
            oneLine("exporter.host", "no-such-host.invalid")));
    // --- outputs -------------------------------------------------------------------------------
    cases.add(
        new Case(
            "outputs: log file in a directory that cannot be created",
            PlainApp.class,
            List.of(),
            b -> b,
            b ->
                goodBlock(b, "model=arg1.model")
                    .agentArg("log.destination", "file")
                    .agentArg("log.file", regularFile.resolve("logs/calls.log").toString()),
            Ending.EXIT_COMMAND,
            m -> true,
            o ->
                assertAll(
                    () -> oneLine("log.file", "a-file").accept(o),
                    () -> assertEquals(4, calls(o, "plain-model")))));
    cases.add(
        new Case(
            "outputs: full disk (file size limit 64 KiB)",
            FaultsApp.class,
            List.of("calls", "600"),
            b ->
                b.launcher("bash", "-c", "ulimit -f 64; exec \"$@\"", "bash")
                    .jvmOption("-XX:-UsePerfData"),
            b ->
                goodBlock(b, "model=arg1.model")
                    .agentArg("log.destination", "file")
                    .agentArg("log.file", "calls.log")
                    .agentArg("log.file.max-bytes", "10485760"),
            Ending.EXIT_COMMAND,
            m -> m.sum("taskmaster_log_dropped_total") > 0,
            o ->
                assertAll(
                    () -> oneLine("calls.log").accept(o),
                    () -> assertEquals(600, calls(o, MODEL)),
                    () -> assertTrue(o.metrics().sum("taskmaster_log_dropped_total") > 0))));
    for (String[] webhook :
        new String[][] {
          {"hangs", "http://127.0.0.1:" + hangingWebhook.getLocalPort() + "/hook"},
          {"refuses", "http://127.0.0.1:" + refusedPort + "/hook"},
          {"answers 500", "http://127.0.0.1:" + failingWebhook.getAddress().getPort() + "/hook"}
        }) {
      cases.add(
          new Case(
              "outputs: webhook that " + webhook[0],
              FailingCallsApp.class,
              List.of(),
              b -> b,
              b ->
                  b.intercept(
                          "chat",
                          "class=" + CLIENT,
                          "method=complete",
                          "endpoint=chat",
                          "model=arg1.model")
                      .agentArg("alerting.interval", "1s")
                      .agentArg("alerting.error-rate.for", "0s")
                      .agentArg("alerting.webhook.url", webhook[1])
                      .agentArg("alerting.notify.timeout", "300ms")
                      .agentArg("alerting.notify.retries", "1")
                      .agentArg("alerting.notify.backoff", "0s"),
              Ending.EXIT_COMMAND,
              m -> m.sum("taskmaster_notifications_failed_total", "notifier", "webhook") > 0,
              o ->
                  assertAll(
                      () ->
                          lines(
                                  List.of("alert TaskMasterHighErrorRate firing"),
                                  List.of("alerting.webhook.url=", "could not be delivered"))
                              .accept(o),
                      () ->
                          assertEquals(
                              1,
                              o.metrics()
                                  .sum(
                                      "taskmaster_notifications_failed_total",
                                      "notifier",
                                      "webhook"),
                              o.metrics()::text),
                      () -> assertEquals(5, calls(o, "flaky-model", "success")),
                      () -> assertEquals(4, calls(o, "flaky-model", "error")))));
    }
    // --- lifecycle -----------------------------------------------------------------------------
    cases.add(
        new Case(
            "lifecycle: main returns, every feature on",
            FaultsApp.class,
            List.of("returns", "20"),
            b -> b,
            b -> everyFeature(goodBlock(b, "model=arg1.model")),
            Ending.ON_ITS_OWN,
            m -> true,
            o ->
                assertAll(
                    () -> assertTrue(o.exitMillis() < 3_000, "exit took " + o.exitMillis() + " ms"),
                    () -> assertEquals(20, requestLines(o)),
                    () -> noProblemLines(o))));
    cases.add(
        new Case(
            "lifecycle: System.exit from a worker thread",
            FaultsApp.class,
            List.of("worker-exit"),
            b -> b,
            b -> everyFeature(goodBlock(b, "model=arg1.model")),
            Ending.ON_ITS_OWN,
            m -> true,
            o ->
                assertAll(
                    () -> assertEquals(7, o.run().exitCode()),
                    () -> assertTrue(o.exitMillis() < 3_000, "exit took " + o.exitMillis() + " ms"),
                    () -> assertEquals(3, requestLines(o)),
                    () -> noProblemLines(o))));
    cases.add(
        new Case(
            "lifecycle: SIGTERM while calls are in flight",
            FaultsApp.class,
            List.of("in-flight"),
            b -> b,
            b -> everyFeature(goodBlock(b, "model=arg1.model")),
            Ending.SIGTERM,
            m -> true,
            o ->
                assertAll(
                    () -> assertEquals(143, o.run().exitCode()),
                    () -> assertTrue(o.exitMillis() < 3_000, "exit took " + o.exitMillis() + " ms"),
                    () -> assertTrue(requestLines(o) >= 8, "request lines: " + requestLines(o)),
                    () -> noProblemLines(o))));
    return cases;
  }

  /** PlainApp with the good block, the bad setting, and a check. */
  private static Case plain(
      String name, UnaryOperator<AgentJvm.Builder> setting, Consumer<Outcome> problems) {
    return new Case(
        name,
        PlainApp.class,
        List.of(),
        b -> b,
        b -> setting.apply(goodBlock(b, "model=arg1.model")),
        Ending.EXIT_COMMAND,
        m -> true,
        o ->
            assertAll(
                () -> problems.accept(o),
                () -> {
                  if (o.metrics() != null) {
                    assertEquals(4, calls(o, "plain-model"), "the good block stopped counting");
                  }
                }));
  }

  /**
   * The block that must keep counting next to every bad setting, given in the agent argument so
   * that it holds also when the configuration file cannot be read. No {@code params}: PlainApp only
   * calls the two-argument overload.
   */
  private static AgentJvm.Builder goodBlock(AgentJvm.Builder builder, String model) {
    int equals = model.indexOf('=');
    return builder
        .agentArg("intercept.chat.class", CLIENT)
        .agentArg("intercept.chat.method", "complete")
        .agentArg("intercept.chat.endpoint", "chat")
        .agentArg("intercept.chat." + model.substring(0, equals), model.substring(equals + 1))
        .agentArg("intercept.chat.tokens.output", "return.usage().completionTokens()");
  }

  /** Every feature that runs threads or writes at exit, on: the JVM must still end promptly. */
  private static AgentJvm.Builder everyFeature(AgentJvm.Builder builder) {
    return builder
        .agentArg("log.destination", "file")
        .agentArg("log.file", "calls.log")
        .agentArg("alerting.interval", "1s")
        .agentArg("alerting.webhook.url", "http://127.0.0.1:" + refusedPort + "/hook")
        .agentArg("health.url", modelServer.baseUrl() + "/v1/models")
        .agentArg("health.interval", "1s")
        .agentArg("drift.warmup", "50")
        .agentArg("drift.baseline.file", "drift-baseline.json");
  }

  private static double calls(Outcome o, String model) {
    return calls(o, model, "success");
  }

  private static double calls(Outcome o, String model, String status) {
    assertTrue(
        o.metrics() != null, "no metrics: the exporter did not start\n" + o.jvm().describe());
    return o.metrics().sum("taskmaster_requests_total", "model", model, "status", status);
  }

  /** The request lines of the call log that the agent wrote to calls.log before the JVM ended. */
  private static long requestLines(Outcome o) {
    Path log = o.jvm().directory().resolve("calls.log");
    try {
      return Files.readAllLines(log, StandardCharsets.UTF_8).stream()
          .filter(line -> line.contains("\"event_type\":\"request\""))
          .count();
    } catch (IOException e) {
      throw new UncheckedIOException("no call log " + log + "\n" + o.jvm().describe(), e);
    }
  }

  /** Standard error without the agent's lines and the JVM's note about JAVA_TOOL_OPTIONS. */
  static List<String> applicationStderr(AppRun run) {
    return run.applicationStderr().stream()
        .filter(line -> !line.startsWith("Picked up JAVA_TOOL_OPTIONS"))
        .collect(Collectors.toList());
  }

  private static void assertNoStackTrace(Outcome o) {
    assertFalse(
        o.run().stderrLines().stream().anyMatch(line -> line.startsWith("\tat ")),
        "a stack trace on stderr\n" + o.jvm().describe());
  }

  /** The agent's WARN and ERROR lines. */
  static List<String> problemLines(AppRun run) {
    return run.agentStderr().stream()
        .filter(l -> l.startsWith("[taskmaster] WARN") || l.startsWith("[taskmaster] ERROR"))
        .collect(Collectors.toList());
  }

  private static void noProblemLines(Outcome o) {
    assertEquals(List.of(), problemLines(o.run()), "problems reported\n" + o.jvm().describe());
  }

  /** Exactly one WARN or ERROR line, and it names every fragment. */
  private static Consumer<Outcome> oneLine(String... fragments) {
    return lines(Arrays.asList(fragments));
  }

  /** One WARN or ERROR line per list of fragments, each naming its fragments, and no other. */
  @SafeVarargs
  private static Consumer<Outcome> lines(List<String>... expected) {
    return o -> {
      List<String> problems = problemLines(o.run());
      assertEquals(expected.length, problems.size(), "problem lines\n" + o.jvm().describe());
      for (List<String> fragments : expected) {
        assertEquals(
            1,
            problems.stream().filter(line -> fragments.stream().allMatch(line::contains)).count(),
            "one line naming " + fragments + "\n" + o.jvm().describe());
      }
    };
  }
}
