package dev.taskmaster.agent.logging;

import dev.taskmaster.agent.util.AgentLog;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;

/**
 * Writes lines to a stream the agent does not own, such as the process's standard error. Each line
 * goes out in one {@code write}, unbuffered, so that it is not split by what the application writes
 * to the same descriptor.
 */
final class StreamLogSink implements LogSink {

  private final OutputStream out;
  private final String description;
  private final String droppedMetric;
  private boolean failing;

  /**
   * @param description the setting that chose this stream, quoted in the warning
   * @param droppedMetric the counter of dropped lines, named in the warning
   */
  StreamLogSink(OutputStream out, String description, String droppedMetric) {
    this.out = out;
    this.description = description;
    this.droppedMetric = droppedMetric;
  }

  /**
   * The process's standard error or output, by file descriptor: an application that replaces {@code
   * System.err} (to route it into its logging framework) does not receive our lines.
   */
  static StreamLogSink forDestination(LogSettings.Destination destination, String droppedMetric) {
    if (destination == LogSettings.Destination.STDOUT) {
      return new StreamLogSink(
          new FileOutputStream(FileDescriptor.out), "log.destination=stdout", droppedMetric);
    }
    return new StreamLogSink(
        new FileOutputStream(FileDescriptor.err), "log.destination=stderr", droppedMetric);
  }

  @Override
  public boolean write(byte[] line) {
    try {
      out.write(line);
      failing = false;
      return true;
    } catch (IOException | RuntimeException failure) {
      if (!failing) {
        failing = true;
        AgentLog.warn(
            description
                + ": cannot write structured log lines ("
                + failure
                + "); lines are dropped and counted in "
                + droppedMetric
                + " until writing succeeds again.");
      }
      return false;
    }
  }

  @Override
  public void flush() {
    try {
      out.flush();
    } catch (IOException | RuntimeException ignored) {
      // Reported by the next failing write.
    }
  }

  @Override
  public void close() {
    flush();
  }
}
