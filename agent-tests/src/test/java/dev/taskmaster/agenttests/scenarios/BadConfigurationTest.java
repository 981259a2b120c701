package dev.taskmaster.agenttests.scenarios;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.taskmaster.agenttests.fixtures.PlainApp;
import dev.taskmaster.agenttests.fixtures.llm.LlmClient;
import dev.taskmaster.agenttests.fixtures.llm.Options;
import dev.taskmaster.agenttests.fixtures.shapes.StaticLlm;
import dev.taskmaster.agenttests.harness.AgentJvm;
import dev.taskmaster.agenttests.harness.AppRun;
import dev.taskmaster.agenttests.harness.MetricsSnapshot;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A bad setting never changes the application: same standard output, same own standard error, same
 * exit code as without the agent. The agent writes one clear line that names the key and the value,
 * and everything else it was told keeps working.
 */
class BadConfigurationTest {

  private static final int DEFAULT_PORT = 9470;

  private static AppRun baseline;

  @BeforeAll
  static void runWithoutAgent() {
    try (AgentJvm jvm = AgentJvm.builder(PlainApp.class).withoutAgent().start()) {
      baseline = AppRun.of(jvm);
    }
    assertEquals(PlainApp.EXIT_STATUS, baseline.exitCode());
  }

  /** The good block that must keep counting next to every bad setting. */
  static AgentJvm.Builder plainAppWithGoodBlock() {
    return AgentJvm.builder(PlainApp.class)
        .intercept(
            "chat",
            "class=" + LlmClient.class.getName(),
            "method=complete",
            "params=java.lang.String," + Options.class.getName(),
            "endpoint=chat",
            "model=arg1.model");
  }

  static Stream<Arguments> badSettings() {
    String client = LlmClient.class.getName();
    return Stream.of(
        bad(
            "wrong-typed exporter.port",
            b -> b.agentArg("exporter.port", "abc"),
            "exporter.port",
            "abc"),
        bad("unknown key", b -> b.agentArg("exporter.prot", "9999"), "exporter.prot", "9999"),
        bad(
            "block without method",
            b -> b.intercept("broken", "class=" + client, "endpoint=broken"),
            "intercept.broken",
            "method"),
        bad(
            "class that never loads",
            b ->
                b.intercept(
                    "ghost",
                    "class=com.example.never.LoadedClient",
                    "method=complete",
                    "endpoint=ghost"),
            "intercept.ghost.class",
            "com.example.never.LoadedClient"),
        bad(
            "method that does not exist",
            b ->
                b.intercept(
                    "nomethod",
                    "class=" + client,
                    "method=completeEverything",
                    "endpoint=nomethod"),
            "intercept.nomethod.method",
            "completeEverything"),
        bad(
            "path that does not parse",
            b ->
                b.intercept(
                    "badpath",
                    "class=" + StaticLlm.class.getName(),
                    "method=complete",
                    "endpoint=badpath",
                    "model=arg0..length(("),
            "intercept.badpath.model",
            "arg0..length(("));
  }

  private static Arguments bad(
      String description, UnaryOperator<AgentJvm.Builder> setting, String... mentioned) {
    return Arguments.of(description, setting, mentioned);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badSettings")
  void oneClearLineAndTheApplicationIsUnchanged(
      String description, UnaryOperator<AgentJvm.Builder> setting, String[] mentioned) {
    try (AgentJvm jvm = setting.apply(plainAppWithGoodBlock()).start()) {
      jvm.awaitReady();
      // A bad exporter.port may leave the exporter off; then there is nothing to scrape.
      boolean exporterExpected =
          !mentions(mentioned, "exporter.port") || jvm.awaitPortFile(Duration.ofSeconds(5));
      MetricsSnapshot metrics = exporterExpected ? jvm.scrape() : null;
      AppRun run = AppRun.of(jvm);
      assertAll(
          () -> assertUnchanged(run, jvm),
          () -> assertOneLine(run, jvm, mentioned),
          () -> {
            if (metrics != null) {
              assertEquals(
                  jvm.longResult("chat.calls"),
                  metrics.value(
                      "taskmaster_requests_total",
                      "endpoint",
                      "chat",
                      "model",
                      "plain-model",
                      "status",
                      "success"),
                  "the good block stopped counting");
            }
          });
    }
  }

  @Test
  void exporterPortAlreadyTaken() throws IOException {
    try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        AgentJvm jvm =
            plainAppWithGoodBlock()
                .agentArg("exporter.port", Integer.toString(taken.getLocalPort()))
                .start()) {
      String port = Integer.toString(taken.getLocalPort());
      AppRun run = AppRun.of(jvm);
      assertAll(
          () -> assertUnchanged(run, jvm),
          () -> assertOneLine(run, jvm, "exporter.port", port),
          () -> assertFalse(jvm.portFileExists(), "a port file for a port the agent did not bind"));
    }
  }

  private static void assertUnchanged(AppRun run, AgentJvm jvm) {
    assertAll(
        () -> assertEquals(baseline.stdout(), run.stdout(), "stdout changed\n" + jvm.describe()),
        () ->
            assertEquals(
                baseline.applicationStderr(),
                run.applicationStderr(),
                "the application's own stderr changed\n" + jvm.describe()),
        () -> assertEquals(baseline.exitCode(), run.exitCode(), "exit code changed"));
  }

  /** Exactly one agent line names all the fragments; no other warning, no stack trace. */
  private static void assertOneLine(AppRun run, AgentJvm jvm, String... fragments) {
    List<String> naming =
        run.stderrLines().stream()
            .filter(line -> Arrays.stream(fragments).allMatch(line::contains))
            .collect(Collectors.toList());
    assertEquals(
        1,
        naming.size(),
        "expected one line naming " + Arrays.toString(fragments) + "\n" + jvm.describe());
    assertTrue(naming.get(0).startsWith("[taskmaster] "), naming.get(0));
    List<String> otherProblems = new ArrayList<>();
    for (String line : run.agentStderr()) {
      boolean problem =
          line.startsWith("[taskmaster] WARN") || line.startsWith("[taskmaster] ERROR");
      // A bad exporter.port falls back to the default port, which another process on a shared
      // machine may hold: that second line is about the machine, not the configuration.
      boolean defaultPortBusy = line.contains("exporter.port=" + DEFAULT_PORT + ": cannot listen");
      if (problem && !line.equals(naming.get(0)) && !defaultPortBusy) {
        otherProblems.add(line);
      }
    }
    assertEquals(List.of(), otherProblems, "more than one problem reported\n" + jvm.describe());
    assertFalse(
        run.stderrLines().stream().anyMatch(line -> line.startsWith("\tat ")),
        "a stack trace on stderr\n" + jvm.describe());
  }

  private static boolean mentions(String[] fragments, String text) {
    return Arrays.asList(fragments).contains(text);
  }
}
