package dev.taskmaster.agent.logging;

import dev.taskmaster.agent.util.AgentLog;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.TimeUnit;

/**
 * Appends lines to {@code log.file} and rotates it by size: when the next line would pass {@code
 * log.file.max-bytes}, {@code file} becomes {@code file.1}, {@code file.1} becomes {@code file.2},
 * and so on up to {@code log.file.keep}; the oldest is deleted.
 *
 * <p>A directory that cannot be created or written, or a full disk, produces one warning; lines are
 * then dropped (the caller counts them) and the file is tried again every {@value #RETRY_SECONDS}
 * seconds, so that logging resumes by itself once space is freed.
 */
final class RollingFileLogSink implements LogSink {

  static final long RETRY_SECONDS = 10;

  private final Path file;
  private final long maxBytes;
  private final int keep;
  private final String droppedMetric;
  private final long retryNanos;
  private OutputStream out;
  private long size;
  private boolean failing;
  private long retryAtNanos;

  RollingFileLogSink(Path file, long maxBytes, int keep, String droppedMetric) {
    this(file, maxBytes, keep, droppedMetric, TimeUnit.SECONDS.toNanos(RETRY_SECONDS));
  }

  /** With a shorter {@code retryNanos} for tests. */
  RollingFileLogSink(Path file, long maxBytes, int keep, String droppedMetric, long retryNanos) {
    this.file = file.toAbsolutePath();
    this.maxBytes = maxBytes;
    this.keep = keep;
    this.droppedMetric = droppedMetric;
    this.retryNanos = retryNanos;
  }

  @Override
  public boolean write(byte[] line) {
    if (out == null) {
      if (failing && System.nanoTime() - retryAtNanos < 0) {
        return false;
      }
      if (!open()) {
        return false;
      }
    }
    try {
      if (size > 0 && size + line.length > maxBytes) {
        rotate();
      }
      // Unbuffered: a write that fails (full disk) fails for this line, which is then counted.
      out.write(line);
      size += line.length;
      if (failing) {
        failing = false;
        AgentLog.info("log.file=" + file + ": writing structured log lines again.");
      }
      return true;
    } catch (IOException | RuntimeException failure) {
      fail(failure);
      return false;
    }
  }

  @Override
  public void flush() {
    // Nothing is buffered.
  }

  @Override
  public void close() {
    closeQuietly();
  }

  private boolean open() {
    try {
      Path parent = file.getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
      out =
          Files.newOutputStream(
              file, StandardOpenOption.CREATE, StandardOpenOption.APPEND, StandardOpenOption.WRITE);
      size = Files.size(file);
      return true;
    } catch (IOException | RuntimeException failure) {
      fail(failure);
      return false;
    }
  }

  private void rotate() throws IOException {
    closeQuietly();
    if (keep == 0) {
      Files.deleteIfExists(file);
    } else {
      Files.deleteIfExists(rotated(keep));
      for (int index = keep - 1; index >= 1; index--) {
        Path older = rotated(index);
        if (Files.exists(older)) {
          Files.move(older, rotated(index + 1), StandardCopyOption.REPLACE_EXISTING);
        }
      }
      Files.move(file, rotated(1), StandardCopyOption.REPLACE_EXISTING);
    }
    out =
        Files.newOutputStream(
            file, StandardOpenOption.CREATE, StandardOpenOption.APPEND, StandardOpenOption.WRITE);
    size = 0;
  }

  private Path rotated(int index) {
    return file.resolveSibling(file.getFileName() + "." + index);
  }

  private void fail(Throwable failure) {
    closeQuietly();
    retryAtNanos = System.nanoTime() + retryNanos;
    if (!failing) {
      failing = true;
      AgentLog.warn(
          "log.file="
              + file
              + ": cannot write the structured log ("
              + failure
              + "); lines are dropped and counted in "
              + droppedMetric
              + ", and the file is tried again every "
              + RETRY_SECONDS
              + " s. Accepted: a file in a writable directory on a disk with free space.");
    }
  }

  private void closeQuietly() {
    if (out != null) {
      try {
        out.close();
      } catch (IOException | RuntimeException ignored) {
        // The stream is abandoned either way.
      }
      out = null;
    }
  }
}
