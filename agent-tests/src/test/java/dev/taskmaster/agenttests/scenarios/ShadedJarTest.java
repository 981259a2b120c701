package dev.taskmaster.agenttests.scenarios;

import static dev.taskmaster.agenttests.harness.AgentAssertions.assertHealthy;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.taskmaster.agenttests.fixtures.OwnLibrariesApp;
import dev.taskmaster.agenttests.fixtures.llm.LlmClient;
import dev.taskmaster.agenttests.fixtures.llm.Options;
import dev.taskmaster.agenttests.harness.AgentJvm;
import dev.taskmaster.agenttests.harness.MetricsSnapshot;
import dev.taskmaster.agenttests.harness.TestEnvironment;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The shaded jar hides its libraries, and an application with its own versions runs unchanged. */
class ShadedJarTest {

  /** A class entry, also in a multi-release directory, with its path inside the jar. */
  private static final Pattern VERSIONED = Pattern.compile("^META-INF/versions/\\d+/");

  @Test
  void jarHoldsOnlyTheAgentsOwnPackage() throws IOException {
    List<String> foreign = new ArrayList<>();
    List<String> unrelocated = new ArrayList<>();
    try (JarFile jar = new JarFile(TestEnvironment.agentJar().toFile())) {
      for (JarEntry entry : Collections.list(jar.entries())) {
        String name = VERSIONED.matcher(entry.getName()).replaceFirst("");
        if (name.startsWith("net/bytebuddy/")
            || name.startsWith("io/prometheus/")
            || name.startsWith("com/google/gson/")) {
          unrelocated.add(entry.getName());
        }
        if (name.endsWith(".class") && !name.startsWith("dev/taskmaster/agent/")) {
          foreign.add(entry.getName());
        }
      }
    }
    assertAll(
        () -> assertEquals(List.of(), unrelocated, "libraries not relocated"),
        () -> assertEquals(List.of(), foreign, "classes outside dev/taskmaster/agent/"));
  }

  @Test
  void manifestDeclaresTheAgent() throws IOException {
    try (JarFile jar = new JarFile(TestEnvironment.agentJar().toFile())) {
      Attributes main = jar.getManifest().getMainAttributes();
      assertAll(
          () ->
              assertEquals("dev.taskmaster.agent.TaskMasterAgent", main.getValue("Premain-Class")),
          () -> assertEquals("dev.taskmaster.agent.TaskMasterAgent", main.getValue("Agent-Class")),
          () -> assertEquals("true", main.getValue("Can-Retransform-Classes")));
    }
  }

  @Test
  void agentClassesAreOnNoClassPathButTheChildsAgentOption() {
    assertThrows(
        ClassNotFoundException.class,
        () -> Class.forName("dev.taskmaster.agent.TaskMasterAgent"),
        "the agent's classes are on the test class path");
    for (Path entry : TestEnvironment.classpathWithoutAgent()) {
      assertEquals(false, TestEnvironment.containsAgent(entry), entry.toString());
    }
  }

  @Test
  void applicationWithItsOwnLibraryVersionsRunsUnchangedAndIsMonitored() {
    String baselineOutput;
    try (AgentJvm baseline = ownLibrariesApp().withoutAgent().start()) {
      baseline.awaitReady();
      baselineOutput = baseline.stdout();
    }
    try (AgentJvm jvm = ownLibrariesApp().start()) {
      jvm.awaitReady();
      MetricsSnapshot metrics = jvm.scrape();
      assertAll(
          () -> assertEquals(baselineOutput, jvm.stdout(), "the application's output changed"),
          () -> assertEquals("gson-2.10.1.jar", jvm.result("gson.jar")),
          () -> assertEquals("byte-buddy-1.14.18.jar", jvm.result("bytebuddy.jar")),
          () -> assertEquals("prometheus-metrics-core-1.3.10.jar", jvm.result("prometheus.jar")),
          () -> assertEquals("true", jvm.result("own.jobs"), "the app's own metric is wrong"),
          () -> assertEquals("false", jvm.result("own.hasTaskmaster"), "agent metrics leaked"),
          () -> assertEquals(false, metrics.has("own_app_jobs_total"), "app metrics leaked in"),
          // The Byte Buddy subclass overrides complete and calls super: counted once per call.
          () ->
              assertEquals(
                  jvm.longResult("calls"),
                  metrics.value(
                      "taskmaster_requests_total",
                      "endpoint",
                      "chat",
                      "model",
                      "own-model",
                      "status",
                      "success")),
          () ->
              assertEquals(
                  jvm.longResult("inputTokens"),
                  metrics.value("taskmaster_tokens_input_total", "model", "own-model")),
          () -> assertHealthy(jvm, metrics));
    }
  }

  private static AgentJvm.Builder ownLibrariesApp() {
    return AgentJvm.builder(OwnLibrariesApp.class)
        // The sample app's jar names its own library versions in its manifest's Class-Path.
        .withoutClasspathEntries(
            entry -> entry.getFileName().toString().startsWith("taskmaster-sample-app"))
        .intercept(
            "chat",
            "class=" + LlmClient.class.getName(),
            "method=complete",
            "params=java.lang.String," + Options.class.getName(),
            "endpoint=chat",
            "model=arg1.model",
            "tokens.input=return.usage().promptTokens()",
            "tokens.output=return.usage().completionTokens()");
  }
}
