package dev.taskmaster.agenttests.scenarios;

import static dev.taskmaster.agenttests.harness.AgentAssertions.assertHealthy;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.taskmaster.agenttests.fixtures.load.LoadApp;
import dev.taskmaster.agenttests.fixtures.load.LoadClient;
import dev.taskmaster.agenttests.harness.AgentJvm;
import dev.taskmaster.agenttests.harness.MetricsSnapshot;
import dev.taskmaster.agenttests.harness.TestEnvironment;
import dev.taskmaster.sample.server.ModelServer;
import dev.taskmaster.sample.server.ServerStats.Outcome;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.parallel.Isolated;

/**
 * 64 threads send 10,000 calls each, at once: 636,800 in-process calls through a configured
 * interception (the real advice, recorder, pipeline and metrics, without a network in the way) and
 * 3,200 real HTTP calls through the JDK's HttpClient to the model server, half of them streamed.
 * The counters must equal exactly what was sent, per model and status, with the tokens; no thread
 * may deadlock. Calls that found the agent's queue full are counted all the same. On JDK 25 the
 * same runs on virtual threads, and JFR must record no pinned virtual thread with a frame of the
 * agent on its stack (after a warm-up call of each kind on one thread: a class that two virtual
 * threads load for the first time at the same moment pins one of them, the JDK's own classes
 * included).
 */
@Isolated
class LoadTest {

  private static final int THREADS = 64;
  private static final int CALLS = 10_000;
  private static final String CHAT = "/v1/chat/completions";

  @Test
  void platformThreadsOnJdk17() {
    run(TestEnvironment.currentJavaHome(), "platform");
  }

  @Test
  void virtualThreadsOnJdk25() {
    assumeTrue(TestEnvironment.jdk25Home().isPresent(), "no JDK 25; skipped");
    run(TestEnvironment.jdk25Home().get(), "virtual");
  }

  private static void run(Path javaHome, String threads) {
    try (ModelServer server = ModelServer.start(0)) {
      // Answer at once, and fail one request in ten with HTTP 500.
      server.behaviour().latencyMillis(0).chunkDelayMillis(0).errorRate(0.1);
      try (AgentJvm jvm =
          AgentJvm.builder(LoadApp.class)
              .javaHome(javaHome)
              .jvmOption("-Xmx512m")
              .args(threads, THREADS, CALLS, server.baseUrl())
              .intercept(
                  "load",
                  "class=" + LoadClient.class.getName(),
                  "method=complete",
                  "endpoint=load",
                  "model=arg0",
                  "response=return.text()",
                  "tokens.input=return.inputTokens()",
                  "tokens.output=return.outputTokens()")
              .start()) {
        jvm.awaitLine("READY", Duration.ofMinutes(3));
        long httpCalls = (long) THREADS * (CALLS / LoadApp.HTTP_EVERY) + LoadApp.WARM_UP_HTTP;
        long allCalls = (long) THREADS * CALLS + LoadApp.WARM_UP_IN_PROCESS + LoadApp.WARM_UP_HTTP;
        long serverOutput = server.stats().completionTokens(CHAT);
        MetricsSnapshot metrics =
            HttpClientsTest.scrapeWhen(
                jvm,
                m -> m.sum("taskmaster_tokens_output_total", "model", "gpt-load") == serverOutput);
        System.out.printf(
            "%s threads: %,d calls in %s ms; %,.0f skipped the listeners (queue full)%s%n",
            threads,
            allCalls,
            jvm.result("millis"),
            metrics.value("taskmaster_calls_unprocessed_total"),
            threads.equals("virtual")
                ? "; pinned virtual threads: " + jvm.result("pinned.total")
                : "");
        List<Executable> checks = new ArrayList<>();
        checks.add(() -> assertEquals("true", jvm.result("finished"), "a caller did not finish"));
        checks.add(() -> assertEquals(0, jvm.longResult("deadlocked")));
        checks.add(() -> assertEquals(0, jvm.longResult("unexpected")));
        long inProcess = 0;
        for (int m = 0; m < LoadApp.MODELS; m++) {
          String model = "load-" + m;
          long success = jvm.longResult(model + ".success");
          long errors = jvm.longResult(model + ".error");
          inProcess += success + errors;
          checks.add(() -> assertEquals(success, count(metrics, "load", model, "success"), model));
          checks.add(() -> assertEquals(errors, count(metrics, "load", model, "error"), model));
          checks.add(
              () ->
                  assertEquals(
                      jvm.longResult(model + ".inputTokens"),
                      metrics.value("taskmaster_tokens_input_total", "model", model)));
          checks.add(
              () ->
                  assertEquals(
                      jvm.longResult(model + ".outputTokens"),
                      metrics.value("taskmaster_tokens_output_total", "model", model)));
        }
        long sent = inProcess;
        checks.add(() -> assertEquals(allCalls - httpCalls, sent));
        // Every tenth in-process prompt fails: i % 10 == 3, never an HTTP call (i % 200 == 199);
        // and one of the warm-up calls.
        checks.add(
            () ->
                assertEquals(
                    (long) THREADS * CALLS / 10 + 1,
                    metrics.sum("taskmaster_errors_total", "endpoint", "load")));
        long ok = jvm.longResult("http.ok");
        long failed = jvm.longResult("http.failed");
        checks.add(() -> assertEquals(httpCalls, ok + failed));
        checks.add(() -> assertEquals(httpCalls / 2, jvm.longResult("http.streamed")));
        checks.add(() -> assertEquals(httpCalls, server.requestCount(CHAT)));
        checks.add(() -> assertEquals(failed, server.stats().outcomes(CHAT, Outcome.SERVER_ERROR)));
        checks.add(() -> assertEquals(ok, count(metrics, "chat", "gpt-load", "success")));
        checks.add(() -> assertEquals(failed, count(metrics, "chat", "gpt-load", "error")));
        checks.add(
            () ->
                assertEquals(
                    server.stats().promptTokens(CHAT),
                    metrics.value("taskmaster_tokens_input_total", "model", "gpt-load")));
        checks.add(
            () ->
                assertEquals(
                    serverOutput,
                    metrics.value("taskmaster_tokens_output_total", "model", "gpt-load")));
        checks.add(() -> assertEquals(allCalls, metrics.sum("taskmaster_requests_total")));
        if (threads.equals("virtual")) {
          checks.add(() -> assertEquals(0, jvm.longResult("pinned.agent"), jvm::stdout));
        }
        checks.add(() -> assertHealthy(jvm, metrics));
        assertAll(checks);
      }
    }
  }

  private static double count(
      MetricsSnapshot metrics, String endpoint, String model, String status) {
    return metrics.value(
        "taskmaster_requests_total", "endpoint", endpoint, "model", model, "status", status);
  }
}
