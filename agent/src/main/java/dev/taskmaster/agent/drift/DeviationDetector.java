package dev.taskmaster.agent.drift;

import java.util.Arrays;

/**
 * The product's original drift method ({@code drift.method=deviation}), on every signal: the mean
 * of the last {@code drift.deviation.window} (100) values, in natural units, against the baseline
 * mean; a relative deviation of {@code drift.deviation.warning} (15 %) warns and {@code
 * drift.deviation.critical} (30 %) is critical. It knows nothing of noise: a rate of 1 % becomes 2
 * % with one more event in the window. Kept for comparison and for users who rely on it; the
 * episodes (one alarm, resolution at half the warning deviation) are the same as the default's.
 */
final class DeviationDetector extends SignalDetector {

  private final double[] window;
  private final double warning;
  private final double critical;
  private final double resolveBelow;
  private double baseline;
  private double sum;
  private int next;
  private int count;

  DeviationDetector(DriftSignal signal, DriftSettings settings) {
    super(signal, settings);
    window = new double[settings.deviationWindow];
    warning = settings.deviationWarning;
    critical = settings.deviationCritical;
    resolveBelow = warning * settings.resolveFraction;
  }

  @Override
  void start(SignalBaseline learned) {
    baseline = learned.linearMean;
    Arrays.fill(window, 0);
    sum = 0;
    next = 0;
    count = 0;
  }

  @Override
  boolean startConfigured(double value) {
    start(new SignalBaseline(1, value, value, new double[0], 0));
    return true;
  }

  @Override
  void update(double value) {
    sum += value - window[next];
    window[next] = value;
    if (++next == window.length) {
      next = 0;
      // Recomputed once per window so that rounding errors cannot pile up.
      sum = 0;
      for (double v : window) {
        sum += v;
      }
    }
    if (count < window.length) {
      count++;
      candidate = DriftStatus.OK;
      score = 0;
      calm = true;
      return;
    }
    double mean = sum / window.length;
    double deviation =
        baseline == 0 ? (mean == 0 ? 0 : Double.POSITIVE_INFINITY) : Math.abs(mean / baseline - 1);
    score = Math.min(deviation / critical, 1000);
    if (deviation >= critical) {
      candidate = DriftStatus.CRITICAL;
    } else if (deviation >= warning) {
      candidate = DriftStatus.WARNING;
    } else {
      candidate = DriftStatus.OK;
    }
    trigger = "deviation";
    calm = deviation < resolveBelow;
  }

  @Override
  void endEpisode() {}

  @Override
  double baselineValue() {
    return baseline;
  }

  @Override
  double currentValue() {
    return count == 0 ? Double.NaN : sum / count;
  }
}
