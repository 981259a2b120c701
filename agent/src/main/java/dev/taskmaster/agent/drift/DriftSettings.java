package dev.taskmaster.agent.drift;

import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;

/**
 * Immutable settings of drift detection. Every builder method names its configuration key and its
 * default; the defaults, and why, are described on {@link SequentialDetector} and {@link
 * RateDetector}.
 *
 * <p>Change thresholds are in each signal's natural terms: for latency, time to first token, output
 * tokens and response length a relative change (0.25 means 25 % more, or 20 % less: the same factor
 * on a log scale); for the quality score an absolute difference; for event rates an absolute
 * increase (0.02 means two percentage points more).
 */
public final class DriftSettings {

  private static final DriftSettings DEFAULTS = builder().build();

  final DriftMethod method;
  final int warmup;
  final int rateWarmup;
  final Path baselineFile;
  final Map<DriftSignal, Double> baselineValues;
  final boolean relearnOnStart;
  final int baselineSamples;
  final double[] warningChange;
  final double[] criticalChange;
  final double noiseMargin;
  final double cusumAllowance;
  final double cusumThreshold;
  final double rateThreshold;
  final double rateConfidence;
  final int averageCalls;
  final int rateAverageCalls;
  final int shapeInterval;
  final int shapeWindow;
  final double shapeAlpha;
  final double resolveFraction;
  final int resolveCalls;
  final int deviationWindow;
  final double deviationWarning;
  final double deviationCritical;

  private DriftSettings(Builder b) {
    method = b.method;
    warmup = b.warmup;
    rateWarmup = b.rateWarmup;
    baselineFile = b.baselineFile;
    baselineValues = Map.copyOf(b.baselineValues);
    relearnOnStart = b.relearnOnStart;
    baselineSamples = b.baselineSamples;
    warningChange = b.warningChange.clone();
    criticalChange = b.criticalChange.clone();
    noiseMargin = b.noiseMargin;
    cusumAllowance = b.cusumAllowance;
    cusumThreshold = b.cusumThreshold;
    rateThreshold = b.rateThreshold;
    rateConfidence = b.rateConfidence;
    averageCalls = b.averageCalls;
    rateAverageCalls = b.rateAverageCalls;
    shapeInterval = b.shapeInterval;
    shapeWindow = b.shapeWindow;
    shapeAlpha = b.shapeAlpha;
    resolveFraction = b.resolveFraction;
    resolveCalls = b.resolveCalls;
    deviationWindow = b.deviationWindow;
    deviationWarning = b.deviationWarning;
    deviationCritical = b.deviationCritical;
    for (DriftSignal signal : DriftSignal.all()) {
      if (criticalChange[signal.ordinal()] < warningChange[signal.ordinal()]) {
        throw new IllegalArgumentException(
            "drift.threshold."
                + signal.label()
                + ".critical must not be below its warning, got "
                + criticalChange[signal.ordinal()]
                + " < "
                + warningChange[signal.ordinal()]);
      }
    }
  }

  public static DriftSettings defaults() {
    return DEFAULTS;
  }

  public static Builder builder() {
    return new Builder();
  }

  public DriftMethod method() {
    return method;
  }

  public int warmup() {
    return warmup;
  }

  public int rateWarmup() {
    return rateWarmup;
  }

  /** The warm-up of a signal: {@link #rateWarmup()} for event rates, else {@link #warmup()}. */
  public int warmup(DriftSignal signal) {
    return signal.isRate() ? rateWarmup : warmup;
  }

  /** The baseline file, or {@code null} when the baseline is not saved. */
  public Path baselineFile() {
    return baselineFile;
  }

  /** A builder holding these settings, to change a few. */
  public Builder toBuilder() {
    return new Builder(this);
  }

  /** The warning change of a signal, on its comparison scale. */
  double warningOnScale(DriftSignal signal) {
    return onScale(signal, warningChange[signal.ordinal()]);
  }

  /** The critical change of a signal, on its comparison scale. */
  double criticalOnScale(DriftSignal signal) {
    return onScale(signal, criticalChange[signal.ordinal()]);
  }

  private static double onScale(DriftSignal signal, double change) {
    switch (signal.scale()) {
      case LOG:
      case LOG_COUNT:
        return Math.log1p(change);
      default:
        return change;
    }
  }

  /** Builds {@link DriftSettings}. */
  public static final class Builder {
    private DriftMethod method = DriftMethod.SEQUENTIAL;
    private int warmup = 500;
    private int rateWarmup = 3000;
    private Path baselineFile;
    private final Map<DriftSignal, Double> baselineValues = new EnumMap<>(DriftSignal.class);
    private boolean relearnOnStart;
    private int baselineSamples = 1000;
    private final double[] warningChange = new double[DriftSignal.all().length];
    private final double[] criticalChange = new double[DriftSignal.all().length];
    private double noiseMargin = 4;
    private double cusumAllowance = 0.5;
    private double cusumThreshold = 25;
    private double rateThreshold = 7;
    private double rateConfidence = 3;
    private int averageCalls = 500;
    private int rateAverageCalls = 300;
    private int shapeInterval = 250;
    private int shapeWindow = 500;
    private double shapeAlpha = 1e-6;
    private double resolveFraction = 0.5;
    private int resolveCalls = 50;
    private int deviationWindow = 100;
    private double deviationWarning = 0.15;
    private double deviationCritical = 0.30;

