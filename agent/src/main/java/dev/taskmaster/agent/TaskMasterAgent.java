package dev.taskmaster.agent;

import dev.taskmaster.agent.alerting.PrometheusRulesWriter;
import dev.taskmaster.agent.config.AgentConfig;
import dev.taskmaster.agent.config.ConfigKeys;
import dev.taskmaster.agent.config.ConfigLoader;
import dev.taskmaster.agent.instrumentation.BootstrapInjector;
import java.lang.instrument.Instrumentation;

/**
 * Entry point of the agent jar: {@code premain} for {@code -javaagent:}, {@code agentmain} for an
 * attach at run time, and {@code main} for the command line.
 *
 * <p>Nothing here may throw: a failing {@code premain} would stop the application from starting.
 */
public final class TaskMasterAgent {

  /**
   * The system property that a JVM running the agent carries, set to the agent's version; {@code
   * attach} reads it to leave such a JVM alone.
   */
  static final String RUNNING_PROPERTY = "taskmaster.agent.version";

  private TaskMasterAgent() {}

  /** Called by the JVM for {@code -javaagent:taskmaster-agent.jar[=key=value,...]}. */
  public static void premain(String agentArgs, Instrumentation instrumentation) {
    start(agentArgs, instrumentation);
  }

  /** Called by the JVM when the agent is attached to a running JVM. */
  public static void agentmain(String agentArgs, Instrumentation instrumentation) {
    start(agentArgs, instrumentation);
  }

  /** Command line: {@code java -jar taskmaster-agent.jar <command>}. */
  public static void main(String[] args) {
    String command = args.length >= 1 ? args[0] : "";
    String settings = args.length >= 2 ? args[1] : null;
    switch (command) {
      case "rules":
        printRules(settings);
        return;
      case "attach":
        System.exit(AttachCommand.run(args));
        return;
      case "version":
        System.out.println("TaskMaster Agent " + version());
        return;
      case "keys":
        System.out.print(ConfigKeys.markdownTable());
        return;
      default:
        System.err.println(
            "usage: java -jar taskmaster-agent.jar attach <pid> [key=value,...]"
                + " | rules [key=value,...] | keys | version");
        System.exit(2);
    }
  }

  /**
   * Prints Prometheus alerting rules generated from the same definitions the agent evaluates,
   * honouring the configured prefix, thresholds and {@code alerting.rules.for}.
   */
  private static void printRules(String settings) {
    AgentConfig config = ConfigLoader.load(settings);
    PrometheusRulesWriter.print(
        System.out,
        ComponentSettings.alerts(config),
        config.metricsPrefix(),
        config.get(ConfigKeys.ALERTING_RULES_FOR));
  }

  /** The agent's version, from its jar's manifest. */
  static String version() {
    String version = TaskMasterAgent.class.getPackage().getImplementationVersion();
    return version == null ? "dev" : version;
  }

  private static void start(String agentArgs, Instrumentation instrumentation) {
    try {
      // First, before any class that refers to the bridge is loaded from the agent jar.
      BootstrapInjector.inject(instrumentation);
      AgentInstaller.install(agentArgs, instrumentation);
    } catch (Throwable failure) {
      try {
        System.err.println(
            "[taskmaster] ERROR the agent could not start and is inactive; the application runs"
                + " on without it: "
                + failure);
      } catch (Throwable ignored) {
        // Not even stderr: stay silent rather than harm the application.
      }
    }
  }
}
