package dev.taskmaster.agenttests.scenarios;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.taskmaster.agenttests.fixtures.AttachableApp;
import dev.taskmaster.agenttests.fixtures.llm.LlmClient;
import dev.taskmaster.agenttests.harness.AgentJvm;
import dev.taskmaster.agenttests.harness.MetricsSnapshot;
import dev.taskmaster.agenttests.harness.TestEnvironment;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

/**
 * {@code java -jar taskmaster-agent.jar attach <pid> [settings]} attaches the agent to a JVM that
 * runs without it: the client class loaded before is instrumented by retransformation, and calls
 * from then on are counted. A second attach says the agent is already there and changes nothing; a
 * failed one says why.
 */
@Execution(ExecutionMode.CONCURRENT)
class AttachTest {

  @Test
  void attachesToARunningJvmAndASecondAttachIsHarmless() throws Exception {
    try (AgentJvm app = AgentJvm.builder(AttachableApp.class).withoutAgent().start()) {
      app.awaitLine("loaded");
      Path portFile = app.directory().resolve("attached.port");
      Attach first = attach(Long.toString(app.pid()), settings(portFile));
      assertEquals(0, first.exitCode(), first.toString());
      assertEquals(
          "attached TaskMaster Agent", first.stdout().strip().replaceAll(" \\S+ to JVM \\d+$", ""));
      assertTrue(first.stdout().strip().endsWith(" to JVM " + app.pid()), first.toString());
      int port = awaitPort(portFile, app);
      app.send("calls 5");
      app.awaitLine("done 5");
      MetricsSnapshot afterFirst = scrape(port);

      Path secondPortFile = app.directory().resolve("second.port");
      Attach second = attach(Long.toString(app.pid()), settings(secondPortFile));
      app.send("calls 2");
      app.awaitLine("done 2");
      MetricsSnapshot afterSecond = scrape(port);
      app.send("exit");
      int exitCode = app.awaitExit();
      assertAll(
          () -> assertEquals(0, second.exitCode(), second.toString()),
          // The 3 calls before the attach are not counted; those after are, once.
          () -> assertEquals(5, success(afterFirst), afterFirst::text),
          () -> assertEquals(7, success(afterSecond), afterSecond::text),
          () -> assertEquals(0, afterSecond.sum("taskmaster_agent_errors_total")),
          () -> assertFalse(Files.exists(secondPortFile), "the second attach bound a port"),
          () ->
              assertEquals(
                  "TaskMaster Agent "
                      + first.stdout().strip().split(" ")[3]
                      + " is already attached to JVM "
                      + app.pid()
                      + "; nothing changed (restart the JVM to change its settings)",
                  second.stdout().strip(),
                  second.toString()),
          () -> assertEquals("", second.stderr(), second.toString()),
          // The second attach never reached the application's JVM.
          () ->
              assertEquals(
                  List.of(),
                  app.stderrLines().stream().filter(line -> line.contains("already")).toList(),
                  app.describe()),
          () -> assertEquals(0, exitCode, app.describe()));
    }
  }

  @Test
  void aJvmStartedWithTheAgentIsLeftAlone() throws Exception {
    try (AgentJvm app =
        AgentJvm.builder(AttachableApp.class)
            .intercept(
                "chat",
                "class=" + LlmClient.class.getName(),
                "method=complete",
                "endpoint=chat",
                "model=arg1.model")
            .start()) {
      app.awaitLine("loaded");
      Path portFile = app.directory().resolve("attached.port");
      Attach attach = attach(Long.toString(app.pid()), settings(portFile));
      app.send("calls 2");
      app.awaitLine("done 2");
      MetricsSnapshot metrics = app.scrape();
      app.send("exit");
      int exitCode = app.awaitExit();
      assertAll(
          () -> assertEquals(0, attach.exitCode(), attach.toString()),
          () ->
              assertTrue(
                  attach.stdout().contains(" is already attached to JVM " + app.pid() + ";"),
                  attach.toString()),
          () -> assertFalse(Files.exists(portFile), "the attach started a second agent"),
          // Every call counted once, by the agent started with the JVM.
          () -> assertEquals(5, success(metrics), metrics::text),
          () -> assertEquals(0, exitCode, app.describe()));
    }
  }

