package dev.taskmaster.agenttests.scenarios;

import static dev.taskmaster.agenttests.harness.AgentAssertions.assertHealthy;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.taskmaster.agenttests.fixtures.CoreApp;
import dev.taskmaster.agenttests.fixtures.ModelsApp;
import dev.taskmaster.agenttests.fixtures.llm.LlmClient;
import dev.taskmaster.agenttests.fixtures.llm.Options;
import dev.taskmaster.agenttests.harness.AgentJvm;
import dev.taskmaster.agenttests.harness.MetricsSnapshot;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Settings and interception blocks given through each source (system properties, environment, agent
 * argument), with the documented precedence, and settings that shape the metrics.
 */
class ConfigurationSourcesTest {

  private static final int CALLS = 3;
  private static final String MODEL = "source-model";

  /** The core block, as key suffixes after {@code intercept.chat.}. */
  private static Map<String, String> chatBlock() {
    Map<String, String> block = new LinkedHashMap<>();
    block.put("class", LlmClient.class.getName());
    block.put("method", "complete");
    block.put("params", "java.lang.String," + Options.class.getName());
    block.put("endpoint", "chat");
    block.put("model", "arg1.model");
    block.put("tokens.input", "return.usage().promptTokens()");
    block.put("tokens.output", "return.usage().completionTokens()");
    return block;
  }

  @Test
  void systemPropertiesConfigureBlocksAndOutrankTheEnvironment() {
    AgentJvm.Builder app =
        AgentJvm.builder(CoreApp.class)
            .args(CALLS, MODEL)
            .systemProperty("taskmaster.metrics.prefix", "viaprop")
            .systemProperty("taskmaster.service.name", "prop-service")
            .env("TASKMASTER_METRICS_PREFIX", "viaenv");
    chatBlock()
        .forEach((key, value) -> app.systemProperty("taskmaster.intercept.chat." + key, value));
    try (AgentJvm jvm = app.start()) {
      assertCounted(jvm, "viaprop", "prop-service");
    }
  }

  @Test
  void environmentConfiguresBlocksAndOutranksTheFile() {
    AgentJvm.Builder app =
        AgentJvm.builder(CoreApp.class)
            .args(CALLS, MODEL)
            .env("TASKMASTER_METRICS_PREFIX", "viaenv")
            .env("TASKMASTER_SERVICE_NAME", "env-service")
            .config("metrics.prefix", "viafile");
    chatBlock()
        .forEach(
            (key, value) ->
                app.env("TASKMASTER_INTERCEPT_CHAT_" + key.toUpperCase().replace('.', '_'), value));
    try (AgentJvm jvm = app.start()) {
      assertCounted(jvm, "viaenv", "env-service");
    }
  }

  @Test
  void modelLabelsAreCappedAndLogLevelWarnKeepsAHealthyRunQuiet() {
    AgentJvm.Builder app =
        AgentJvm.builder(ModelsApp.class)
            .args("m1", "m2", "m3", "m4")
            .agentArg("metrics.max-models", "2")
            .agentArg("log.level", "warn");
    chatBlock().forEach((key, value) -> app.config("intercept.chat." + key, value));
    try (AgentJvm jvm = app.start()) {
      jvm.awaitReady();
      MetricsSnapshot metrics = jvm.scrape();
      String requests = "taskmaster_requests_total";
      List<String> stderr = jvm.stderrLines();
      assertAll(
          () -> assertEquals(2, metrics.value(requests, "model", "m1", "status", "success")),
          () -> assertEquals(2, metrics.value(requests, "model", "m2", "status", "success")),
          () -> assertEquals(4, metrics.value(requests, "model", "other", "status", "success")),
          () -> assertEquals(8, metrics.sum(requests)),
          () -> assertFalse(metrics.has(requests, "model", "m3"), "a model past the limit"),
          () ->
              assertEquals(
                  1,
                  stderr.stream().filter(line -> line.contains("metrics.max-models")).count(),
                  "one line when the limit is reached\n" + jvm.describe()),
          () ->
              assertEquals(
                  List.of(),
                  stderr.stream()
                      .filter(line -> line.startsWith("[taskmaster] INFO"))
                      .collect(Collectors.toList()),
                  "INFO lines with log.level=warn"));
    }
  }

  private static void assertCounted(AgentJvm jvm, String prefix, String service) {
    jvm.awaitReady();
    MetricsSnapshot metrics = jvm.scrape();
    String[] series = {"endpoint", "chat", "model", MODEL};
    assertAll(
        () ->
            assertEquals(
                CALLS,
                metrics.value(prefix + "_requests_total", "model", MODEL, "status", "success")),
        () ->
            assertEquals(
                jvm.longResult("inputTokens"),
                metrics.value(prefix + "_tokens_input_total", series)),
        () ->
            assertEquals(
                jvm.longResult("outputTokens"),
                metrics.value(prefix + "_tokens_output_total", series)),
        () -> assertEquals(1, metrics.value(prefix + "_agent_info", "service", service)),
        () ->
            assertEquals(
                List.of(),
                metrics.samples().stream()
                    .map(MetricsSnapshot.Sample::name)
                    .filter(name -> !name.startsWith(prefix + "_"))
                    .distinct()
                    .collect(Collectors.toList()),
                "metrics without the prefix " + prefix),
        () -> assertHealthy(jvm, metrics, prefix));
  }
}
