package dev.taskmaster.agent.alerting;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class PrometheusRulesWriterTest {

  /** The repository's copy, generated with the defaults. */
  static final Path RULES_FILE =
      Path.of(System.getProperty("basedir", "."))
          .toAbsolutePath()
          .getParent()
          .resolve("dashboards/prometheus/taskmaster-alerts.yml");

  @Test
  void theCommittedRulesFileIsWhatTheGeneratorPrints() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    PrometheusRulesWriter.print(
        new PrintStream(out, true, StandardCharsets.UTF_8),
        AlertSettings.defaults(),
        "taskmaster",
        null);
    String generated = out.toString(StandardCharsets.UTF_8);

    if (Boolean.getBoolean("taskmaster.regenerate")) {
      Files.createDirectories(RULES_FILE.getParent());
      Files.writeString(RULES_FILE, generated, StandardCharsets.UTF_8);
    }
    assertTrue(Files.exists(RULES_FILE), RULES_FILE + " is missing");
    assertEquals(
        generated,
        Files.readString(RULES_FILE, StandardCharsets.UTF_8),
        RULES_FILE
            + " differs from the generator's output; regenerate it with"
            + " -Dtaskmaster.regenerate=true (or `java -jar taskmaster-agent.jar rules`).");
  }

  @Test
  void honoursThePrefixTheThresholdsAndTheForOverride() {
    AlertSettings settings =
        AlertSettings.builder()
            .latencyThreshold(Duration.ofMillis(1500))
            .errorRateWindow(Duration.ofMinutes(10))
            .label("team", "search")
            .disable(TaskMasterRules.QUALITY_DRIFT)
            .build();

    String yaml = PrometheusRulesWriter.render(settings, "llm", Duration.ofSeconds(30));

    assertTrue(yaml.contains("  - name: \"llm\"\n"), yaml);
    assertTrue(yaml.contains("rate(llm_request_latency_seconds_bucket[5m]))) > 1.5\"\n"), yaml);
    assertTrue(yaml.contains("rate(llm_requests_total{status=\\\"error\\\"}[10m]))"), yaml);
    assertFalse(yaml.contains("taskmaster_"), yaml);
    assertFalse(yaml.contains("alert: \"TaskMasterQualityDrift\""), yaml);
    // Five product rules and 22 drift rules.
    assertEquals(27, count(yaml, "        for: \"30s\"\n"), yaml);
    assertEquals(27, count(yaml, "          team: \"search\"\n"), yaml);
    assertTrue(yaml.contains("llm_drift_status{signal=\\\"refusal_rate\\\"} >= 2\"\n"), yaml);
    assertTrue(yaml.contains("stayed above 1.5s for 30s."), yaml);
  }

  @Test
  void quotesStringsSafely() {
    assertEquals("\"plain\"", PrometheusRulesWriter.quote("plain"));
    assertEquals(
        "\"a \\\"quoted\\\" \\\\ back: # not a comment\"",
        PrometheusRulesWriter.quote("a \"quoted\" \\ back: # not a comment"));
    assertEquals("\"tab\\tnl\\nbell\\u0007\"", PrometheusRulesWriter.quote("tab\tnl\nbell\u0007"));
    assertEquals("\"yes\"", PrometheusRulesWriter.quote("yes"));
    assertEquals("\"ü ✓\"", PrometheusRulesWriter.quote("ü ✓"));
  }

  @Test
  void multiLineTextBecomesALiteralBlockOnlyWhenThatIsExact() {
    AlertRule base =
        AlertRule.builder("X").expr("up == 0").summary("s").description("d").runbook("r").build();

    String block =
        PrometheusRulesWriter.render(
            "g", List.of(base.toBuilder().runbook("1. a\n\n2. b: \"c\"").build()));
    String leadingSpace =
        PrometheusRulesWriter.render("g", List.of(base.toBuilder().runbook(" 1. a\n2. b").build()));
    String trailingSpace =
        PrometheusRulesWriter.render("g", List.of(base.toBuilder().runbook("1. a \n2. b").build()));

    assertTrue(
        block.contains("          runbook: |-\n            1. a\n\n            2. b: \"c\"\n"),
        block);
    assertTrue(leadingSpace.contains("          runbook: \" 1. a\\n2. b\"\n"), leadingSpace);
    assertTrue(trailingSpace.contains("          runbook: \"1. a \\n2. b\"\n"), trailingSpace);
  }

  @Test
  void rulesWithoutAnExpressionAreLeftOut() {
    String yaml =
        PrometheusRulesWriter.render(
            "g",
            List.of(
                AlertRule.builder("AgentOnly").build(),
                AlertRule.builder("Both").expr("up == 0").severity(Severity.INFO).build()));

    assertFalse(yaml.contains("AgentOnly"));
    assertTrue(
        yaml.contains("      - alert: \"Both\"\n        expr: \"up == 0\"\n        for: \"0s\"\n"));
    assertTrue(yaml.contains("          severity: \"info\"\n"));
  }

  private static int count(String text, String part) {
    int count = 0;
    for (int at = text.indexOf(part); at >= 0; at = text.indexOf(part, at + 1)) {
      count++;
    }
    return count;
  }
}
