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
 *       ({@code drift.average.calls}, 500) minus the baseline mean; it must reach the signal's
 *       warning threshold (critical: its critical threshold) in the CUSUM's direction, and {@code
 *       drift.noise.margin} (4) standard errors of that difference.
 *   <li><b>shape</b>: every {@code drift.shape.interval} (250) values, the last {@code
 *       drift.shape.window} (500) values are compared with the baseline sample by a two-sample
 *       Kolmogorov-Smirnov test, clear below {@code drift.shape.alpha} (1e-6), and their
 *       Wasserstein-1 distance, which must reach the same size. This catches a change of spread or
 *       a new mode (say, a quarter of the calls become four times slower) that moves the average
 *       less than the CUSUM needs.
 * </ul>
 *
 * <p>Why these defaults. With k = 0.5 and h = 25 an unchanged signal of independent values reaches
 * h far less than once in 10^8 values (Siegmund's approximation gives about 10^11, and still about
 * 10^9 when the baseline's median is off by three standard errors), while a shift of one baseline
 * spread crosses it in about 60 values. Thresholds are in natural terms (25 % and 50 % for
 * durations, tokens and length; 0.05 and 0.1 for the score), not in units of the baseline's spread,
 * because a change of a few percent in a very steady signal is clear but does not matter; the
 * Wasserstein distance is in the same terms, so both tests measure "how much" alike. Real traffic
 * is not independent: bursts of load make latency rise together for tens of calls. The standard
 * error of (moving average - baseline) therefore comes from batch means (the variance of the means
 * of consecutive blocks, times the block size), which grows with such bursts: from ten blocks of
 * the warm-up first, then followed on the live traffic over blocks of half the average's span (from
 * successive differences, so that the change being detected barely counts), since a warm-up that
 * fell in a quiet spell would underestimate it; it only ever raises the thresholds. The span of 500
 * keeps one burst of 40 calls at three times the latency below the warning threshold, while a
 * threefold step still alarms within about 80 calls (see the drift benchmark in {@code
 * benchmarks/}).
 *
 * <p>Cost per value: a binary search in the baseline sample (about 10 comparisons) and O(1)
 * arithmetic; every {@code drift.shape.interval} values a sort of the window. Memory is fixed: the
 * baseline sample and the window (about 20 KB).
 *
 * <p>An episode resolves when the moving average is back within half the warning threshold (and the
 * last shape check no longer shows a clear difference of that size) for {@code drift.resolve.calls}
 * values; the CUSUMs then restart from zero.
 */
final class SequentialDetector extends SignalDetector {

  private static final double SQRT_12 = Math.sqrt(12);
  private static final double BLOCK_WEIGHT = 1.0 / 50;

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

  private final int blockSize;
  private double[] sample;
  private double mean;
  private double warmupLongRunVariance;
  private double baselineCount;
  private double blockSum;
  private int blockCount;
  private double previousBlock;
  private double blockVariance;
  private double average;
  private double rising;
  private double falling;
  private int windowNext;
  private int windowCount;
  private int sinceShapeCheck;
  private double shapeEvidence;
  private double shapeDistance;
  private boolean provisional;

  SequentialDetector(DriftSignal signal, DriftSettings settings) {
    super(signal, settings);
    allowance = settings.cusumAllowance;
    threshold = settings.cusumThreshold;
    weight = 2.0 / (settings.averageCalls + 1);
    minWarning = settings.warningOnScale(signal);
    minCritical = settings.criticalOnScale(signal);
    resolveFraction = settings.resolveFraction;
    // Blocks of half the average's span: the scale at which noise moves the moving average.
    blockSize = Math.max(1, settings.averageCalls / 2);
    window = new double[settings.shapeWindow];
    sorted = new double[settings.shapeWindow];
    logAlpha = Math.log(settings.shapeAlpha);
  }

  /**
   * A configured center with nothing learned yet: until the warm-up has given the spread and shape,
   * only the size test runs (the moving average against the configured value, at the warning and
   * critical thresholds); the moving average, which starts at the center, is the evidence.
   */
  @Override
  boolean startConfigured(double value) {
    provisional = false;
    start(new SignalBaseline(1, signal.toScale(value), value, null, 0));
    provisional = true;
    return false;
  }

  @Override
  void start(SignalBaseline baseline) {
    // Leaving the provisional start: the moving average goes on, now with the learned spread.
    double keptAverage = provisional ? average : baseline.mean;
    provisional = false;
    sample = baseline.sample;
    mean = baseline.mean;
    warmupLongRunVariance = baseline.longRunVariance;
    baselineCount = baseline.count;
    blockSum = 0;
    blockCount = 0;
    previousBlock = Double.NaN;
    blockVariance = warmupLongRunVariance / blockSize;
    setThresholds(warmupLongRunVariance);
    average = keptAverage;
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
    if (sample == null) {
      average += weight * (x - average);
      assessSize();
      return;
    }
    double z = (midRank(x) - 0.5) * SQRT_12;
    rising = Math.max(0, rising + z - allowance);
    falling = Math.max(0, falling - z - allowance);
    average += weight * (x - average);
    blockSum += x;
    if (++blockCount == blockSize) {
      updateNoise(blockSum / blockSize);
      blockSum = 0;
      blockCount = 0;
    }
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

  private void assessSize() {
    double size = Math.abs(average - mean);
    score = size / critical;
    candidate = severity(1, size);
    trigger = "size";
    calm = size < resolveBelow;
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

  /**
   * Follows the variance of block means (over the last 50 or so blocks) after the warm-up: a
   * warm-up that fell in a quiet spell underestimates how much the average of bursty traffic moves.
   * Estimated from successive differences, half the mean square of {@code block - previous block},
   * so that the change being detected (a step moves one difference, not all of them) barely
   * inflates it. Only ever raises the thresholds above what the warm-up gave.
   */
  private void updateNoise(double block) {
    if (!Double.isNaN(previousBlock)) {
      double difference = block - previousBlock;
      blockVariance += BLOCK_WEIGHT * (difference * difference / 2 - blockVariance);
      setThresholds(Math.max(warmupLongRunVariance, blockVariance * blockSize));
    }
    previousBlock = block;
  }

  /** The thresholds for a long-run variance: the configured ones, or the noise margin above. */
  private void setThresholds(double longRunVariance) {
    // Noise of (moving average - baseline mean) while nothing changes, bursts included.
    double noise = Math.sqrt(longRunVariance * (weight / (2 - weight) + 1.0 / baselineCount));
    warning = Math.max(minWarning, settings.noiseMargin * noise);
    critical = Math.max(minCritical, warning);
    resolveBelow = warning * resolveFraction;
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
    int below = bound(s, x, false);
    int notAbove = below < s.length && s[below] == x ? bound(s, x, true) : below;
    return (below + notAbove) * 0.5 / s.length;
  }

  /** The number of values below x, or not above x when {@code inclusive}. */
  private static int bound(double[] s, double x, boolean inclusive) {
    int lo = 0;
    int hi = s.length;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (s[mid] < x || inclusive && s[mid] == x) {
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
