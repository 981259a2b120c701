package dev.taskmaster.benchmarks.overhead;

import java.io.File;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Where the jars are: the repository as the build leaves it. */
final class Layout {

  final Path root;
  final Path java;
  final Path agentJar;
  final Path sampleAppJar;
  final Path sampleAgentProperties;
  final Path fixturesJar;
  final Path otelAgentJar;
  final Path jmxAgentJar;
  final Path work;

  private Layout(Path root) throws IOException {
    this.root = root;
    this.java = Path.of(System.getProperty("java.home"), "bin", "java");
    this.agentJar = root.resolve("agent/target/taskmaster-agent.jar");
    this.sampleAppJar = root.resolve("sample-app/target/taskmaster-sample-app.jar");
    this.sampleAgentProperties = root.resolve("sample-app/agent.properties");
    this.fixturesJar = root.resolve("benchmarks/target/benchmarks-fixtures.jar");
    this.otelAgentJar = root.resolve("benchmarks/target/agents/opentelemetry-javaagent.jar");
    this.jmxAgentJar = root.resolve("benchmarks/target/agents/jmx_prometheus_javaagent.jar");
    this.work = Files.createDirectories(root.resolve("benchmarks/target/overhead-work"));
    for (Path required :
        new Path[] {agentJar, sampleAppJar, fixturesJar, otelAgentJar, jmxAgentJar}) {
      if (!Files.isRegularFile(required)) {
        throw new IllegalStateException(
            required
                + " is missing: build first with mvn -B -ntp -Pbenchmarks -DskipTests package");
      }
    }
  }

  /**
   * The repository that holds this jar ({@code benchmarks/target/benchmarks.jar}), or {@code root}.
   */
  static Layout find(String root) throws IOException, URISyntaxException {
    if (root != null) {
      return new Layout(Path.of(root).toAbsolutePath().normalize());
    }
    Path jar =
        Path.of(Layout.class.getProtectionDomain().getCodeSource().getLocation().toURI())
            .toAbsolutePath();
    // benchmarks/target/benchmarks.jar or benchmarks/target/classes
    return new Layout(jar.getParent().getParent().getParent());
  }

  /** The class path of a child that runs the sample app's code and the fixtures. */
  String appClassPath() {
    return fixturesJar + File.pathSeparator + sampleAppJar;
  }
}
