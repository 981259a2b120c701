package dev.taskmaster.agenttests.scenarios;

import dev.taskmaster.agenttests.harness.TestEnvironment;
import org.junit.jupiter.api.Test;

/** The core scenario on JDK 25, when one is installed. */
class Jdk25Test {

  @Test
  void countsEverySuccessfulCallOnJdk25() {
    CoreScenario.runAndVerify(TestEnvironment.assumeJdk25Home());
  }
}