  @Test
  void aFailedAttachSaysWhy() throws Exception {
    // A process id that no JVM has: one that has just ended.
    Process ended = new ProcessBuilder("true").start();
    ended.waitFor(10, TimeUnit.SECONDS);
    Attach noJvm = attach(Long.toString(ended.pid()), null);
    Attach notANumber = attach("my-service", null);
    try (AgentJvm closed =
        AgentJvm.builder(AttachableApp.class)
            .withoutAgent()
            .jvmOption("-XX:+DisableAttachMechanism")
            .start()) {
      closed.awaitLine("loaded");
      Attach refused = attach(Long.toString(closed.pid()), null);
      closed.send("calls 1");
      closed.awaitLine("done 1");
      assertAll(
          () -> assertEquals(1, noJvm.exitCode(), noJvm.toString()),
          () ->
              assertTrue(
                  noJvm.stderr().startsWith("could not attach to JVM " + ended.pid() + ": "),
                  noJvm.toString()),
          () ->
              assertTrue(
                  noJvm.stderr().contains("The process must exist, run as the same user"),
                  noJvm.toString()),
          () -> assertEquals(2, notANumber.exitCode(), notANumber.toString()),
          () ->
              assertEquals(
                  "usage: java -jar taskmaster-agent.jar attach <pid> [key=value,...]",
                  notANumber.stderr().strip()),
          () -> assertEquals(1, refused.exitCode(), refused.toString()),
          () ->
              assertTrue(
                  refused.stderr().startsWith("could not attach to JVM " + closed.pid() + ": "),
                  refused.toString()),
          // The JVM that refused runs on untouched.
          () -> assertEquals("", closed.stderr(), closed.describe()));
    }
  }

  /** What the attach command did. */
  record Attach(int exitCode, String stdout, String stderr) {}

  private static String settings(Path portFile) {
    return String.join(
        ",",
        "exporter.host=127.0.0.1",
        "exporter.port=0",
        "exporter.port.file=" + portFile,
        "log.destination=none",
        "intercept.chat.class=" + LlmClient.class.getName(),
        "intercept.chat.method=complete",
        "intercept.chat.endpoint=chat",
        "intercept.chat.model=arg1.model");
  }

  private static Attach attach(String pid, String settings) throws Exception {
    List<String> command =
        new java.util.ArrayList<>(
            List.of(
                TestEnvironment.currentJavaHome().resolve("bin/java").toString(),
                "-jar",
                TestEnvironment.agentJar().toString(),
                "attach",
                pid));
    if (settings != null) {
      command.add(settings);
    }
    Path out = Files.createTempFile("attach-", ".out");
    Path err = Files.createTempFile("attach-", ".err");
    try {
      Process process =
          new ProcessBuilder(command)
              .redirectOutput(out.toFile())
              .redirectError(err.toFile())
              .start();
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new AssertionError("attach did not end: " + command);
      }
      return new Attach(
          process.exitValue(),
          Files.readString(out, StandardCharsets.UTF_8),
          Files.readString(err, StandardCharsets.UTF_8));
    } finally {
      Files.deleteIfExists(out);
      Files.deleteIfExists(err);
    }
  }

  private static int awaitPort(Path portFile, AgentJvm app) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (System.nanoTime() < deadline) {
      try {
        String content = Files.readString(portFile).strip();
        if (!content.isEmpty()) {
          return Integer.parseInt(content);
        }
      } catch (IOException notYet) {
        // Not written yet.
      }
      Thread.sleep(20);
    }
    throw app.failure("no port file " + portFile + " after the attach");
  }

  private static MetricsSnapshot scrape(int port) throws Exception {
    HttpResponse<String> response =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString());
    assertEquals(200, response.statusCode());
    return MetricsSnapshot.parse(response.body());
  }

  private static double success(MetricsSnapshot metrics) {
    return metrics.sum("taskmaster_requests_total", "model", "attach-model", "status", "success");
  }
}
