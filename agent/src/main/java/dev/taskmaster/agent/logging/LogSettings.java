package dev.taskmaster.agent.logging;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Settings of the agent's structured log: where the JSON lines go, how much may wait for writing,
 * and whether prompt and response text is written. Immutable; build with {@link #builder()}.
 *
 * <pre>{@code
 * LogSettings settings =
 *     LogSettings.builder()
 *         .destination(LogSettings.Destination.FILE)
 *         .file(Path.of("/var/log/app/taskmaster.jsonl"))
 *         .serviceName("checkout")
 *         .build();
 * }</pre>
 */
public final class LogSettings {

  /** Where the lines go: key {@code log.destination}. */
  public enum Destination {
    /** The process's standard error (file descriptor 2), bypassing {@code System.err}. */
    STDERR,
    /** The process's standard output (file descriptor 1), bypassing {@code System.out}. */
    STDOUT,
    /** A file of our own, {@code log.file}, rotated by size. */
    FILE,
    /** Nowhere: no queue and no writer thread. */
    NONE
  }

  /** Default of {@code log.file}: {@code taskmaster-agent.log} in the working directory. */
  public static final Path DEFAULT_FILE = Path.of("taskmaster-agent.log");

  /** Default of {@code log.file.max-bytes}: 10 MiB. */
  public static final long DEFAULT_MAX_BYTES = 10L * 1024 * 1024;

  /** Default of {@code log.file.keep}: 5 rotated files besides the current one. */
  public static final int DEFAULT_KEEP = 5;

  /** Default of {@code log.queue.capacity}: 8192 lines. */
  public static final int DEFAULT_QUEUE_CAPACITY = 8192;

  /** Default of {@code log.shutdown.timeout}: 2 seconds. */
  public static final Duration DEFAULT_SHUTDOWN_TIMEOUT = Duration.ofSeconds(2);

  /** Default of {@code capture.max-chars}: 4096 characters per captured text. */
  public static final int DEFAULT_CAPTURE_MAX_CHARS = 4096;

  private final Destination destination;
  private final Path file;
  private final long maxBytes;
  private final int keep;
  private final int queueCapacity;
  private final Duration shutdownTimeout;
  private final String serviceName;
  private final boolean captureContent;
  private final int captureMaxChars;
  private final Redactor redactor;

  private LogSettings(Builder builder) {
    this.destination = builder.destination;
    this.file = builder.file;
    this.maxBytes = builder.maxBytes;
    this.keep = builder.keep;
    this.queueCapacity = builder.queueCapacity;
    this.shutdownTimeout = builder.shutdownTimeout;
    this.serviceName = builder.serviceName;
    this.captureContent = builder.captureContent;
    this.captureMaxChars = builder.captureMaxChars;
    List<Pattern> patterns = new ArrayList<>();
    if (builder.defaultRedactions) {
      patterns.addAll(Redactor.DEFAULT_PATTERNS);
    }
    patterns.addAll(builder.redactions);
    this.redactor = new Redactor(patterns);
  }

  /** A builder with every default set. */
  public static Builder builder() {
    return new Builder();
  }

  /** The settings with every default. */
  public static LogSettings defaults() {
    return builder().build();
  }

  public Destination destination() {
    return destination;
  }

  public Path file() {
    return file;
  }

  public long maxBytes() {
    return maxBytes;
  }

  public int keep() {
    return keep;
  }

  public int queueCapacity() {
    return queueCapacity;
  }

  public Duration shutdownTimeout() {
    return shutdownTimeout;
  }

  public String serviceName() {
    return serviceName;
  }

  public boolean captureContent() {
    return captureContent;
  }

  public int captureMaxChars() {
    return captureMaxChars;
  }

  /** The redactions applied to captured text and to error descriptions. */
  public Redactor redactor() {
    return redactor;
  }

  /** Builds {@link LogSettings}; every setter rejects a value outside its documented range. */
  public static final class Builder {
    private Destination destination = Destination.STDERR;
    private Path file = DEFAULT_FILE;
    private long maxBytes = DEFAULT_MAX_BYTES;
    private int keep = DEFAULT_KEEP;
    private int queueCapacity = DEFAULT_QUEUE_CAPACITY;
    private Duration shutdownTimeout = DEFAULT_SHUTDOWN_TIMEOUT;
    private String serviceName = "unknown_service:java";
    private boolean captureContent;
    private int captureMaxChars = DEFAULT_CAPTURE_MAX_CHARS;
    private boolean defaultRedactions = true;
    private final List<Pattern> redactions = new ArrayList<>();

    private Builder() {}

    /**
     * {@code log.destination}: {@code stderr} (default), {@code stdout}, {@code file}, {@code
     * none}.
     */
    public Builder destination(Destination value) {
      destination = Objects.requireNonNull(value, "log.destination");
      return this;
    }

    /** {@code log.file}: the file written when the destination is {@code file}. */
    public Builder file(Path value) {
      file = Objects.requireNonNull(value, "log.file");
      return this;
    }

    /** {@code log.file.max-bytes}: size at which the file is rotated; at least 1024. */
    public Builder maxBytes(long value) {
      if (value < 1024) {
        throw new IllegalArgumentException("log.file.max-bytes=" + value + ": at least 1024");
      }
      maxBytes = value;
      return this;
    }

    /**
     * {@code log.file.keep}: rotated files kept ({@code file.1} is the newest); 0 to 100. With 0 a
     * full file is started afresh.
     */
    public Builder keep(int value) {
      if (value < 0 || value > 100) {
        throw new IllegalArgumentException("log.file.keep=" + value + ": 0 to 100");
      }
      keep = value;
      return this;
    }

    /** {@code log.queue.capacity}: lines that may wait for the writer; 16 to 1,000,000. */
    public Builder queueCapacity(int value) {
      if (value < 16 || value > 1_000_000) {
        throw new IllegalArgumentException("log.queue.capacity=" + value + ": 16 to 1000000");
      }
      queueCapacity = value;
      return this;
    }

    /** {@code log.shutdown.timeout}: how long JVM shutdown may wait for queued lines. */
    public Builder shutdownTimeout(Duration value) {
      if (value.isNegative()) {
        throw new IllegalArgumentException("log.shutdown.timeout=" + value + ": not negative");
      }
      shutdownTimeout = value;
      return this;
    }

    /** {@code service.name}: the {@code service} field of every line. */
    public Builder serviceName(String value) {
      serviceName = Objects.requireNonNull(value, "service.name");
      return this;
    }

    /** {@code capture.content}: write prompt and response text (redacted); default false. */
    public Builder captureContent(boolean value) {
      captureContent = value;
      return this;
    }

    /** {@code capture.max-chars}: captured text is cut after this many characters; 16 or more. */
    public Builder captureMaxChars(int value) {
      if (value < 16) {
        throw new IllegalArgumentException("capture.max-chars=" + value + ": at least 16");
      }
      captureMaxChars = value;
      return this;
    }

    /** {@code capture.redact}: patterns redacted in addition to the defaults. */
    public Builder redact(List<Pattern> patterns) {
      redactions.addAll(patterns);
      return this;
    }

    /**
     * {@code capture.redact.defaults}: whether {@link Redactor#DEFAULT_PATTERNS} apply; default
     * true.
     */
    public Builder defaultRedactions(boolean value) {
      defaultRedactions = value;
      return this;
    }

    public LogSettings build() {
      return new LogSettings(this);
    }
  }
}
