package dev.taskmaster.agenttests.scenarios;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.taskmaster.agenttests.harness.TestEnvironment;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The core scenario on JDK 25, when one is installed. */
class Jdk25Test {

  @Test
  void countsEverySuccessfulCallOnJdk25() {
    Optional<Path> home = TestEnvironment.jdk25Home();
    assumeTrue(
        home.isPresent(),
        "no JDK 25 at agenttests.jdk25.home="
            + System.getProperty("agenttests.jdk25.home")
            + "; set -Djdk25.home=<JDK 25 home> to run this test");
    CoreScenario.runAndVerify(home.get());
  }
}
