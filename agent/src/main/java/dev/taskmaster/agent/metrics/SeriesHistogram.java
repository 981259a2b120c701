package dev.taskmaster.agent.metrics;

import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;

/**
 * A classic histogram of one label set: a counter per bucket and a sum. Readers add the buckets up
 * themselves, so that {@code +Inf} and {@code _count} always agree with the buckets they read.
 */
final class SeriesHistogram {

  private final double[] upperBounds;
  private final LongAdder[] counts;
  private final DoubleAdder sum = new DoubleAdder();

  /**
   * @param upperBounds finite upper bounds, ascending; {@code +Inf} is implied
   */
  SeriesHistogram(double[] upperBounds) {
    this.upperBounds = upperBounds;
    counts = new LongAdder[upperBounds.length + 1];
    for (int i = 0; i < counts.length; i++) {
      counts[i] = new LongAdder();
    }
  }

  void observe(double value) {
    if (Double.isNaN(value)) {
      return;
    }
    int bucket = 0;
    // Same rule as the Prometheus client: a value equal to a bound falls into that bound's bucket.
    while (bucket < upperBounds.length && value > upperBounds[bucket]) {
      bucket++;
    }
    counts[bucket].increment();
    sum.add(value);
  }

  /** Per-bucket (not cumulative) counts, the last one for {@code +Inf}, read into {@code into}. */
  void read(long[] into) {
    for (int i = 0; i < counts.length; i++) {
      into[i] = counts[i].sum();
    }
  }

  int bucketCount() {
    return counts.length;
  }

  double sum() {
    return sum.sum();
  }
}
