package dev.taskmaster.agent.drift;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Drift detection for one signal: learns a baseline from the warm-up, then compares each value with
 * it and turns the comparison into episodes. An episode starts when a subclass reports an alarm,
 * may escalate once from warning to critical, and resolves when the subclass reports calm for
 * {@code drift.resolve.calls} values in a row; in between nothing else is raised, so a signal
 * hovering at a threshold cannot flap.
 *
 * <p>Updated from one thread; the exported values are published for the scraping thread.
 */
abstract class SignalDetector {

  private static final int STATUS = 0;
  private static final int SCORE = 1;
  private static final int BASELINE = 2;
  private static final int CURRENT = 3;

  final DriftSignal signal;
  final DriftSettings settings;
  private final SignalBaseline.Learner learner;
  private final AtomicLongArray published = new AtomicLongArray(4);
  private final Double configured;
  private SignalBaseline learned;
  private boolean collecting;
  private boolean comparing;
  private long observations;
  private DriftStatus episode = DriftStatus.OK;
  private String episodeTrigger;
  private int calmValues;
  private boolean frozeNow;

  /** Set by {@link #update}: what the latest value says. */
  DriftStatus candidate = DriftStatus.OK;

  /** Set by {@link #update}: which test raised the candidate. */
  String trigger;

  /** Set by {@link #update}: the drift score, 1 at the critical threshold. */
  double score;

  /** Set by {@link #update}: whether the signal is back near its baseline. */
  boolean calm = true;

  SignalDetector(DriftSignal signal, DriftSettings settings) {
    this.signal = signal;
    this.settings = settings;
    this.learner =
        new SignalBaseline.Learner(signal, settings.baselineSamples, settings.warmup(signal));
    this.configured = settings.baselineValues.get(signal);
    publish(DriftStatus.LEARNING, 0, Double.NaN, Double.NaN);
  }

  /**
   * Starts learning, or, with a configured baseline value, compares from the first value on: the
   * status is never {@link DriftStatus#LEARNING} then. Called once the subclass is constructed, and
   * again by {@link #relearn}.
   */
  final void begin() {
    learned = null;
    learner.reset();
    episode = DriftStatus.OK;
    if (configured == null) {
      collecting = true;
      comparing = false;
      publish(DriftStatus.LEARNING, 0, Double.NaN, Double.NaN);
    } else {
      collecting = !startConfigured(configured);
      comparing = true;
      publish(DriftStatus.OK, 0, baselineValue(), currentValue());
    }
  }

  /** Starts comparing against this baseline (configured values already applied). */
  abstract void start(SignalBaseline baseline);

  /**
   * Starts comparing against a configured baseline value (natural units) before anything is
   * learned.
   *
   * @return whether that is all this detector needs; {@code false} to go on learning the spread and
   *     shape from the warm-up, which then {@link #start} with the configured center
   */
  abstract boolean startConfigured(double value);

  /** Takes one value in natural units and sets the assessment fields. */
  abstract void update(double value);

  /** The baseline in natural units. */
  abstract double baselineValue();

  /** The current value in natural units. */
  abstract double currentValue();

  /** Forgets the evidence gathered for the episode that just ended. */
  abstract void endEpisode();

  /** Uses a baseline learned earlier (read from the baseline file). */
  final void load(SignalBaseline saved) {
    learned = saved;
    collecting = false;
    comparing = true;
    start(effective(saved));
    publish(DriftStatus.OK, 0, baselineValue(), currentValue());
  }

  /**
   * Takes one value in natural units.
   *
   * @return the alarm, escalation or resolution it caused, or {@code null}
   */
  final DriftEvent observe(double value) {
    observations++;
    frozeNow = false;
    if (collecting) {
      learner.add(value);
      if (learner.count() >= settings.warmup(signal)) {
        collecting = false;
        learned = learner.freeze();
        frozeNow = true;
        start(effective(learned));
        if (!comparing) {
          comparing = true;
          publish(DriftStatus.OK, 0, baselineValue(), currentValue());
          return null;
        }
      }
    }
    if (!comparing) {
      return null;
    }
    update(value);
    DriftEvent event = null;
    if (episode == DriftStatus.OK) {
      if (candidate.isAlarm()) {
        episode = candidate;
        episodeTrigger = trigger;
        calmValues = 0;
        event = event(false, false);
      }
    } else if (candidate == DriftStatus.CRITICAL && episode == DriftStatus.WARNING) {
      episode = DriftStatus.CRITICAL;
      episodeTrigger = trigger;
      calmValues = 0;
      event = event(false, true);
    } else if (!calm) {
      calmValues = 0;
    } else if (++calmValues >= settings.resolveCalls) {
      event = event(true, false);
      episode = DriftStatus.OK;
      endEpisode();
    }
    publish(episode, score, baselineValue(), currentValue());
    return event;
  }

  /**
   * Drops the baseline and learns again (a configured value stays, and only the spread and shape
   * are learned again).
   *
   * @return the resolution of an open episode, or {@code null}
   */
  final DriftEvent relearn() {
    DriftEvent event = episode.isAlarm() && comparing ? event(true, false) : null;
    endEpisode();
    begin();
    return event;
  }

  /** Whether the last {@link #observe} froze the baseline. */
  final boolean frozeNow() {
    return frozeNow;
  }

  /** The learned baseline (before configured values), or {@code null} while learning. */
  final SignalBaseline learned() {
    return learned;
  }

  final DriftStatus status() {
    return DriftStatus.values()[(int) published.get(STATUS) + 1];
  }

  final double publishedScore() {
    return Double.longBitsToDouble(published.get(SCORE));
  }

  final double publishedBaseline() {
    return Double.longBitsToDouble(published.get(BASELINE));
  }

  final double publishedCurrent() {
    return Double.longBitsToDouble(published.get(CURRENT));
  }

  private SignalBaseline effective(SignalBaseline baseline) {
    return configured == null ? baseline : baseline.centeredOn(signal, configured);
  }

  private DriftEvent event(boolean resolved, boolean escalation) {
    return new DriftEvent(
        signal,
        settings.method,
        episodeTrigger,
        episode,
        resolved,
        escalation,
        baselineValue(),
        currentValue(),
        observations);
  }

  private void publish(DriftStatus status, double score, double baseline, double current) {
    // Release stores: the scraping thread sees whole values, at no fence cost on this thread.
    published.lazySet(STATUS, status.value());
    published.lazySet(SCORE, Double.doubleToRawLongBits(score));
    published.lazySet(BASELINE, Double.doubleToRawLongBits(baseline));
    published.lazySet(CURRENT, Double.doubleToRawLongBits(current));
  }
}