    private Builder() {
      for (DriftSignal signal : DriftSignal.all()) {
        switch (signal.scale()) {
          case LOG:
          case LOG_COUNT:
            thresholds(signal, 0.25, 0.5);
            break;
          case LINEAR:
            thresholds(signal, 0.05, 0.10);
            break;
          default:
            thresholds(signal, 0.02, 0.05);
        }
      }
    }

    private Builder(DriftSettings s) {
      method = s.method;
      warmup = s.warmup;
      rateWarmup = s.rateWarmup;
      baselineFile = s.baselineFile;
      baselineValues.putAll(s.baselineValues);
      relearnOnStart = s.relearnOnStart;
      baselineSamples = s.baselineSamples;
      System.arraycopy(s.warningChange, 0, warningChange, 0, warningChange.length);
      System.arraycopy(s.criticalChange, 0, criticalChange, 0, criticalChange.length);
      noiseMargin = s.noiseMargin;
      cusumAllowance = s.cusumAllowance;
      cusumThreshold = s.cusumThreshold;
      rateThreshold = s.rateThreshold;
      rateConfidence = s.rateConfidence;
      averageCalls = s.averageCalls;
      rateAverageCalls = s.rateAverageCalls;
      shapeInterval = s.shapeInterval;
      shapeWindow = s.shapeWindow;
      shapeAlpha = s.shapeAlpha;
      resolveFraction = s.resolveFraction;
      resolveCalls = s.resolveCalls;
      deviationWindow = s.deviationWindow;
      deviationWarning = s.deviationWarning;
      deviationCritical = s.deviationCritical;
    }

    /** {@code drift.method}: {@code sequential} (default) or {@code deviation}. */
    public Builder method(DriftMethod value) {
      method = value;
      return this;
    }

    /**
     * {@code drift.warmup}: values of a signal learned before its baseline is frozen. Default 500:
     * enough for the median of a log-latency to be known within about 5 % of its spread, few enough
     * that a new deployment is watched within minutes of traffic.
     */
    public Builder warmup(int calls) {
      positive("drift.warmup", calls);
      warmup = calls;
      return this;
    }

    /**
     * {@code drift.rate.warmup}: values of an event rate learned before its baseline is frozen.
     * Default 3000: a rate of 1 % is known to within about 0.18 points (one standard error) after
     * 3000 calls, but only to within 0.45 after 500, and the alarm threshold (2 points) has to
     * leave room for that uncertainty.
     */
    public Builder rateWarmup(int calls) {
      positive("drift.rate.warmup", calls);
      rateWarmup = calls;
      return this;
    }

    /**
     * {@code drift.baseline.file}: where the frozen baseline is saved (JSON) and read on start, so
     * that a restart keeps it. Default none: the baseline is learned anew on every start.
     */
    public Builder baselineFile(Path file) {
      baselineFile = file;
      return this;
    }

    /**
     * {@code drift.baseline.<signal>}: a fixed baseline value, which wins over the learned and the
     * saved one; the signal is compared from its first value on and never shows {@code learning}.
     * Units are those of {@code taskmaster_drift_baseline}: latency and time to first token in
     * seconds, output tokens and response length as counts (for these four the typical value, the
     * geometric mean, which is the median of a log-normal spread; the deviation method reads it as
     * the mean), quality and satisfaction as a score from 0 to 1, event rates as a fraction from 0
     * to 1 ({@code 0.01} is 1 %). With the default method, the spread and shape of latency, tokens,
     * length and quality are still learned from the warm-up and moved onto this value; until then
     * only the moving average's distance from it is judged. Default none.
     */
    public Builder baseline(DriftSignal signal, double value) {
      if (!Double.isFinite(value) || value < 0) {
        throw new IllegalArgumentException(
            "drift.baseline." + signal.label() + " must be a finite number >= 0, got " + value);
      }
      if ((signal.isRate() || signal.scale() == DriftSignal.Scale.LINEAR) && value > 1) {
        throw new IllegalArgumentException(
            "drift.baseline." + signal.label() + " is between 0 and 1, got " + value);
      }
      baselineValues.put(signal, value);
      return this;
    }

    /**
     * {@code drift.relearn}: on start, ignore (and replace) the saved baseline. Default false. At
     * run time, {@link DriftMonitor#relearn()} does the same.
     */
    public Builder relearnOnStart(boolean value) {
      relearnOnStart = value;
      return this;
    }

    /**
     * {@code drift.baseline.samples}: values kept per signal to describe the baseline's shape (a
     * uniform sample of the warm-up when it is longer). Default 1000.
     */
    public Builder baselineSamples(int count) {
      positive("drift.baseline.samples", count);
      baselineSamples = count;
      return this;
    }

