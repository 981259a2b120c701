package dev.taskmaster.agent.alerting;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Checks the generated rules file with {@code promtool} (Debian package {@code prometheus}): its
 * syntax, and our unit tests under {@code dashboards/prometheus/tests/}, which show every rule
 * firing and not firing on synthetic series. Skipped when promtool is absent.
 */
class PromtoolRulesTest {

  private Path promtool;
  private static final Path DIRECTORY = PrometheusRulesWriterTest.RULES_FILE.getParent();

  @BeforeEach
  void findPromtool() {
    promtool = ExternalTools.find("promtool", "promtool", "PROMTOOL");
    assumeTrue(
        promtool != null,
        "promtool not found on the PATH (nor -Dpromtool, nor $PROMTOOL): skipping the rule checks."
            + " Install it with `apt-get install prometheus`.");
  }

  @Test
  void theRulesFileIsValid() throws Exception {
    ExternalTools.Result result =
        ExternalTools.run(
            DIRECTORY, List.of(promtool.toString(), "check", "rules", "taskmaster-alerts.yml"));

    assertEquals(0, result.exitCode, result.output);
    assertTrue(result.output.contains("SUCCESS: 28 rules found"), result.output);
  }

  @Test
  void everyRuleFiresAndStaysQuietAsItsUnitTestsExpect() throws Exception {
    List<String> testFiles;
    try (Stream<Path> files = Files.list(DIRECTORY.resolve("tests"))) {
      testFiles =
          files
              .map(path -> "tests/" + path.getFileName())
              .filter(name -> name.endsWith(".test.yml"))
              .sorted()
              .collect(Collectors.toList());
    }
    List<String> command = new ArrayList<>(List.of(promtool.toString(), "test", "rules"));
    command.addAll(testFiles);

    ExternalTools.Result result = ExternalTools.run(DIRECTORY, command);

    assertEquals(0, result.exitCode, result.output);
    for (String rule :
        List.of(
            "high-latency",
            "high-error-rate",
            "model-down",
            "quality-drift",
            "no-requests",
            "low-satisfaction",
            "drift")) {
      assertTrue(testFiles.contains("tests/" + rule + ".test.yml"), rule + " has no unit test");
    }
  }
}
