package dev.taskmaster.agenttests.scenarios;

import static dev.taskmaster.agenttests.harness.AgentAssertions.assertHealthy;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.taskmaster.agenttests.fixtures.PathsApp;
import dev.taskmaster.agenttests.fixtures.paths.PathsClient;
import dev.taskmaster.agenttests.harness.AgentJvm;
import dev.taskmaster.agenttests.harness.MetricsSnapshot;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.function.Executable;

/**
 * Model, response and token counts read through value paths over records, getters, public fields,
 * {@code Optional}s, lists and arrays; and what happens when a path finds nothing.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ValuePathsTest {

  /** The agent warns about each path of the block without usage, which finds nothing by design. */
  private static final String MISSING_BLOCK_WARNING = "[taskmaster] WARN intercept.missing.";

  private AgentJvm jvm;
  private MetricsSnapshot metrics;

  @BeforeAll
  void runOnce() {
    String client = PathsClient.class.getName();
    jvm =
        AgentJvm.builder(PathsApp.class)
            .intercept(
                "records",
                "class=" + client,
                "method=viaRecords",
                "endpoint=records",
                "model=arg0.model",
                "response=return.text",
                "tokens.input=return.usage.input",
                "tokens.output=return.usage().output()")
            .intercept(
                "getters",
                "class=" + client,
                "method=viaGetters",
                "endpoint=getters",
                "model=arg0.model",
                "response=return.text",
                "tokens.input=return.usage.promptTokens",
                "tokens.output=return.getUsage().getCompletionTokens()")
            .intercept(
                "fields",
                "class=" + client,
                "method=viaFields",
                "endpoint=fields",
                "model=arg0.model",
                "response=return.text",
                "tokens.input=return.usage.in",
                "tokens.output=return.usage.out")
            .intercept(
                "optionals",
                "class=" + client,
                "method=viaOptionals",
                "endpoint=optionals",
                "model=arg0.model",
                "response=return.texts()[1]",
                "tokens.input=return.usage().input",
                "tokens.output=return.outputTokens()")
            .intercept(
                "missing",
                "class=" + client,
                "method=withoutUsage",
                "endpoint=missing",
                "model=arg0.model()",
                "response=return.texts()[0]",
                "tokens.input=return.usage().input",
                "tokens.output=return.outputTokens()")
            .intercept(
                "arrays",
                "class=" + client,
                "method=viaArrays",
                "endpoint=arrays",
                "model=arg1",
                "response=arg0[1]",
                "tokens.input=return[0]",
                "tokens.output=return[1]")
            .start();
    jvm.awaitReady();
    metrics = jvm.scrape();
  }

  @AfterAll
  void stop() {
    if (jvm != null) {
      jvm.close();
    }
  }

  @Test
  void records() {
    assertSeries("records", "rec-model");
  }

  @Test
  void getters() {
    assertSeries("getters", "bean-model");
  }

  @Test
  void publicFields() {
    assertSeries("fields", "field-model");
  }

  @Test
  void optionalsAndLists() {
    assertSeries("optionals", "opt-model");
  }

  @Test
  void arraysAndStaticMethod() {
    assertSeries("arrays", "array-model");
  }

  @Test
  void absentTokensAreCountedAsMissingAndNotInvented() {
    long calls = jvm.longResult("missing.calls");
    String[] series = {"endpoint", "missing", "model", "unknown"};
    assertAll(
        () ->
            assertEquals(
                calls,
                metrics.value("taskmaster_requests_total", with(series, "status", "success"))),
        () ->
            assertEquals(
                calls,
                metrics.value(
                    "taskmaster_tokens_missing_total", with(series, "direction", "input"))),
        () ->
            assertEquals(
                calls,
                metrics.value(
                    "taskmaster_tokens_missing_total", with(series, "direction", "output"))),
        () -> assertEquals(0, metrics.sum("taskmaster_tokens_input_total", "endpoint", "missing")),
        () -> assertEquals(0, metrics.sum("taskmaster_tokens_output_total", "endpoint", "missing")),
        () ->
            assertEquals(
                jvm.longResult("missing.chars"),
                metrics.value("taskmaster_response_length_chars_sum", series)));
  }

  @Test
  void nothingMissingWherePathsResolveAndTheAgentIsHealthy() {
    assertAll(
        () ->
            assertEquals(
                2 * jvm.longResult("missing.calls"),
                metrics.sum("taskmaster_tokens_missing_total"),
                "only the block without usage misses tokens"),
        () ->
            assertHealthy(
                jvm, metrics, "taskmaster", line -> line.startsWith(MISSING_BLOCK_WARNING)));
  }

  @Test
  void pathsThatFindNothingAreReportedOncePerPathNotPerCall() {
    List<String> warnings =
        jvm.stderrLines().stream()
            .filter(line -> line.startsWith(MISSING_BLOCK_WARNING))
            .collect(Collectors.toList());
    assertAll(
        () -> assertEquals(3, warnings.size(), () -> String.join("\n", warnings)),
        () -> assertEquals(1, count(warnings, "intercept.missing.model=arg0.model()")),
        () -> assertEquals(1, count(warnings, "intercept.missing.tokens.input=")),
        () -> assertEquals(1, count(warnings, "intercept.missing.tokens.output=")));
  }

  private static long count(List<String> lines, String text) {
    return lines.stream().filter(line -> line.contains(text)).count();
  }

  private void assertSeries(String endpoint, String model) {
    String[] series = {"endpoint", endpoint, "model", model};
    long calls = jvm.longResult(endpoint + ".calls");
    Executable[] checks = {
      () ->
          assertEquals(
              calls, metrics.value("taskmaster_requests_total", with(series, "status", "success"))),
      () -> assertEquals(calls, metrics.sum("taskmaster_requests_total", "endpoint", endpoint)),
      () ->
          assertEquals(
              jvm.longResult(endpoint + ".input"),
              metrics.value("taskmaster_tokens_input_total", series)),
      () ->
          assertEquals(
              jvm.longResult(endpoint + ".output"),
              metrics.value("taskmaster_tokens_output_total", series)),
      () -> assertEquals(0, metrics.sum("taskmaster_tokens_missing_total", "endpoint", endpoint)),
      () -> assertEquals(calls, metrics.value("taskmaster_response_length_chars_count", series)),
      () ->
          assertEquals(
              jvm.longResult(endpoint + ".chars"),
              metrics.value("taskmaster_response_length_chars_sum", series)),
    };
    assertAll(endpoint, checks);
  }

  private static String[] with(String[] labels, String name, String value) {
    String[] all = Arrays.copyOf(labels, labels.length + 2);
    all[labels.length] = name;
    all[labels.length + 1] = value;
    return all;
  }
}
