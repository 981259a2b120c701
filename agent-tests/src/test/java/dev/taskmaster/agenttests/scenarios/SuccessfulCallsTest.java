package dev.taskmaster.agenttests.scenarios;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.taskmaster.agenttests.harness.AgentJvm;
import dev.taskmaster.agenttests.harness.TestEnvironment;
import org.junit.jupiter.api.Test;

class SuccessfulCallsTest {

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
