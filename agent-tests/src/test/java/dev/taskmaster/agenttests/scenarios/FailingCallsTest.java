package dev.taskmaster.agenttests.scenarios;

import static dev.taskmaster.agenttests.harness.AgentAssertions.assertHealthy;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.taskmaster.agenttests.fixtures.FailingCallsApp;
import dev.taskmaster.agenttests.fixtures.llm.LlmClient;
import dev.taskmaster.agenttests.harness.AgentJvm;
import dev.taskmaster.agenttests.harness.MetricsSnapshot;
import org.junit.jupiter.api.Test;

/** Calls that throw are counted as errors and reach the caller as the very same instance. */
class FailingCallsTest {

  private static final String MODEL = "flaky-model";

  static AgentJvm.Builder failingApp() {
    return AgentJvm.builder(FailingCallsApp.class)
        .intercept(
            "chat",
            "class=" + LlmClient.class.getName(),
            "method=complete",
            "endpoint=chat",
            "model=arg1.model",
            "response=return.choices()[0].message().content()",
            "tokens.input=return.usage().promptTokens()",
            "tokens.output=return.usage().completionTokens()");
  }

  @Test
  void exceptionsAreCountedAndReachTheCallerUnchanged() {
    String baselineOutput;
    try (AgentJvm baseline = failingApp().withoutAgent().start()) {
      baseline.awaitReady();
      baselineOutput = baseline.stdout();
    }
    try (AgentJvm jvm = failingApp().start()) {
      jvm.awaitReady();
      MetricsSnapshot metrics = jvm.scrape();
      String[] series = {"endpoint", "chat", "model", MODEL};
      assertAll(
          () -> assertEquals("true", jvm.result("sameException"), "another exception instance"),
          () -> assertEquals("true", jvm.result("sameReturn"), "another returned instance"),
          () -> assertEquals(baselineOutput, jvm.stdout(), "the application saw other outcomes"),
          () ->
              assertEquals(
                  jvm.longResult("success"),
                  metrics.value("taskmaster_requests_total", "status", "success")),
          () ->
              assertEquals(
                  jvm.longResult("errors"),
                  metrics.value(
                      "taskmaster_requests_total",
                      "endpoint",
                      "chat",
                      "model",
                      MODEL,
                      "status",
                      "error")),
          () ->
              assertEquals(
                  jvm.longResult("success") + jvm.longResult("errors"),
                  metrics.value("taskmaster_request_latency_seconds_count", series)),
          () ->
              assertEquals(
                  jvm.longResult("inputTokens"),
                  metrics.value("taskmaster_tokens_input_total", series)),
          () ->
              assertEquals(
                  jvm.longResult("outputTokens"),
                  metrics.value("taskmaster_tokens_output_total", series)),
          // A failed call has no response to read tokens from: nothing is missing.
          () -> assertEquals(0, metrics.sum("taskmaster_tokens_missing_total")),
          () ->
              assertEquals(
                  jvm.longResult("success"),
                  metrics.value("taskmaster_response_length_chars_count", series)),
          // The last call succeeded.
          () -> assertEquals(1, metrics.value("taskmaster_model_loaded", "model", MODEL)),
          () -> assertHealthy(jvm, metrics));
    }
  }
}
