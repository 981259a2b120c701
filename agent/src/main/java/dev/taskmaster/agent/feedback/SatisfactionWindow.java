package dev.taskmaster.agent.feedback;

/**
 * The mean feedback score over a sliding time window, kept in {@value #BUCKETS} time buckets: a
 * score leaves the mean between one and {@code 1 + 1/BUCKETS} windows after it arrived. Fixed
 * memory whatever the traffic. Thread-safe.
 */
final class SatisfactionWindow {

  static final int BUCKETS = 60;

  private final long bucketMillis;
  private final long[] bucketStart = new long[BUCKETS];
  private final double[] sum = new double[BUCKETS];
  private final long[] count = new long[BUCKETS];

  /**
   * @param windowMillis the window's length, at least {@value #BUCKETS} ms
   */
  SatisfactionWindow(long windowMillis) {
    this.bucketMillis = Math.max(1, windowMillis / BUCKETS);
    java.util.Arrays.fill(bucketStart, Long.MIN_VALUE);
  }

  synchronized void add(long nowMillis, double score) {
    long start = Math.floorDiv(nowMillis, bucketMillis) * bucketMillis;
    int index = (int) Math.floorMod(Math.floorDiv(nowMillis, bucketMillis), (long) BUCKETS);
    if (bucketStart[index] != start) {
      bucketStart[index] = start;
      sum[index] = 0;
      count[index] = 0;
    }
    sum[index] += score;
    count[index]++;
  }

  /** The sum of the scores in the window ending now, and their number. */
  synchronized double[] totals(long nowMillis) {
    long oldest = oldestStart(nowMillis);
    double total = 0;
    long n = 0;
    for (int i = 0; i < BUCKETS; i++) {
      if (bucketStart[i] >= oldest && bucketStart[i] <= nowMillis) {
        total += sum[i];
        n += count[i];
      }
    }
    return new double[] {total, n};
  }

  /** The mean score in the window ending now, or NaN when it holds fewer than {@code minCount}. */
  double mean(long nowMillis, long minCount) {
    double[] totals = totals(nowMillis);
    return totals[1] == 0 || totals[1] < minCount ? Double.NaN : totals[0] / totals[1];
  }

  private long oldestStart(long nowMillis) {
    long current = Math.floorDiv(nowMillis, bucketMillis) * bucketMillis;
    return current - (BUCKETS - 1) * bucketMillis;
  }
}
