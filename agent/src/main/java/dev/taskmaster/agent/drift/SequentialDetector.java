package dev.taskmaster.agent.drift;

import java.util.Arrays;

/**
 * The default detector of a continuous signal (latency, time to first token, tokens, length,
 * quality). An alarm needs a change that is both statistically clear and large enough to matter,
 * measured on the signal's scale (a log scale for durations and counts) against the frozen
 * baseline. Two tests can raise it:
 *
 * <ul>
 *   <li><b>cusum</b>: each value's mid-rank {@code u} among the baseline sample gives {@code z = (u
 *       - 1/2) * sqrt(12)}, which has mean 0 and variance at most 1 while nothing changed, whatever
 *       the signal's distribution, and never exceeds 1.73 in size: an outlier counts as much as any
 *       value above the baseline. Two one-sided CUSUMs {@code S = max(0, S + z - k)} accumulate
 *       evidence of a rise or a fall ({@code k = drift.cusum.allowance}, 0.5); evidence is clear at
 *       {@code h = drift.cusum.threshold} (25). The size of the change is the moving average
 *       ({@code drift.average.calls}, 200) minus the baseline mean; it must reach the signal's
 *       warning threshold (critical: its critical threshold) in the CUSUM's direction.
 *   <li><b>shape</b>: every {@code drift.shape.interval} (250) values, the last {@code
 *       drift.shape.window} (500) values are compared with the baseline sample by a two-sample
 *       Kolmogorov-Smirnov test, clear below {@code drift.shape.alpha} (1e-6), and their
 *       Wasserstein-1 distance, which must reach the warning threshold. This catches a change of
 *       spread or a new mode (say, a tenth of the calls become slow) that leaves the average nearly
 *       where it was.
 * </ul>
 *
 * <p>Why these defaults: with k = 0.5, h = 25 and the bounded rank score, an unchanged signal
 * reaches h about once in 10^8 values, and a shift of one baseline spread crosses it in about 30
 * values, a threefold latency in under 20. Thresholds are in natural terms (25 % and 50 % for
 * durations, tokens and length; 0.05 and 0.1 for the score), not in units of the baseline's spread,
 * because a change of a few percent in a very steady signal is clear but does not matter. The
 * Wasserstein distance is in the same terms, so both tests measure "how much" alike. The cost per
 * value is a binary search in the baseline sample (about 10 comparisons) and O(1) arithmetic; every
 * {@code drift.shape.interval} values a sort of the window (amortized a few hundred nanoseconds).
 * Memory is fixed: the baseline sample and the window.
 *
 * <p>An episode resolves when the moving average is back within half the warning threshold (and the
 * last shape check no longer shows a clear difference of that size) for {@code drift.resolve.calls}
 * values; the CUSUMs then restart from zero.
 */
final class SequentialDetector extends SignalDetector {

  private static final double SQRT_12 = Math.sqrt(12);

  private final double allowance;
  private final double threshold;
  private final double weight;
  private final double minWarning;
  private final double minCritical;
  private final double resolveFraction;
  private double warning;
  private double critical;
  private double resolveBelow;
  private final double[] window;
  private final double[] sorted;
  private final double logAlpha;

  private double[] sample;
  private double mean;
  private double average;
  private double rising;
  private double falling;
  private int windowNext;
  private int windowCount;
  private int sinceShapeCheck;
  private double shapeEvidence;
  private double shapeDistance;

  SequentialDetector(DriftSignal signal, DriftSettings settings) {
    super(signal, settings);
    allowance = settings.cusumAllowance;
    threshold = settings.cusumThreshold;
    weight = 2.0 / (settings.averageCalls + 1);
    minWarning = settings.warningOnScale(signal);
    minCritical = settings.criticalOnScale(signal);
    resolveFraction = settings.resolveFraction;
    window = new double[settings.shapeWindow];
    sorted = new double[settings.shapeWindow];
    logAlpha = Math.log(settings.shapeAlpha);
  }

  @Override
  void start(SignalBaseline baseline) {
    sample = baseline.sample;
    mean = baseline.mean;
    // Noise of (moving average - baseline mean) while nothing changes, bursts included.
    double noise =
        Math.sqrt(baseline.longRunVariance * (weight / (2 - weight) + 1.0 / baseline.count));
    warning = Math.max(minWarning, settings.noiseMargin * noise);
    critical = Math.max(minCritical, warning);
    resolveBelow = warning * resolveFraction;
    average = mean;
    rising = 0;
    falling = 0;
    windowNext = 0;
    windowCount = 0;
    sinceShapeCheck = 0;
    shapeEvidence = 0;
    shapeDistance = 0;
  }

  @Override
  void update(double value) {
    double x = signal.toScale(value);
    double z = (midRank(x) - 0.5) * SQRT_12;
    rising = Math.max(0, rising + z - allowance);
    falling = Math.max(0, falling - z - allowance);
    average += weight * (x - average);
    window[windowNext] = x;
    windowNext = windowNext + 1 == window.length ? 0 : windowNext + 1;
    if (windowCount < window.length) {
      windowCount++;
    }
    if (++sinceShapeCheck >= settings.shapeInterval && windowCount == window.length) {
      sinceShapeCheck = 0;
      checkShape();
    }
    assess();
  }

  private void assess() {
    double change = average - mean;
    double size = Math.abs(change);
    double evidence = (change >= 0 ? rising : falling) / threshold;
    double shapeClear = shapeEvidence;
    DriftStatus bySequence = severity(evidence, size);
    DriftStatus byShape = severity(shapeClear, shapeDistance);
    score =
        Math.max(
            Math.min(evidence, size / critical), Math.min(shapeClear, shapeDistance / critical));
    if (byShape.compareTo(bySequence) > 0) {
      candidate = byShape;
      trigger = "shape";
    } else {
      candidate = bySequence;
      trigger = "cusum";
    }
    calm = size < resolveBelow && !(shapeClear >= 1 && shapeDistance >= resolveBelow);
  }

  /** Severity of a change of this size with this much evidence (1 is clear). */
  private DriftStatus severity(double evidence, double size) {
    if (evidence < 1 || size < warning) {
      return DriftStatus.OK;
    }
    return size >= critical ? DriftStatus.CRITICAL : DriftStatus.WARNING;
  }

  @Override
  void endEpisode() {
    rising = 0;
    falling = 0;
  }

  @Override
  double baselineValue() {
    return signal.fromScale(mean);
  }

  @Override
  double currentValue() {
    return signal.fromScale(average);
  }

  /** The share of baseline values below x, counting ties as half. */
  private double midRank(double x) {
    double[] s = sample;
    int below = lowerBound(s, x);
    int notAbove = below;
    while (notAbove < s.length && s[notAbove] == x) {
      notAbove++;
    }
    return (below + notAbove) * 0.5 / s.length;
  }

  private static int lowerBound(double[] s, double x) {
    int lo = 0;
    int hi = s.length;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (s[mid] < x) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }

  private void checkShape() {
    System.arraycopy(window, 0, sorted, 0, window.length);
    Arrays.sort(sorted);
    ShapeComparison.Result result = ShapeComparison.compare(sample, sorted);
    shapeEvidence = result.logPValue / logAlpha;
    shapeDistance = result.wasserstein;
  }
}
