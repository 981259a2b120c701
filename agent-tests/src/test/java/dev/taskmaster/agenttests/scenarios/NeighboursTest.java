package dev.taskmaster.agenttests.scenarios;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.taskmaster.agenttests.fixtures.PlainApp;
import dev.taskmaster.agenttests.fixtures.llm.LlmClient;
import dev.taskmaster.agenttests.harness.AgentJvm;
import dev.taskmaster.agenttests.harness.AppRun;
import dev.taskmaster.agenttests.harness.MetricsSnapshot;
import dev.taskmaster.agenttests.harness.TestEnvironment;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

/**
 * The agent among neighbours: another agent in the same JVM (the Prometheus JMX exporter), and a
 * second JVM started with the same {@code JAVA_TOOL_OPTIONS}, whose agent finds the port taken.
 */
@Execution(ExecutionMode.CONCURRENT)
class NeighboursTest {

  private static final String SETTINGS =
      "exporter.host=127.0.0.1,log.destination=none,intercept.chat.class="
          + LlmClient.class.getName()
          + ",intercept.chat.method=complete,intercept.chat.endpoint=chat"
          + ",intercept.chat.model=arg1.model";

  @Test
  void theJmxExporterAgentAndOursSideBySide(@TempDir Path temp) throws Exception {
    Path jmxAgent = Path.of(System.getProperty("agenttests.jmx.agent"));
    assertTrue(Files.isRegularFile(jmxAgent), "no JMX exporter agent at " + jmxAgent);
    Path jmxConfig = Files.writeString(temp.resolve("jmx.yaml"), "rules:\n  - pattern: \".*\"\n");
    // The JMX exporter ends the JVM when its port is taken; a free port can be taken by another
    // JVM of the test run before it binds it, so a lost race is tried again with another port.
    for (int attempt = 1; attempt <= 3; attempt++) {
      if (sideBySide(jmxAgent, jmxConfig, freePort())) {
        return;
      }
    }
    throw new AssertionError("the JMX exporter found its port taken three times");
  }

  /** Returns false when the JMX exporter could not bind its port; asserts everything else. */
  private static boolean sideBySide(Path jmxAgent, Path jmxConfig, int jmxPort) throws Exception {
    String jmxOption = "-javaagent:" + jmxAgent + "=127.0.0.1:" + jmxPort + ":" + jmxConfig;
    // The baseline runs the JMX exporter alone, after the run with both: they share its port.
    AgentJvm.Builder alone = AgentJvm.builder(PlainApp.class).withoutAgent().jvmOption(jmxOption);
    try (AgentJvm jvm = BadConfigurationTest.plainAppWithGoodBlock().jvmOption(jmxOption).start()) {
      try {
        jvm.awaitReady();
      } catch (AssertionError ended) {
        if (jvm.stderr().contains("Failed to start Prometheus JMX Exporter")) {
          return false;
        }
        throw ended;
      }
      MetricsSnapshot ours = jvm.scrape();
      String jmx = get("http://127.0.0.1:" + jmxPort + "/metrics");
      AppRun run = AppRun.of(jvm);
      AppRun baseline;
      try (AgentJvm jvm2 = alone.start()) {
        baseline = AppRun.of(jvm2);
      }
      assertAll(
          () -> assertEquals(baseline.stdout(), run.stdout(), jvm.describe()),
          () -> assertEquals(baseline.applicationStderr(), run.applicationStderr(), jvm.describe()),
          () -> assertEquals(PlainApp.EXIT_STATUS, run.exitCode()),
          () -> assertEquals(baseline.exitCode(), run.exitCode()),
          () -> assertEquals(List.of(), FaultMatrixTest.problemLines(run), jvm.describe()),
          () ->
              assertEquals(
                  4,
                  ours.value(
                      "taskmaster_requests_total", "model", "plain-model", "status", "success"),
                  ours::text),
          () -> assertEquals(0, ours.sum("taskmaster_agent_errors_total")),
          // The JMX exporter serves the JVM's MBeans, and none of our metrics.
          () -> assertTrue(jmx.contains("jvm_memory"), jmx),
          () -> assertFalse(jmx.contains("taskmaster_"), jmx),
          () -> assertFalse(ours.text().contains("jvm_memory"), ours::text));
    }
    return true;
  }

  @Test
  void aSecondJvmWithTheSameJavaToolOptionsRunsOnWithoutAnExporter() throws Exception {
    int port = freePort();
    String options =
        "-javaagent:" + TestEnvironment.agentJar() + "=" + SETTINGS + ",exporter.port=" + port;
    CompletableFuture<AppRun> baseline =
        CompletableFuture.supplyAsync(
            () -> {
              try (AgentJvm jvm = AgentJvm.builder(PlainApp.class).withoutAgent().start()) {
                return AppRun.of(jvm);
              }
            });
    try (AgentJvm first =
        AgentJvm.builder(PlainApp.class).withoutAgent().env("JAVA_TOOL_OPTIONS", options).start()) {
      first.awaitReady();
      first.awaitStderr("serving metrics on http://127.0.0.1:" + port);
      try (AgentJvm second =
          AgentJvm.builder(PlainApp.class)
              .withoutAgent()
              .env("JAVA_TOOL_OPTIONS", options)
              .start()) {
        AppRun run = AppRun.of(second);
        MetricsSnapshot metrics =
            MetricsSnapshot.parse(get("http://127.0.0.1:" + port + "/metrics"));
        List<String> problems = FaultMatrixTest.problemLines(run);
        assertAll(
            () -> assertEquals(baseline.get().stdout(), run.stdout(), second.describe()),
            () ->
                assertEquals(
                    baseline.get().applicationStderr(),
                    FaultMatrixTest.applicationStderr(run),
                    second.describe()),
            () -> assertEquals(baseline.get().exitCode(), run.exitCode()),
            () -> assertEquals(1, problems.size(), second.describe()),
            () -> assertTrue(problems.get(0).contains("exporter.port=" + port), second.describe()),
            // The port is the first JVM's: its metrics count its own 4 calls only.
            () ->
                assertEquals(
                    4,
                    metrics.value(
                        "taskmaster_requests_total", "model", "plain-model", "status", "success"),
                    metrics::text));
      }
      first.finish();
    }
  }

  private static int freePort() throws Exception {
    try (ServerSocket socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  private static String get(String url) throws Exception {
    HttpResponse<String> response =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(url)).build(),
                HttpResponse.BodyHandlers.ofString());
    assertEquals(200, response.statusCode(), url);
    return response.body();
  }
}
