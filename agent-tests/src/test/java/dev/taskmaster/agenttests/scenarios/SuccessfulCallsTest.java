package dev.taskmaster.agenttests.scenarios;

import static dev.taskmaster.agenttests.harness.AgentAssertions.assertHealthy;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.taskmaster.agenttests.fixtures.ConcurrentCallsApp;
import dev.taskmaster.agenttests.fixtures.llm.LlmClient;
import dev.taskmaster.agenttests.harness.AgentJvm;
import dev.taskmaster.agenttests.harness.MetricsSnapshot;
import dev.taskmaster.agenttests.harness.TestEnvironment;
import org.junit.jupiter.api.Test;

class SuccessfulCallsTest {

  @Test
  void countsConcurrentCallsExactly() {
    try (AgentJvm jvm =
        AgentJvm.builder(ConcurrentCallsApp.class)
            .args(4, 500)
            .intercept(
                "chat",
                "class=" + LlmClient.class.getName(),
                "method=complete",
                "endpoint=chat",
                "model=arg1.model",
                "tokens.input=return.usage().promptTokens()",
                "tokens.output=return.usage().completionTokens()")
            .start()) {
      jvm.awaitReady();
      MetricsSnapshot metrics = jvm.scrape();
      String[] series = {"endpoint", "chat", "model", "parallel-model"};
      assertAll(
          () -> assertEquals(2000, jvm.longResult("calls")),
          () -> assertEquals(2000, metrics.value("taskmaster_requests_total", "status", "success")),
          () ->
              assertEquals(2000, metrics.value("taskmaster_request_latency_seconds_count", series)),
          () ->
              assertEquals(
                  jvm.longResult("inputTokens"),
                  metrics.value("taskmaster_tokens_input_total", series)),
          () ->
              assertEquals(
                  jvm.longResult("outputTokens"),
                  metrics.value("taskmaster_tokens_output_total", series)),
          () -> assertHealthy(jvm, metrics));
    }
  }

  @Test
  void countsEverySuccessfulCallWithItsTokensAndLatency() {
    String withAgent = CoreScenario.runAndVerify(TestEnvironment.currentJavaHome());

    try (AgentJvm baseline = CoreScenario.coreApp().withoutAgent().start()) {
      baseline.awaitReady();
      assertEquals(0, baseline.finish(), baseline::describe);
      assertEquals(
          baseline.stdout(), withAgent, "the application's output changed under the agent");
    }
  }
}
