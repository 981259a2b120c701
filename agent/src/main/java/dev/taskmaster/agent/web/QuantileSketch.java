package dev.taskmaster.agent.web;

import java.util.Arrays;

/**
 * Durations in log-spaced buckets (eight per doubling, from 0.1 ms to about 17 minutes), for
 * quantiles within about 4.5 %: the one open slot of the {@link StatusHistory} keeps one, the
 * closed slots keep only their quantiles. Not thread-safe.
 */
final class QuantileSketch {

  private static final double MIN_SECONDS = 1e-4;
  private static final int PER_DOUBLING = 8;
  private static final int BUCKETS = 24 * PER_DOUBLING;

  private final long[] counts = new long[BUCKETS];
  private long total;

  void add(double seconds) {
    counts[bucket(seconds)]++;
    total++;
  }

  long count() {
    return total;
  }

  void clear() {
    Arrays.fill(counts, 0);
    total = 0;
  }

  /** The {@code q} quantile in seconds (the geometric middle of its bucket), or NaN when empty. */
  double quantile(double q) {
    if (total == 0) {
      return Double.NaN;
    }
    long rank = Math.max(1, (long) Math.ceil(q * total));
    long seen = 0;
    for (int i = 0; i < BUCKETS; i++) {
      seen += counts[i];
      if (seen >= rank) {
        return lowerBound(i) * Math.pow(2, 0.5 / PER_DOUBLING);
      }
    }
    return lowerBound(BUCKETS - 1);
  }

  static int bucket(double seconds) {
    if (!(seconds > MIN_SECONDS)) {
      return 0;
    }
    int index = (int) Math.floor(Math.log(seconds / MIN_SECONDS) / Math.log(2) * PER_DOUBLING);
    return Math.min(BUCKETS - 1, index);
  }

  static double lowerBound(int bucket) {
    return MIN_SECONDS * Math.pow(2, (double) bucket / PER_DOUBLING);
  }
}
