package dev.taskmaster.agenttests.harness;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/** Assertions shared by the scenarios. */
public final class AgentAssertions {

  private AgentAssertions() {}

  /**
   * A healthy run: the agent swallowed no failure ({@code agent_errors_total} is 0 for every
   * component) and its standard error holds only the agent's own lines below WARN.
   */
  public static void assertHealthy(AgentJvm jvm, MetricsSnapshot metrics) {
    assertHealthy(jvm, metrics, "taskmaster");
  }

  /** {@link #assertHealthy(AgentJvm, MetricsSnapshot)} for another {@code metrics.prefix}. */
  public static void assertHealthy(AgentJvm jvm, MetricsSnapshot metrics, String prefix) {
    assertHealthy(jvm, metrics, prefix, line -> false);
  }

  /**
   * {@link #assertHealthy(AgentJvm, MetricsSnapshot)} where some stderr lines are expected, such as
   * the warnings about a block whose paths find nothing on purpose.
   */
  public static void assertHealthy(
      AgentJvm jvm, MetricsSnapshot metrics, String prefix, Predicate<String> expectedLine) {
    assertEquals(
        0.0,
        metrics.sum(prefix + "_agent_errors_total"),
        () -> "the agent swallowed failures:\n" + metrics.text() + "\n" + jvm.describe());
    List<String> unexpected = new ArrayList<>();
    for (String line : jvm.stderrLines()) {
      boolean quietAgentLine =
          line.startsWith("[taskmaster] INFO ") || line.startsWith("[taskmaster] DEBUG ");
      if (!quietAgentLine && !expectedLine.test(line)) {
        unexpected.add(line);
      }
    }
    assertEquals(
        List.of(),
        unexpected,
        () -> "unexpected lines on stderr of a healthy run\n" + jvm.describe());
  }

  /** Seconds since the epoch, as the agent's timestamp gauges write them. */
  public static double nowSeconds() {
    return System.currentTimeMillis() / 1000.0;
  }
}
