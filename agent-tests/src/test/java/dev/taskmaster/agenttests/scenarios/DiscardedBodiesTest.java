package dev.taskmaster.agenttests.scenarios;

import static dev.taskmaster.agenttests.harness.AgentAssertions.assertHealthy;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.taskmaster.agenttests.fixtures.DiscardedBodiesApp;
import dev.taskmaster.agenttests.harness.AgentJvm;
import dev.taskmaster.agenttests.harness.MetricsSnapshot;
import dev.taskmaster.sample.server.ModelServer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * What a successful model call counts as when the application does not read its body: Apache's
 * {@code EntityUtils.consume} has HttpCore read the body to its end, so the call completed (a
 * success with the server's tokens); a body read in part and closed, or an OkHttp response closed
 * unread, was abandoned (cancelled, no tokens).
 */
class DiscardedBodiesTest {

  private static final List<String> COMPLETED =
      List.of("apache-consume", "apache-consume-stream", "apache-to-string", "okhttp-string");
  private static final List<String> ABANDONED = List.of("apache-partial", "okhttp-close-unread");

  @Test
  void aConsumedBodyCompletesTheCallAndAnAbandonedOneCancelsIt() {
    try (ModelServer server = ModelServer.start(0);
        AgentJvm jvm = AgentJvm.builder(DiscardedBodiesApp.class).args(server.baseUrl()).start()) {
      jvm.awaitReady();
      MetricsSnapshot metrics =
          jvm.scrapeWhen(
              m ->
                  m.sum("taskmaster_requests_total") == COMPLETED.size() + ABANDONED.size()
                      && COMPLETED.stream()
                          .allMatch(
                              model ->
                                  m.sum("taskmaster_tokens_output_total", "model", model)
                                      == jvm.longResult(model + ".completion")));
      List<Executable> checks = new ArrayList<>();
      for (String model : COMPLETED) {
        checks.add(() -> assertEquals("200", jvm.result(model), model));
        checks.add(() -> assertTrue(jvm.longResult(model + ".completion") > 0, model));
        checks.add(() -> assertEquals(1, status(metrics, model, "success"), model));
        checks.add(() -> assertEquals(0, status(metrics, model, "cancelled"), model));
        checks.add(
            () ->
                assertEquals(
                    jvm.longResult(model + ".prompt"),
                    metrics.sum("taskmaster_tokens_input_total", "model", model),
                    model));
        checks.add(
            () ->
                assertEquals(
                    jvm.longResult(model + ".completion"),
                    metrics.sum("taskmaster_tokens_output_total", "model", model),
                    model));
      }
      for (String model : ABANDONED) {
        checks.add(() -> assertEquals("200", jvm.result(model), model));
        checks.add(() -> assertEquals(1, status(metrics, model, "cancelled"), model));
        checks.add(() -> assertEquals(0, status(metrics, model, "success"), model));
        checks.add(
            () -> assertEquals(0, metrics.sum("taskmaster_tokens_output_total", "model", model)));
      }
      checks.add(() -> assertEquals(0, metrics.sum("taskmaster_tokens_missing_total")));
      checks.add(() -> assertEquals(0, metrics.sum("taskmaster_errors_total")));
      checks.add(() -> assertHealthy(jvm, metrics, "taskmaster", line -> line.startsWith("SLF4J")));
      assertAll(checks);
    }
  }

  private static double status(MetricsSnapshot metrics, String model, String status) {
    return metrics.sum("taskmaster_requests_total", "model", model, "status", status);
  }
}
