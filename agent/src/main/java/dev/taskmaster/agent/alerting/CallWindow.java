package dev.taskmaster.agent.alerting;

import dev.taskmaster.agent.core.CallListener;
import dev.taskmaster.agent.core.ModelCall;
import dev.taskmaster.agent.metrics.LlmMetrics;
import java.time.Duration;
import java.util.Arrays;

/**
 * The recent calls the agent's alert rules look at: a ring of time buckets (10 seconds each by
 * default) holding call and error counts and a latency histogram with the same bucket bounds as
 * {@code taskmaster_request_latency_seconds}. Fed by the call pipeline, read by the alert engine.
 *
 * <p>A call counts in the bucket of the time it ended. A window of {@code d} covers the buckets
 * that end within {@code d} of now, so its length varies by up to one bucket: a close approximation
 * of Prometheus's {@code rate(...[d])}, not an exact match.
 */
public final class CallWindow implements CallListener {

  /** Width of one bucket by default. */
  public static final Duration DEFAULT_BUCKET = Duration.ofSeconds(10);

  private final long bucketMillis;
  private final double[] bounds;
  private final Bucket[] ring;
  private long lastCallMillis = -1;

  /**
   * @param span the longest window a rule asks for; older buckets are reused
   */
  public CallWindow(Duration span) {
    this(span, DEFAULT_BUCKET, LlmMetrics.LATENCY_BUCKETS);
  }

  CallWindow(Duration span, Duration bucket, double[] bounds) {
    this.bucketMillis = bucket.toMillis();
    this.bounds = bounds.clone();
    int size = (int) ((span.toMillis() + bucketMillis - 1) / bucketMillis) + 1;
    this.ring = new Bucket[size];
    for (int i = 0; i < size; i++) {
      ring[i] = new Bucket(bounds.length + 1);
    }
  }

  @Override
  public void onCall(ModelCall call) {
    record(
        call.startEpochMillis + call.durationNanos / 1_000_000,
        ModelCall.ERROR.equals(call.status),
        call.durationNanos / 1e9);
  }

  /** Counts one call that ended at {@code endEpochMillis}. */
  public synchronized void record(long endEpochMillis, boolean error, double latencySeconds) {
    long index = Math.floorDiv(endEpochMillis, bucketMillis);
    Bucket bucket = ring[(int) Math.floorMod(index, (long) ring.length)];
    if (bucket.index > index) {
      return; // Older than the ring holds.
    }
    if (bucket.index < index) {
      bucket.reset(index);
    }
    bucket.count++;
    if (error) {
      bucket.errors++;
    }
    int slot = 0;
    while (slot < bounds.length && latencySeconds > bounds[slot]) {
      slot++;
    }
    bucket.latency[slot]++;
    lastCallMillis = Math.max(lastCallMillis, endEpochMillis);
  }

  /** When the latest call ended (Unix milliseconds), or -1 when there was none yet. */
  public synchronized long lastCallMillis() {
    return lastCallMillis;
  }

  /** Totals over the buckets that end within {@code window} before {@code nowMillis}. */
  public synchronized Summary summary(long nowMillis, Duration window) {
    long newest = Math.floorDiv(nowMillis, bucketMillis);
    long buckets = Math.min(ring.length, Math.max(1, window.toMillis() / bucketMillis));
    long oldest = newest - buckets + 1;
    long count = 0;
    long errors = 0;
    long[] latency = new long[bounds.length + 1];
    for (Bucket bucket : ring) {
      if (bucket.index >= oldest && bucket.index <= newest) {
        count += bucket.count;
        errors += bucket.errors;
        for (int i = 0; i < latency.length; i++) {
          latency[i] += bucket.latency[i];
        }
      }
    }
    return new Summary(count, errors, bounds, latency);
  }

  private static final class Bucket {
    long index = Long.MIN_VALUE;
    long count;
    long errors;
    final long[] latency;

    Bucket(int slots) {
      latency = new long[slots];
    }

    void reset(long newIndex) {
      index = newIndex;
      count = 0;
      errors = 0;
      Arrays.fill(latency, 0);
    }
  }

  /** Calls, errors and the latency histogram of one window. */
  public static final class Summary {
    private final long count;
    private final long errors;
    private final double[] bounds;
    private final long[] latency;

    Summary(long count, long errors, double[] bounds, long[] latency) {
      this.count = count;
      this.errors = errors;
      this.bounds = bounds;
      this.latency = latency;
    }

    /** Calls of every status. */
    public long count() {
      return count;
    }

    public long errors() {
      return errors;
    }

    /** Errors divided by calls, or NaN without calls (as {@code 0/0} is in PromQL). */
    public double errorRatio() {
      return count == 0 ? Double.NaN : (double) errors / count;
    }

    /**
     * The latency quantile in seconds, interpolated inside its bucket exactly as PromQL's {@code
     * histogram_quantile} does; NaN without calls. A quantile in the open-ended bucket is the
     * highest finite bound.
     */
    public double quantile(double q) {
      if (Double.isNaN(q)) {
        return Double.NaN;
      }
      if (q < 0) {
        return Double.NEGATIVE_INFINITY;
      }
      if (q > 1) {
        return Double.POSITIVE_INFINITY;
      }
      long total = 0;
      for (long n : latency) {
        total += n;
      }
      if (total == 0) {
        return Double.NaN;
      }
      double rank = q * total;
      long cumulative = 0;
      int bucket = 0;
      // The first finite bucket whose cumulative count reaches the rank.
      while (bucket < bounds.length) {
        cumulative += latency[bucket];
        if (cumulative >= rank) {
          break;
        }
        bucket++;
      }
      if (bucket == bounds.length) {
        return bounds[bounds.length - 1];
      }
      if (bucket == 0 && bounds[0] <= 0) {
        return bounds[0];
      }
      double start = bucket == 0 ? 0 : bounds[bucket - 1];
      double end = bounds[bucket];
      long below = cumulative - latency[bucket];
      return start + (end - start) * ((rank - below) / latency[bucket]);
    }
  }
}
