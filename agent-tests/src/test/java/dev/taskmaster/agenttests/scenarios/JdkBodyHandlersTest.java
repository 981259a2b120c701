package dev.taskmaster.agenttests.scenarios;

import static dev.taskmaster.agenttests.harness.AgentAssertions.assertHealthy;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.taskmaster.agenttests.fixtures.JdkBodyHandlersApp;
import dev.taskmaster.agenttests.harness.AgentJvm;
import dev.taskmaster.agenttests.harness.MetricsSnapshot;
import dev.taskmaster.sample.server.ModelServer;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The JDK's HttpClient with every standard body handler, through {@code send} and {@code
 * sendAsync}: each call counted once with the server's tokens, and a cancelled {@code sendAsync}
 * future behaves as without the agent (its dependent stage sees the same) and counts as cancelled.
 */
class JdkBodyHandlersTest {

  private static final List<String> ANSWERED =
      List.of(
          "h-string",
          "h-bytes",
          "h-lines",
          "h-stream",
          "h-publisher",
          "h-discarding",
          "h-async",
          "h-async-lines");

  @Test
  void everyBodyHandlerAndACancelledFuture() {
    Map<String, String> baseline;
    try (ModelServer server = ModelServer.start(0);
        AgentJvm jvm =
            AgentJvm.builder(JdkBodyHandlersApp.class)
                .args(server.baseUrl())
                .withoutAgent()
                .start()) {
      jvm.awaitReady();
      baseline = jvm.results();
    }
    try (ModelServer server = ModelServer.start(0);
        AgentJvm jvm = AgentJvm.builder(JdkBodyHandlersApp.class).args(server.baseUrl()).start()) {
      jvm.awaitReady();
      long serverPrompt = server.stats().promptTokens("/v1/chat/completions");
      long serverCompletion = server.stats().completionTokens("/v1/chat/completions");
      MetricsSnapshot metrics =
          HttpClientsTest.scrapeWhen(
              jvm,
              m ->
                  m.sum("taskmaster_tokens_output_total") == serverCompletion
                      && m.sum("taskmaster_requests_total", "status", "cancelled") == 1);
      assertAll(
          () -> assertEquals(baseline, jvm.results(), "the application saw something else"),
          // What the JDK reports here varies by version; the agent must change none of it.
          () -> assertTrue(jvm.result("cancel.dependent").contains("CancellationException")),
          () -> {
            for (String model : ANSWERED) {
              assertEquals(
                  1,
                  metrics.value("taskmaster_requests_total", "model", model, "status", "success"),
                  model);
            }
          },
          () ->
              assertEquals(
                  1,
                  metrics.value(
                      "taskmaster_requests_total", "model", "h-cancel", "status", "cancelled")),
          () -> assertEquals(ANSWERED.size() + 1, metrics.sum("taskmaster_requests_total")),
          () -> assertEquals(serverPrompt, metrics.sum("taskmaster_tokens_input_total")),
          () -> assertEquals(serverCompletion, metrics.sum("taskmaster_tokens_output_total")),
          () ->
              assertEquals(
                  4,
                  metrics.sum("taskmaster_time_to_first_token_seconds_count"),
                  "the four streamed calls"),
          () -> assertHealthy(jvm, metrics));
    }
  }
}
