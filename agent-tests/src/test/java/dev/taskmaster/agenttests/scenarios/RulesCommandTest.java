package dev.taskmaster.agenttests.scenarios;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.taskmaster.agenttests.harness.ExternalTools;
import dev.taskmaster.agenttests.harness.TestEnvironment;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code java -jar taskmaster-agent.jar rules key=value}: a setting that is not accepted costs one
 * line naming key, value and what is accepted, no stack trace and no rules; an accepted edge value
 * prints the rules.
 */
class RulesCommandTest {

  @TempDir Path directory;

  private ExternalTools.Result rules(String settings) {
    return ExternalTools.run(
        directory,
        List.of(
            TestEnvironment.currentJavaHome().resolve("bin/java").toString(),
            "-jar",
            TestEnvironment.agentJar().toString(),
            "rules",
            settings),
        null);
  }

  /** The command prints nothing but {@code line} (standard output and error) and exits with 2. */
  private void assertRefused(String settings, String line) {
    ExternalTools.Result result = rules(settings);

    assertEquals(2, result.exitCode(), result.output());
    assertEquals(line, result.output());
  }

  @Test
  void aBadValueIsOneLineNamingKeyValueAndWhatIsAccepted() {
    assertRefused(
        "alerting.latency.window=10s",
        "taskmaster-agent rules: alerting.latency.window=\"10s\" from the rules command's settings"
            + " is not accepted: expected a duration from 30s to 1h, written like 500ms, 30s, 5m"
            + " or 1h (a plain number means seconds)\n");
  }

  @Test
  void anUnknownKeyIsOneLineWithASuggestion() {
    assertRefused(
        "alerting.quality.treshold=0.5",
        "taskmaster-agent rules: Unknown setting alerting.quality.treshold=\"0.5\" in the rules"
            + " command's settings; did you mean alerting.quality.threshold?\n");
  }

  @Test
  void aMisspeltRuleToDisableIsOneLineListingTheRuleNames() {
    assertRefused(
        "alerting.disabled=TaskMasterNoRequest",
        "taskmaster-agent rules: alerting.disabled=\"TaskMasterNoRequest\" is not accepted:"
            + " expected rule names: TaskMasterHighLatency, TaskMasterHighErrorRate,"
            + " TaskMasterModelDown, TaskMasterQualityDrift, TaskMasterNoRequests,"
            + " TaskMasterLowSatisfaction, or TaskMasterDrift<Signal> and"
            + " TaskMasterDrift<Signal>Critical, such as TaskMasterDriftLatency or"
            + " TaskMasterDriftRefusalRateCritical\n");
  }

  @Test
  void aDisabledRuleIsNotGenerated() {
    ExternalTools.Result result =
        rules("alerting.disabled=TaskMasterNoRequests;TaskMasterDriftLatency");

    assertEquals(0, result.exitCode(), result.output());
    assertFalse(result.output().contains("alert: \"TaskMasterNoRequests\""), result.output());
    assertFalse(result.output().contains("alert: \"TaskMasterDriftLatency\""), result.output());
    assertTrue(result.output().contains("alert: \"TaskMasterDriftLatencyCritical\""));
    assertTrue(result.output().contains("alert: \"TaskMasterHighLatency\""));
  }

  @Test
  void theEdgesOfTheKeyTableAreAccepted() {
    ExternalTools.Result result =
        rules(
            "alerting.quality.threshold=0,alerting.error-rate.threshold=1,"
                + "alerting.latency.window=30s,alerting.drift.for=1m");

    assertEquals(0, result.exitCode(), result.output());
    assertTrue(result.output().contains("expr: \"taskmaster_quality_score < 0\"\n"));
    assertTrue(
        result
            .output()
            .contains(
                "expr: \"taskmaster_drift_score{signal=\\\"latency\\\"} and"
                    + " taskmaster_drift_status{signal=\\\"latency\\\"} >= 1\"\n"
                    + "        for: \"1m\"\n"),
        result.output());
  }
}
