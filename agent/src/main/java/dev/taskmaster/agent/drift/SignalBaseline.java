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

  /**
   * The long-run variance on the comparison scale: block size times the variance of the means of
   * consecutive blocks of the warm-up (batch means). Unlike the plain variance it grows when values
   * come in bursts, so the noise of an average is not underestimated. 0 when unknown.
   */
  double longRunVariance;

  SignalBaseline() {}

  SignalBaseline(
      long count, double mean, double linearMean, double[] sample, double longRunVariance) {
    this.count = count;
    this.mean = mean;
    this.linearMean = linearMean;
    this.sample = sample;
    this.longRunVariance = longRunVariance;
  }

  /** Whether the values read from a file make sense. */
  boolean isValid(DriftSignal signal) {
    if (count <= 0
        || !Double.isFinite(mean)
        || !Double.isFinite(linearMean)
        || !(longRunVariance >= 0)
        || Double.isInfinite(longRunVariance)) {
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
    return new SignalBaseline(count, center, configured, moved, longRunVariance);
  }

  /**
   * Accumulates a baseline during the warm-up: running sums, a reservoir sample, and the means of
   * ten consecutive blocks for the long-run variance.
   */
  static final class Learner {
    private static final int BLOCKS = 10;

    private final DriftSignal signal;
    private final double[] reservoir;
    private final SplittableRandom random;
    private final int blockSize;
    private long count;
    private double sum;
    private double linearSum;
    private double blockSum;
    private int blocks;
    private double blockMeanSum;
    private double blockMeanSquares;

    Learner(DriftSignal signal, int samples, int warmup) {
      this.signal = signal;
      this.reservoir = signal.isRate() ? new double[0] : new double[samples];
      this.random = new SplittableRandom(0x5eed + signal.ordinal());
      this.blockSize = Math.max(1, warmup / BLOCKS);
    }

    void add(double natural) {
      double scaled = signal.toScale(natural);
      sum += scaled;
      linearSum += natural;
      blockSum += scaled;
      if ((count + 1) % blockSize == 0) {
        double blockMean = blockSum / blockSize;
        blocks++;
        blockMeanSum += blockMean;
        blockMeanSquares += blockMean * blockMean;
        blockSum = 0;
      }
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
      double longRunVariance = 0;
      if (blocks >= 2) {
        double mean = blockMeanSum / blocks;
        double variance = (blockMeanSquares - blocks * mean * mean) / (blocks - 1);
        longRunVariance = Math.max(0, variance) * blockSize;
      }
      return new SignalBaseline(count, sum / count, linearSum / count, sample, longRunVariance);
    }

    void reset() {
      count = 0;
      sum = 0;
      linearSum = 0;
      blockSum = 0;
      blocks = 0;
      blockMeanSum = 0;
      blockMeanSquares = 0;
    }
  }
}
