package dev.taskmaster.agenttests.scenarios;

import static dev.taskmaster.agenttests.harness.AgentAssertions.assertHealthy;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.taskmaster.agenttests.fixtures.SdkClientsApp;
import dev.taskmaster.agenttests.harness.AgentJvm;
import dev.taskmaster.agenttests.harness.MetricsSnapshot;
import dev.taskmaster.sample.server.ModelServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/**
 * Model SDKs that bring their own HTTP client are recognised on the wire with no configuration; an
 * SDK method watched by an intercept block is not counted a second time on the wire.
 */
class SdkClientsTest {

  @Test
  void openAiJavaThroughOkHttp() {
    verify("openai", "gpt-sdk");
  }

  @Test
  void langChain4jThroughTheJdkHttpClient() {
    verify("langchain4j", "gpt-lc4j");
  }

  /**
   * With the sample app's configuration, openai-java's {@code create} is watched: its two calls are
   * counted by the intercept block and not again by OkHttp; the streamed call, which that block
   * does not watch, is counted on the wire.
   */
  @Test
  void aWatchedSdkMethodIsNotCountedAgainOnTheWire() throws IOException {
    Properties sample = new Properties();
    try (var in =
        Files.newBufferedReader(Path.of(System.getProperty("agenttests.sample.config")))) {
      sample.load(in);
    }
    try (ModelServer server = ModelServer.start(0)) {
      AgentJvm.Builder builder =
          AgentJvm.builder(SdkClientsApp.class)
              .args("openai", server.baseUrl())
              .agentArg("log.destination", "stderr");
      sample.stringPropertyNames().stream()
          // Its prompt path does not fit these messages, and would warn on every call.
          .filter(key -> key.startsWith("intercept.chat.") && !key.endsWith(".prompt"))
          .forEach(key -> builder.config(key, sample.getProperty(key)));
      try (AgentJvm jvm = builder.start()) {
        jvm.awaitReady();
        long output = jvm.longResult("outputTokens");
        MetricsSnapshot metrics =
            HttpClientsTest.scrapeWhen(jvm, m -> m.sum("taskmaster_tokens_output_total") == output);
        assertAll(
            () -> assertEquals(3, server.requestCount("/v1/chat/completions")),
            () -> assertEquals(3, metrics.sum("taskmaster_requests_total", "model", "gpt-sdk")),
            () ->
                assertEquals(
                    jvm.longResult("outputTokens"),
                    metrics.value("taskmaster_tokens_output_total", "model", "gpt-sdk"),
                    () -> metrics.text() + jvm.describe()),
            () ->
                assertHealthy(
                    jvm,
                    metrics,
                    "taskmaster",
                    line -> line.startsWith("SLF4J") || line.startsWith("{")));
      }
    }
  }

  private static void verify(String sdk, String model) {
    try (ModelServer server = ModelServer.start(0);
        AgentJvm jvm = AgentJvm.builder(SdkClientsApp.class).args(sdk, server.baseUrl()).start()) {
      jvm.awaitReady();
      long output = jvm.longResult("outputTokens");
      MetricsSnapshot metrics =
          HttpClientsTest.scrapeWhen(jvm, m -> m.sum("taskmaster_tokens_output_total") == output);
      assertAll(
          () -> assertEquals(3, server.requestCount("/v1/chat/completions")),
          () ->
              assertEquals(
                  3,
                  metrics.value("taskmaster_requests_total", "model", model, "status", "success")),
          () -> assertEquals(3, metrics.sum("taskmaster_requests_total", "model", model)),
          () ->
              assertEquals(
                  jvm.longResult("inputTokens"),
                  metrics.value("taskmaster_tokens_input_total", "model", model)),
          () ->
              assertEquals(
                  jvm.longResult("outputTokens"),
                  metrics.value("taskmaster_tokens_output_total", "model", model)),
          () ->
              assertEquals(
                  jvm.longResult("inputTokens"),
                  server.stats().promptTokens("/v1/chat/completions")),
          () ->
              assertEquals(
                  1, metrics.value("taskmaster_time_to_first_token_seconds_count", "model", model)),
          () -> assertHealthy(jvm, metrics, "taskmaster", line -> line.startsWith("SLF4J")));
    }
  }
}
