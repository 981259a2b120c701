package dev.taskmaster.agent;

import java.lang.instrument.Instrumentation;

/** Entry point of the agent jar: {@code premain}, {@code agentmain} and the command line. */
public final class TaskMasterAgent {

  private TaskMasterAgent() {}

  /** Called by the JVM for {@code -javaagent:taskmaster-agent.jar[=options]}. */
  public static void premain(String agentArgs, Instrumentation instrumentation) {}

  /** Called by the JVM when the agent is attached to a running JVM. */
  public static void agentmain(String agentArgs, Instrumentation instrumentation) {}

  /** Command line: {@code java -jar taskmaster-agent.jar <command>}. */
  public static void main(String[] args) {}
}
