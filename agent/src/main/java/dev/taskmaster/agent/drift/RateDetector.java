package dev.taskmaster.agent.drift;

/**
 * The default detector of an event rate (empty, refusal, truncated, repetition, invalid JSON). Only
 * a rise alarms: fewer refusals are not a problem to page anyone about.
 *
 * <ul>
 *   <li>Evidence: a Bernoulli CUSUM, {@code S = max(0, S + log-likelihood ratio)}, of the rate
 *       {@code p1 = p0 + warning} against {@code p0}; clear at {@code drift.rate.threshold} (7).
 *       {@code p0} is not the learned rate itself but the upper end of its Wilson interval ({@code
 *       drift.rate.confidence}, 3 standard errors): a warm-up of 3000 calls (drift.rate.warmup)
 *       that saw ten refusals where twenty are usual would otherwise make every later call look
 *       like a rise.
 *   <li>Size: the moving average of the rate ({@code drift.rate.average.calls}, 300) minus {@code
 *       p0} must reach the warning threshold (2 percentage points; critical 5), and {@code
 *       drift.noise.margin} (4) standard deviations of that average at rate {@code p0}.
 * </ul>
 *
 * <p>A configured {@code drift.baseline.<signal>} is taken as exact: then {@code p0} is that rate.
 * O(1) per value; resolves when the average is back within half the warning threshold.
 */
final class RateDetector extends SignalDetector {

  private static final double MIN_RATE = 1e-4;

  private final double threshold;
  private final double weight;
  private final double minWarning;
  private final double minCritical;
  private double warning;
  private double critical;
  private double resolveBelow;

  private double learnedRate;
  private double reference;
  private double eventStep;
  private double quietStep;
  private double average;
  private double evidence;

  RateDetector(DriftSignal signal, DriftSettings settings) {
    super(signal, settings);
    threshold = settings.rateThreshold;
    weight = 2.0 / (settings.rateAverageCalls + 1);
    minWarning = settings.warningOnScale(signal);
    minCritical = settings.criticalOnScale(signal);
  }

  @Override
  void start(SignalBaseline baseline) {
    learnedRate = baseline.mean;
    reference =
        settings.baselineValues.containsKey(signal)
            ? Math.max(learnedRate, MIN_RATE)
            : wilsonUpper(learnedRate, baseline.count, settings.rateConfidence);
    reference = Math.min(reference, 0.99);
    // The moving average of rare events is lumpy: a rise must also stand out of its noise.
    double noise = Math.sqrt(reference * (1 - reference) * weight / (2 - weight));
    warning = Math.max(minWarning, settings.noiseMargin * noise);
    critical = Math.max(minCritical, warning);
    resolveBelow = warning * settings.resolveFraction;
    double alternative = Math.min(reference + minWarning, 0.999);
    eventStep = Math.log(alternative / reference);
    quietStep = Math.log((1 - alternative) / (1 - reference));
    average = learnedRate;
    evidence = 0;
  }

  @Override
  boolean startConfigured(double value) {
    start(new SignalBaseline(1, value, value, new double[0], 0));
    return true;
  }

  @Override
  void update(double value) {
    boolean event = value > 0.5;
    evidence = Math.max(0, evidence + (event ? eventStep : quietStep));
    average += weight * ((event ? 1 : 0) - average);
    // Measured from the reference, not the learned rate: a warm-up that saw too few events must
    // not make the usual rate look like a rise.
    double change = average - reference;
    double clear = evidence / threshold;
    score = Math.max(0, Math.min(clear, change / critical));
    if (clear >= 1 && change >= warning) {
      candidate = change >= critical ? DriftStatus.CRITICAL : DriftStatus.WARNING;
    } else {
      candidate = DriftStatus.OK;
    }
    trigger = "cusum";
    calm = change < resolveBelow;
  }

  @Override
  void endEpisode() {
    evidence = 0;
  }

  @Override
  double baselineValue() {
    return learnedRate;
  }

  @Override
  double currentValue() {
    return average;
  }

  /** Upper end of the Wilson score interval of a rate seen in n trials. */
  static double wilsonUpper(double rate, long n, double z) {
    double z2n = z * z / n;
    double center = rate + z2n / 2;
    double spread = z * Math.sqrt(rate * (1 - rate) / n + z2n / (4.0 * n));
    return Math.max(MIN_RATE, (center + spread) / (1 + z2n));
  }
}
