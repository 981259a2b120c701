package dev.taskmaster.benchmarks.overhead;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** A way to start a JVM: bare or with one of the compared agents. */
enum Variant {
  NONE("no agent"),
  TASKMASTER("TaskMaster"),
  OPENTELEMETRY("OpenTelemetry 2.22.0"),
  JMX_EXPORTER("JMX exporter 1.0.1");

  final String title;

  Variant(String title) {
    this.title = title;
  }

  /**
   * The JVM options that attach this variant's agent.
   *
   * @param taskMasterArgs the argument of our agent ({@code config=...,key=value})
   */
  List<String> jvmOptions(Layout layout, String taskMasterArgs) throws IOException {
    List<String> options = new ArrayList<>();
    switch (this) {
      case NONE:
        break;
      case TASKMASTER:
        options.add("-javaagent:" + layout.agentJar + "=" + taskMasterArgs);
        break;
      case OPENTELEMETRY:
        options.add("-javaagent:" + layout.otelAgentJar);
        options.add("-Dotel.metrics.exporter=prometheus");
        options.add("-Dotel.traces.exporter=none");
        options.add("-Dotel.logs.exporter=none");
        options.add("-Dotel.exporter.prometheus.host=127.0.0.1");
        options.add("-Dotel.exporter.prometheus.port=" + freePort());
        break;
      case JMX_EXPORTER:
        options.add(
            "-javaagent:"
                + layout.jmxAgentJar
                + "=127.0.0.1:"
                + freePort()
                + ":"
                + jmxConfig(layout));
        break;
      default:
        throw new AssertionError(this);
    }
    return options;
  }

  private static Path jmxConfig(Layout layout) throws IOException {
    Path config = layout.work.resolve("jmx-exporter.yaml");
    java.nio.file.Files.writeString(config, "rules:\n  - pattern: \".*\"\n");
    return config;
  }

  /** A port that was free a moment ago, for an agent's exporter. */
  static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