    /**
     * {@code drift.threshold.<signal>.warning} and {@code .critical}: the smallest change that
     * matters, and the one that is critical (see the class comment for units). Defaults: 0.25 and
     * 0.5 for latency, time to first token, tokens and length; 0.05 and 0.10 for quality; 0.02 and
     * 0.05 for event rates.
     */
    public Builder thresholds(DriftSignal signal, double warning, double critical) {
      if (!(warning > 0) || !(critical > 0)) {
        throw new IllegalArgumentException(
            "drift.threshold." + signal.label() + " values must be positive, got " + warning);
      }
      warningChange[signal.ordinal()] = warning;
      criticalChange[signal.ordinal()] = critical;
      return this;
    }

    /**
     * {@code drift.noise.margin}: for latency, time to first token, tokens, length and quality, a
     * change must also reach this many standard errors of (moving average - baseline), estimated by
     * batch means from the warm-up and then from the live traffic, so that bursts and
     * autocorrelation count; for event rates, this many standard deviations of the rate's moving
     * average. On bursty traffic the smallest change that alarms grows above the warning threshold.
     * Default 4.
     */
    public Builder noiseMargin(double value) {
      noiseMargin = value;
      return this;
    }

    /**
     * {@code drift.cusum.allowance}: the shift, in standard units of the baseline's rank, that the
     * CUSUM ignores. Default 0.5.
     */
    public Builder cusumAllowance(double value) {
      cusumAllowance = value;
      return this;
    }

    /** {@code drift.cusum.threshold}: the CUSUM level that is clear evidence. Default 25. */
    public Builder cusumThreshold(double value) {
      cusumThreshold = value;
      return this;
    }

    /**
     * {@code drift.rate.threshold}: the log-likelihood ratio of the event-rate CUSUM that is clear
     * evidence. Default 7: against the conservative reference below, a chance cluster of events at
     * the usual rate reaches it less than once in 10^7 calls.
     */
    public Builder rateThreshold(double value) {
      rateThreshold = value;
      return this;
    }

    /**
     * {@code drift.rate.confidence}: the event-rate CUSUM compares against the upper end of this
     * many standard errors (Wilson) above the learned rate, so that a warm-up that saw few events
     * by chance does not raise alarms later. Default 3: with 2, one warm-up in 40 learns a rate so
     * low that chance clusters of events at the usual rate start to look like rises.
     */
    public Builder rateConfidence(double z) {
      rateConfidence = z;
      return this;
    }

    /**
     * {@code drift.average.calls}: the span of the moving average (exponential, weight 2 / (span +
     * 1)) that measures the current value and the size of a change of latency, time to first token,
     * tokens, length and quality. Default 500: a burst of load of 40 calls at three times the
     * latency moves it by less than the warning threshold, while a threefold step crosses that
     * threshold within about 60 calls.
     */
    public Builder averageCalls(int calls) {
      positive("drift.average.calls", calls);
      averageCalls = calls;
      return this;
    }

    /**
     * {@code drift.rate.average.calls}: the same for event rates. Default 300: long enough that a
     * chance cluster of a few rare events does not move the average by the warning threshold, short
     * enough that five percent of empty answers cross it within about 120 calls.
     */
    public Builder rateAverageCalls(int calls) {
      positive("drift.rate.average.calls", calls);
      rateAverageCalls = calls;
      return this;
    }

    /**
     * {@code drift.shape.interval} and {@code drift.shape.window}: every {@code interval} values,
     * the last {@code window} values are compared with the baseline's sample. Default 250 and 500.
     */
    public Builder shape(int interval, int window) {
      positive("drift.shape.interval", interval);
      positive("drift.shape.window", window);
      shapeInterval = interval;
      shapeWindow = window;
      return this;
    }

    /**
     * {@code drift.shape.alpha}: the Kolmogorov-Smirnov p-value below which a shape difference is
     * clear. Default 1e-6: the check runs thousands of times a day per signal.
     */
    public Builder shapeAlpha(double alpha) {
      shapeAlpha = alpha;
      return this;
    }

    /**
     * {@code drift.resolve.fraction} and {@code drift.resolve.calls}: an alarm resolves after the
     * change stays below this fraction of the warning threshold for this many values in a row.
     * Default 0.5 and 50.
     */
    public Builder resolve(double fraction, int calls) {
      positive("drift.resolve.calls", calls);
      resolveFraction = fraction;
      resolveCalls = calls;
      return this;
    }

    /**
     * {@code drift.deviation.window}, {@code drift.deviation.warning} and {@code
     * drift.deviation.critical}: the original method's window and relative deviations. Default 100,
     * 0.15, 0.30.
     */
    public Builder deviation(int window, double warning, double critical) {
      positive("drift.deviation.window", window);
      deviationWindow = window;
      deviationWarning = warning;
      deviationCritical = critical;
      return this;
    }

    public DriftSettings build() {
      return new DriftSettings(this);
    }

    private static void positive(String key, int value) {
      if (value <= 0) {
        throw new IllegalArgumentException(key + " must be positive, got " + value);
      }
    }
  }
}
