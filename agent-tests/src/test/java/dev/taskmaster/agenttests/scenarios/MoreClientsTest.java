package dev.taskmaster.agenttests.scenarios;

import static dev.taskmaster.agenttests.harness.AgentAssertions.assertHealthy;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.taskmaster.agenttests.fixtures.MoreClientsApp;
import dev.taskmaster.agenttests.harness.AgentJvm;
import dev.taskmaster.agenttests.harness.MetricsSnapshot;
import dev.taskmaster.sample.server.ModelServer;
import org.junit.jupiter.api.Test;

/**
 * openai-java's asynchronous client, a stream that carries no usage (its output tokens count as
 * missing, never as zero), OkHttp clients built from one shared builder, and Ollama's generate
 * endpoint plain and streamed: each call counted once, tokens equal to what the server sent.
 */
class MoreClientsTest {

  @Test
  void asyncSdkUsagelessStreamSharedBuilderAndOllamaGenerate() {
    try (ModelServer server = ModelServer.start(0);
        AgentJvm jvm = AgentJvm.builder(MoreClientsApp.class).args(server.baseUrl()).start()) {
      jvm.awaitReady();
      long generateOutput = server.stats().completionTokens("/api/generate");
      MetricsSnapshot metrics =
          HttpClientsTest.scrapeWhen(
              jvm,
              m ->
                  m.sum("taskmaster_tokens_output_total", "model", "llama-gen") == generateOutput
                      && m.sum(
                              "taskmaster_tokens_missing_total",
                              "model",
                              "gpt-nousage",
                              "direction",
                              "output")
                          == 1);
      assertAll(
          () -> assertEquals(2, success(metrics, "gpt-async-sdk")),
          () ->
              assertEquals(
                  jvm.longResult("async.outputTokens"),
                  metrics.value("taskmaster_tokens_output_total", "model", "gpt-async-sdk")),
          () -> assertEquals(1, success(metrics, "gpt-nousage")),
          () ->
              assertEquals(
                  1,
                  metrics.value(
                      "taskmaster_tokens_missing_total",
                      "model",
                      "gpt-nousage",
                      "direction",
                      "output")),
          () ->
              assertEquals(
                  0, metrics.sum("taskmaster_tokens_output_total", "model", "gpt-nousage")),
          () -> assertEquals(4, success(metrics, "gpt-builder")),
          () -> assertEquals(2, metrics.sum("taskmaster_requests_total", "endpoint", "generate")),
          () -> assertEquals(2, success(metrics, "llama-gen")),
          () ->
              assertEquals(
                  server.stats().promptTokens("/api/generate"),
                  metrics.value("taskmaster_tokens_input_total", "model", "llama-gen")),
          () ->
              assertEquals(
                  1,
                  metrics.value(
                      "taskmaster_time_to_first_token_seconds_count", "model", "llama-gen")),
          () -> assertEquals(9, metrics.sum("taskmaster_requests_total")),
          () -> assertHealthy(jvm, metrics, "taskmaster", line -> line.startsWith("SLF4J")));
    }
  }

  private static double success(MetricsSnapshot metrics, String model) {
    return metrics.value("taskmaster_requests_total", "model", model, "status", "success");
  }
}
