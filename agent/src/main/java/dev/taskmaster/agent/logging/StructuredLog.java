package dev.taskmaster.agent.logging;

import dev.taskmaster.agent.util.DaemonThreadFactory;
import io.prometheus.metrics.config.PrometheusProperties;
import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The agent's structured log: one JSON object per line, written by the agent itself (never through
 * the application's logging framework) to standard error, standard output, a rotated file, or
 * nowhere ({@link LogSettings.Destination}).
 *
 * <p>{@link #emit} never waits and never throws: lines wait in a bounded queue for one daemon
 * writer thread, and a line that finds the queue full is dropped and counted in {@code
 * taskmaster_log_dropped_total{reason="queue_full"}}. Lines the destination refuses count under
 * {@code reason="write_failed"}, lines still queued when the JVM exits under {@code
 * reason="shutdown"}.
 *
 * <pre>{@code
 * StructuredLog log = new StructuredLog(settings, registry, "taskmaster");
 * log.emit(log.event(StructuredLog.AGENT, StructuredLog.INFO, "agent started").put("version", v));
 * // in the agent's shutdown hook:
 * log.shutdown(settings.shutdownTimeout());
 * }</pre>
 */
public final class StructuredLog {

  /** {@code event_type} of a finished model call. */
  public static final String REQUEST = "request";

  /** {@code event_type} of a drift finding. */
  public static final String DRIFT = "drift";

  /** {@code event_type} of an alert that fired or resolved. */
  public static final String ALERT = "alert";

  /** {@code event_type} of the agent's own events (start, settings, problems). */
  public static final String AGENT = "agent";

  /** {@code level} values. */
  public static final String INFO = "INFO";

  public static final String WARN = "WARN";
  public static final String ERROR = "ERROR";

  private static final int BATCH = 256;
  private static final long POLL_MILLIS = 100;

  private final Clock clock;
  private final String service;
  private final LogSink sink;
  private final BlockingQueue<String> queue;
  private final CounterDataPoint queueFull;
  private final CounterDataPoint writeFailed;
  private final CounterDataPoint shutdownDropped;
  private final AtomicLong enqueued = new AtomicLong();
  private final AtomicLong completed = new AtomicLong();
  private final Object progress = new Object();
  private final Thread writer;
  private volatile boolean stopping;

  /**
   * Registers {@code <prefix>_log_dropped_total} and, unless the destination is {@code none},
   * starts the writer thread.
   *
   * @param metricPrefix metric name prefix, without a trailing underscore
   */
  public StructuredLog(LogSettings settings, PrometheusRegistry registry, String metricPrefix) {
    this(settings, registry, metricPrefix, Clock.systemUTC(), null);
  }

  /** With a given clock and sink, for tests; a {@code null} sink follows the settings. */
  StructuredLog(
      LogSettings settings,
      PrometheusRegistry registry,
      String metricPrefix,
      Clock clock,
      LogSink sinkOverride) {
    this.clock = clock;
    this.service = settings.serviceName();
    Counter dropped =
        Counter.builder(PrometheusProperties.builder().build())
            .name(metricPrefix + "_log_dropped")
            .help(
                "Structured log lines not written: queue_full when the writer fell behind,"
                    + " write_failed when the destination refused them, shutdown when the JVM"
                    + " exited first.")
            .labelNames("reason")
            .withoutExemplars()
            .register(registry);
    queueFull = dropped.labelValues("queue_full");
    writeFailed = dropped.labelValues("write_failed");
    shutdownDropped = dropped.labelValues("shutdown");
    String droppedMetric = metricPrefix + "_log_dropped_total";
    LogSink chosen = sinkOverride;
    if (chosen == null) {
      switch (settings.destination()) {
        case NONE:
          chosen = null;
          break;
        case FILE:
          chosen =
              new RollingFileLogSink(
                  settings.file(), settings.maxBytes(), settings.keep(), droppedMetric);
          break;
        default:
          chosen = StreamLogSink.forDestination(settings.destination(), droppedMetric);
      }
    }
    this.sink = chosen;
    if (sink == null) {
      queue = null;
      writer = null;
    } else {
      queue = new ArrayBlockingQueue<>(settings.queueCapacity());
      writer = new DaemonThreadFactory("taskmaster-log").newThread(this::run);
      writer.start();
    }
  }

  /** Whether lines go anywhere; {@code false} for {@code log.destination=none}. */
  public boolean enabled() {
    return sink != null;
  }

  /**
   * Starts a line stamped now, with {@code timestamp}, {@code level}, {@code service}, {@code
   * message} and {@code event_type}; add fields, then {@link #emit} it.
   */
  public LogLine event(String eventType, String level, String message) {
    return event(clock.millis(), eventType, level, message);
  }

  /** Starts a line stamped with the given Unix milliseconds. */
  public LogLine event(long epochMillis, String eventType, String level, String message) {
    return new LogLine()
        .put("timestamp", LogLine.formatTimestamp(epochMillis))
        .put("level", level)
        .put("service", service)
        .put("message", message)
        .put("event_type", eventType);
  }

  /** Queues a line for writing, without waiting; drops and counts it when the queue is full. */
  public void emit(LogLine line) {
    if (sink == null) {
      return;
    }
    String json;
    try {
      json = line.toJson();
    } catch (RuntimeException unexpected) {
      writeFailed.inc();
      return;
    }
    if (stopping) {
      shutdownDropped.inc();
    } else if (queue.offer(json)) {
      enqueued.incrementAndGet();
    } else {
      queueFull.inc();
    }
  }

  /** Lines dropped so far, for every reason. */
  public long dropped() {
    return queueFull.getLongValue() + writeFailed.getLongValue() + shutdownDropped.getLongValue();
  }

  /**
   * Waits until every line queued before this call has been written (or has failed), at most {@code
   * timeout}.
   *
   * @return whether all of them were handled in time
   */
  public boolean flush(Duration timeout) {
    if (sink == null) {
      return true;
    }
    long target = enqueued.get();
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (progress) {
      while (completed.get() < target) {
        long remaining = deadline - System.nanoTime();
        if (remaining <= 0 || !writer.isAlive()) {
          return completed.get() >= target;
        }
        try {
          TimeUnit.NANOSECONDS.timedWait(progress, remaining);
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
          return false;
        }
      }
    }
    return true;
  }

  /**
   * For the agent's shutdown hook: writes what is queued within {@code timeout}, then stops the
   * writer. Lines left over, and lines emitted afterwards, are counted as dropped.
   */
  public void shutdown(Duration timeout) {
    if (sink == null || stopping) {
      return;
    }
    long deadline = System.nanoTime() + timeout.toNanos();
    flush(timeout);
    stopping = true;
    try {
      long remaining = deadline - System.nanoTime();
      writer.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(remaining)));
    } catch (InterruptedException interrupted) {
      Thread.currentThread().interrupt();
    }
    int left = 0;
    while (queue.poll() != null) {
      left++;
    }
    if (left > 0) {
      shutdownDropped.inc(left);
    }
  }

  private void run() {
    List<String> batch = new ArrayList<>(BATCH);
    try {
      while (true) {
        String first = queue.poll(POLL_MILLIS, TimeUnit.MILLISECONDS);
        if (first == null) {
          if (stopping) {
            return;
          }
          continue;
        }
        batch.add(first);
        queue.drainTo(batch, BATCH - 1);
        write(batch);
        batch.clear();
      }
    } catch (InterruptedException interrupted) {
      // Only the JVM interrupts this thread; stop quietly.
    } finally {
      sink.close();
    }
  }

  private void write(List<String> batch) {
    for (String line : batch) {
      boolean written;
      try {
        written = sink.write((line + "\n").getBytes(StandardCharsets.UTF_8));
      } catch (RuntimeException unexpected) {
        written = false;
      }
      if (!written) {
        writeFailed.inc();
      }
    }
    sink.flush();
    completed.addAndGet(batch.size());
    synchronized (progress) {
      progress.notifyAll();
    }
  }
}
