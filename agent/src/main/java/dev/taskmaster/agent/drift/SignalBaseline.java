package dev.taskmaster.agent.drift;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * What was learned about one signal during the warm-up, frozen afterwards; saved as JSON. Values
 * are on the signal's comparison scale (see {@link DriftSignal.Scale}), except {@code linearMean}.
 */
final class SignalBaseline {

  /** Values learned. */
  long count;

  /** Mean on the comparison scale (for rates: the rate). */
  double mean;

  /** Mean in natural units (the deviation method's baseline). */
  double linearMean;

  /** A uniform sample of the values on the comparison scale, sorted; empty for rates. */
  double[] sample;

  SignalBaseline() {}

  SignalBaseline(long count, double mean, double linearMean, double[] sample) {
    this.count = count;
    this.mean = mean;
    this.linearMean = linearMean;
    this.sample = sample;
  }

  /** Whether the values read from a file make sense. */
  boolean isValid(DriftSignal signal) {
    if (count <= 0 || !Double.isFinite(mean) || !Double.isFinite(linearMean)) {
      return false;
    }
    if (signal.isRate()) {
      return mean >= 0 && mean <= 1;
    }
    if (sample == null || sample.length == 0) {
      return false;
    }
    for (int i = 0; i < sample.length; i++) {
      if (!Double.isFinite(sample[i]) || (i > 0 && sample[i] < sample[i - 1])) {
        return false;
      }
    }
    return true;
  }

  /**
   * This baseline with a configured value (natural units) as its center: the mean is replaced and
   * the sample moved by the same amount, keeping its spread and shape.
   */
  SignalBaseline centeredOn(DriftSignal signal, double configured) {
    double center = signal.toScale(configured);
    double[] moved = sample == null ? null : sample.clone();
    if (moved != null) {
      double shift = center - mean;
      for (int i = 0; i < moved.length; i++) {
        moved[i] += shift;
      }
    }
    return new SignalBaseline(count, center, configured, moved);
  }

  /** Accumulates a baseline during the warm-up: running sums and a reservoir sample. */
  static final class Learner {
    private final DriftSignal signal;
    private final double[] reservoir;
    private final SplittableRandom random;
    private long count;
    private double sum;
    private double linearSum;

    Learner(DriftSignal signal, int samples) {
      this.signal = signal;
      this.reservoir = signal.isRate() ? new double[0] : new double[samples];
      this.random = new SplittableRandom(0x5eed + signal.ordinal());
    }

    void add(double natural) {
      double scaled = signal.toScale(natural);
      sum += scaled;
      linearSum += natural;
      if (reservoir.length > 0) {
        if (count < reservoir.length) {
          reservoir[(int) count] = scaled;
        } else {
          long slot = random.nextLong(count + 1);
          if (slot < reservoir.length) {
            reservoir[(int) slot] = scaled;
          }
        }
      }
      count++;
    }

    long count() {
      return count;
    }

    SignalBaseline freeze() {
      double[] sample = Arrays.copyOf(reservoir, (int) Math.min(count, reservoir.length));
      Arrays.sort(sample);
      return new SignalBaseline(count, sum / count, linearSum / count, sample);
    }

    void reset() {
      count = 0;
      sum = 0;
      linearSum = 0;
    }
  }
}
