package dev.taskmaster.agent;

import com.sun.tools.attach.VirtualMachine;
import java.io.File;
import net.bytebuddy.agent.ByteBuddyAgent;

/**
 * {@code java -jar taskmaster-agent.jar attach <pid> [key=value,...]}. A class of its own so that
 * the agent's entry class, loaded into every application, never refers to the attach API (a modular
 * or trimmed runtime may lack the {@code jdk.attach} module).
 */
final class AttachCommand {

  private AttachCommand() {}

  /**
   * Attaches this jar as an agent to a running JVM; its classes that are already loaded are
   * instrumented by retransformation. Attaching to a JVM that already runs the agent is harmless.
   *
   * @return the process exit code: 0 on success
   */
  static int run(String[] args) {
    if (args.length < 2 || !args[1].matches("\\d+")) {
      System.err.println("usage: java -jar taskmaster-agent.jar attach <pid> [key=value,...]");
      return 2;
    }
    String pid = args[1];
    String settings = args.length >= 3 ? args[2] : null;
    try {
      File jar =
          new File(AttachCommand.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      String running = runningVersion(pid);
      if (running != null) {
        System.out.println(
            "TaskMaster Agent "
                + running
                + " is already attached to JVM "
                + pid
                + "; nothing changed (restart the JVM to change its settings)");
        return 0;
      }
      ByteBuddyAgent.attach(jar, pid, settings);
      System.out.println(
          "attached TaskMaster Agent " + TaskMasterAgent.version() + " to JVM " + pid);
      return 0;
    } catch (Throwable failure) {
      System.err.println(
          "could not attach to JVM "
              + pid
              + ": "
              + failure
              + (failure.getCause() != null ? " (" + failure.getCause() + ")" : "")
              + ". The process must exist, run as the same user, and allow attaching"
              + " (no -XX:+DisableAttachMechanism).");
      return 1;
    }
  }

  /**
   * The version of the agent that JVM {@code pid} runs already, or {@code null}: none, or it cannot
   * be told (then the attach goes ahead, and the agent itself ignores a second start).
   */
  private static String runningVersion(String pid) {
    try {
      VirtualMachine vm = VirtualMachine.attach(pid);
      try {
        return vm.getSystemProperties().getProperty(TaskMasterAgent.RUNNING_PROPERTY);
      } finally {
        vm.detach();
      }
    } catch (Throwable unknown) {
      return null;
    }
  }
}
