package dev.taskmaster.agenttests.scenarios;

import static dev.taskmaster.agenttests.harness.AgentAssertions.assertHealthy;
import static dev.taskmaster.agenttests.harness.AgentAssertions.nowSeconds;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.taskmaster.agenttests.fixtures.CoreApp;
import dev.taskmaster.agenttests.fixtures.llm.LlmClient;
import dev.taskmaster.agenttests.fixtures.llm.Options;
import dev.taskmaster.agenttests.harness.AgentJvm;
import dev.taskmaster.agenttests.harness.MetricsSnapshot;
import java.nio.file.Path;

/**
 * The walking skeleton: N successful calls of a configured instance method, counted exactly. Run on
 * the test's JDK and on JDK 25.
 */
final class CoreScenario {

  static final int CALLS = 7;
  static final String MODEL = "gpt-test-mini";
  static final String SERVICE = "core-fixture";

  private CoreScenario() {}

  /** The agent configuration of the scenario, on a builder for {@link CoreApp}. */
  static AgentJvm.Builder coreApp() {
    return AgentJvm.builder(CoreApp.class)
        .args(CALLS, MODEL)
        .config("service.name", SERVICE)
        .intercept(
            "chat",
            "class=" + LlmClient.class.getName(),
            "method=complete",
            "params=java.lang.String," + Options.class.getName(),
            "endpoint=chat",
            "model=arg1.model",
            "prompt=arg0",
            "response=return.choices()[0].message().content()",
            "tokens.input=return.usage().promptTokens()",
            "tokens.output=return.usage().completionTokens()");
  }

  /** Runs the scenario on a JDK and checks every metric; returns the application's output. */
  static String runAndVerify(Path javaHome) {
    double before = nowSeconds();
    try (AgentJvm jvm = coreApp().javaHome(javaHome).start()) {
      jvm.awaitReady();
      MetricsSnapshot metrics = jvm.scrape();
      double after = nowSeconds();
      String[] series = {"endpoint", "chat", "model", MODEL};
      assertAll(
          () -> assertEquals("true", jvm.result("sameInstances"), "a caller got another instance"),
          () ->
              assertEquals(
                  CALLS,
                  metrics.value(
                      "taskmaster_requests_total",
                      "endpoint",
                      "chat",
                      "model",
                      MODEL,
                      "status",
                      "success")),
          () ->
              assertEquals(
                  CALLS,
                  metrics.sum("taskmaster_requests_total"),
                  "calls counted under other labels too"),
          () -> assertEquals(0, metrics.sum("taskmaster_requests_total", "status", "error")),
          () ->
              assertEquals(
                  CALLS, metrics.value("taskmaster_request_latency_seconds_count", series)),
          // One call sleeps 300 ms: it is the only one above the 0.25 s bucket.
          () ->
              assertEquals(
                  CALLS - 1,
                  metrics.value(
                      "taskmaster_request_latency_seconds_bucket",
                      "endpoint",
                      "chat",
                      "le",
                      "0.25")),
          () ->
              assertEquals(
                  CALLS,
                  metrics.value(
                      "taskmaster_request_latency_seconds_bucket",
                      "endpoint",
                      "chat",
                      "le",
                      "0.5")),
          () ->
              assertTrue(
                  metrics.value("taskmaster_request_latency_seconds_sum", series)
                      >= LlmClient.SLOW_MILLIS / 1000.0,
                  "latency sum below the slow call's sleep"),
          () ->
              assertEquals(
                  jvm.longResult("inputTokens"),
                  metrics.value("taskmaster_tokens_input_total", series)),
          () ->
              assertEquals(
                  jvm.longResult("outputTokens"),
                  metrics.value("taskmaster_tokens_output_total", series)),
          () -> assertEquals(0, metrics.sum("taskmaster_tokens_missing_total")),
          () ->
              assertEquals(CALLS, metrics.value("taskmaster_response_length_chars_count", series)),
          () ->
              assertEquals(
                  jvm.longResult("responseChars"),
                  metrics.value("taskmaster_response_length_chars_sum", series)),
          () -> assertEquals(1, metrics.value("taskmaster_model_loaded", "model", MODEL)),
          () -> {
            double lastSuccess =
                metrics.value("taskmaster_last_successful_request_timestamp_seconds", series);
            assertTrue(
                before <= lastSuccess && lastSuccess <= after,
                "last success " + lastSuccess + " outside [" + before + ", " + after + "]");
          },
          () -> assertEquals(1, metrics.value("taskmaster_agent_info", "service", SERVICE)),
          () -> assertHealthy(jvm, metrics));
      assertEquals(0, jvm.finish(), jvm::describe);
      return jvm.stdout();
    }
  }
}
