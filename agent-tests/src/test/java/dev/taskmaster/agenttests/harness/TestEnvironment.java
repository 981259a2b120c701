package dev.taskmaster.agenttests.harness;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.jar.JarFile;
import org.junit.jupiter.api.Assumptions;

/** Where the built agent, the JDKs and the class path of the child JVMs are. */
public final class TestEnvironment {

  /** A class that only the agent jar contains; its presence marks a class path entry as agent. */
  static final String AGENT_MARKER = "dev/taskmaster/agent/TaskMasterAgent.class";

  private TestEnvironment() {}

  /** The built, shaded agent jar; fails when it has not been built. */
  public static Path agentJar() {
    String configured = System.getProperty("agenttests.agent.jar");
    if (configured == null) {
      throw new IllegalStateException(
          "system property agenttests.agent.jar is not set; run the tests through Maven: "
              + "mvn -pl agent,agent-tests -am verify");
    }
    Path jar = Path.of(configured).toAbsolutePath().normalize();
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException(
          "the agent jar "
              + jar
              + " does not exist; build it: mvn -pl agent,agent-tests -am verify");
    }
    return jar;
  }

  /** The JDK running the tests. */
  public static Path currentJavaHome() {
    return Path.of(System.getProperty("java.home"));
  }

  /** The JDK 25 home given by {@code agenttests.jdk25.home}, if it has a {@code bin/java}. */
  public static Optional<Path> jdk25Home() {
    String configured = System.getProperty("agenttests.jdk25.home");
    if (configured == null || configured.isBlank()) {
      return Optional.empty();
    }
    Path home = Path.of(configured);
    return Files.isExecutable(home.resolve("bin/java")) ? Optional.of(home) : Optional.empty();
  }

  /** The JDK 25 home, or skips the calling test with a message that says how to give one. */
  public static Path assumeJdk25Home() {
    Optional<Path> home = jdk25Home();
    Assumptions.assumeTrue(
        home.isPresent(),
        "no JDK 25 at agenttests.jdk25.home="
            + System.getProperty("agenttests.jdk25.home")
            + "; set -Djdk25.home=<JDK 25 home> to run this test");
    return home.get();
  }

  /**
   * The test class path without any entry that holds the agent's classes: fixture applications live
   * in the test sources and see the agent only through {@code -javaagent:}.
   */
  public static List<Path> classpathWithoutAgent() {
    List<Path> entries = new ArrayList<>();
    for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
      if (entry.isEmpty()) {
        continue;
      }
      Path path = Path.of(entry).toAbsolutePath().normalize();
      if (!containsAgent(path)) {
        entries.add(path);
      }
    }
    return entries;
  }

  /** Whether a class path entry (directory or jar) holds the agent's classes. */
  public static boolean containsAgent(Path entry) {
    if (Files.isDirectory(entry)) {
      return Files.exists(entry.resolve(AGENT_MARKER));
    }
    if (!Files.isRegularFile(entry)) {
      return false;
    }
    try (JarFile jar = new JarFile(entry.toFile())) {
      return jar.getEntry(AGENT_MARKER) != null;
    } catch (IOException notAJar) {
      return false;
    }
  }

  /** A fresh temporary directory for one child JVM. */
  static Path newTemporaryDirectory() {
    try {
      return Files.createTempDirectory("agent-jvm-");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
