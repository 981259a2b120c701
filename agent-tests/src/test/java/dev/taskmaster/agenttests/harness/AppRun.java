package dev.taskmaster.agenttests.harness;

import java.util.List;
import java.util.stream.Collectors;

/** What an application showed from outside: its two streams and its exit code. */
public record AppRun(String stdout, List<String> stderrLines, int exitCode) {

  /** Runs a fixture to its end: waits for READY, lets it exit. */
  public static AppRun of(AgentJvm jvm) {
    jvm.awaitReady();
    int exitCode = jvm.finish();
    return new AppRun(jvm.stdout(), jvm.stderrLines(), exitCode);
  }

  /** The lines of standard error that the agent did not write. */
  public List<String> applicationStderr() {
    return stderrLines.stream()
        .filter(line -> !line.startsWith("[taskmaster] "))
        .collect(Collectors.toList());
  }

  /** The lines of standard error that the agent wrote. */
  public List<String> agentStderr() {
    return stderrLines.stream()
        .filter(line -> line.startsWith("[taskmaster] "))
        .collect(Collectors.toList());
  }
}
