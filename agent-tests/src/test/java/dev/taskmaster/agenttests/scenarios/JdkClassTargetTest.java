package dev.taskmaster.agenttests.scenarios;

import static dev.taskmaster.agenttests.harness.AgentAssertions.assertHealthy;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.taskmaster.agenttests.fixtures.JdkHttpClientApp;
import dev.taskmaster.agenttests.harness.AgentJvm;
import dev.taskmaster.agenttests.harness.MetricsSnapshot;
import org.junit.jupiter.api.Test;

/** A JDK abstract class as the target: its implementation is in a named module of the JDK. */
class JdkClassTargetTest {

  @Test
  void jdkHttpClientSendIsCounted() {
    try (AgentJvm jvm =
        AgentJvm.builder(JdkHttpClientApp.class)
            .intercept(
                "http",
                "class=java.net.http.HttpClient",
                "method=send",
                "endpoint=http",
                "response=return.body()")
            .start()) {
      jvm.awaitReady();
      MetricsSnapshot metrics = jvm.scrape();
      String[] series = {"endpoint", "http", "model", "unknown"};
      assertAll(
          () ->
              assertEquals(
                  jvm.longResult("calls"),
                  metrics.value("taskmaster_requests_total", "status", "success")),
          () -> assertEquals(jvm.longResult("calls"), metrics.sum("taskmaster_requests_total")),
          () ->
              assertEquals(
                  jvm.longResult("chars"),
                  metrics.value("taskmaster_response_length_chars_sum", series)),
          () -> assertHealthy(jvm, metrics));
    }
  }
}
