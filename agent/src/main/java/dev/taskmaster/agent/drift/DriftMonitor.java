package dev.taskmaster.agent.drift;

import dev.taskmaster.agent.util.AgentLog;
import io.prometheus.metrics.config.PrometheusProperties;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.ToDoubleFunction;

/**
 * Watches the distribution of each {@link DriftSignal} for a lasting change against a frozen
 * baseline, raises one alarm per episode and exports the state.
 *
 * <p>One state per signal for the whole JVM, not per endpoint and model: the memory stays fixed
 * (about 20 KB per continuous signal) whatever the traffic, every signal leaves its warm-up after
 * the same number of calls, and the question it answers is whether the application's model traffic
 * changed; the per-endpoint quality metrics show where. A change in the traffic's mix (a new batch
 * job on another model, say) is a change of the distributions too, and is reported.
 *
 * <p>Baseline: a value configured with {@code drift.baseline.<signal>} wins; otherwise the first
 * {@code drift.warmup} values of each signal ({@code drift.rate.warmup} for event rates) are
 * learned, then frozen and saved to {@code drift.baseline.file} when set, which is read again on
 * the next start. {@link #relearn()} drops it. While a signal learns, its status is {@link
 * DriftStatus#LEARNING}.
 *
 * <p>Metrics (prefix {@code taskmaster}): {@code taskmaster_drift_score{signal}} (1 is the critical
 * threshold), {@code taskmaster_drift_status{signal}} (-1 learning, 0 ok, 1 warning, 2 critical),
 * {@code taskmaster_drift_baseline{signal}}, {@code taskmaster_drift_current{signal}} (natural
 * units: seconds, tokens, characters, score, rate), {@code
 * taskmaster_drift_alarms_total{signal,severity}} and {@code
 * taskmaster_drift_listener_errors_total}.
 *
 * <p>{@link #observe} must be called from one thread (the agent's background thread); the other
 * methods from any thread.
 */
public final class DriftMonitor {

  private static final long ALL_SIGNALS = (1L << DriftSignal.all().length) - 1;

  private final DriftSettings settings;
  private final DriftEventListener listener;
  private final SignalDetector[] bySignal = new SignalDetector[DriftSignal.all().length];
  private final Counter alarms;
  private final Counter listenerErrors;

  /** Bits of the signals ({@code 1 << ordinal}) whose re-learning was asked for. */
  private final AtomicLong relearnRequested = new AtomicLong();

  private boolean saveFailureLogged;

  /**
   * Creates the detectors, reads the saved baseline (unless {@code drift.relearn}) and registers
   * the metrics.
   *
   * @param prefix metric name prefix, without a trailing underscore
   * @param listener receives alarms and resolutions; {@link DriftEventListener#LOGGING} logs them
   */
  public DriftMonitor(
      DriftSettings settings,
      PrometheusRegistry registry,
      String prefix,
      DriftEventListener listener) {
    this.settings = settings;
    this.listener = listener;
    for (DriftSignal signal : DriftSignal.all()) {
      SignalDetector detector = newDetector(signal);
      detector.begin();
      bySignal[signal.ordinal()] = detector;
    }
    if (settings.baselineFile != null) {
      if (settings.relearnOnStart) {
        deleteBaselineFile();
      } else {
        loadBaselineFile();
      }
    }
    PrometheusProperties properties = PrometheusProperties.builder().build();
    gauge(
        properties,
        registry,
        prefix + "_drift_score",
        "Drift score per signal: 1 is the critical threshold.",
        SignalDetector::publishedScore);
    gauge(
        properties,
        registry,
        prefix + "_drift_status",
        "Drift status per signal: -1 learning, 0 ok, 1 warning, 2 critical.",
        detector -> detector.status().value());
    gauge(
        properties,
        registry,
        prefix + "_drift_baseline",
        "Frozen baseline per signal, in natural units (seconds, tokens, characters, score, rate).",
        SignalDetector::publishedBaseline);
    gauge(
        properties,
        registry,
        prefix + "_drift_current",
        "Current value per signal (a moving average), in the baseline's units.",
        SignalDetector::publishedCurrent);
    alarms =
        Counter.builder(properties)
            .name(prefix + "_drift_alarms")
            .help("Drift alarms and escalations, by signal and severity.")
            .labelNames("signal", "severity")
            .withoutExemplars()
            .register(registry);
    listenerErrors =
        Counter.builder(properties)
            .name(prefix + "_drift_listener_errors")
            .help("Exceptions thrown by the drift event listener.")
            .withoutExemplars()
            .register(registry);
  }

  /**
   * Creates a monitor whose metrics go to a registry of its own that nothing exports: for tools,
   * tests and benchmarks that only need the events and the state.
   */
  public DriftMonitor(DriftSettings settings, DriftEventListener listener) {
    this(settings, new PrometheusRegistry(), "taskmaster", listener);
  }

  /**
   * Takes one value of a signal, in natural units: seconds, tokens, characters, the score, or 1 for
   * an event and 0 for its absence. O(1) but for the periodic shape check.
   */
  public void observe(DriftSignal signal, double value) {
    if (relearnRequested.get() != 0) {
      applyRelearn();
    }
    SignalDetector detector = bySignal[signal.ordinal()];
    DriftEvent event = detector.observe(value);
    if (detector.frozeNow()) {
      saveBaselineFile();
    }
    if (event != null) {
      if (!event.resolved) {
        alarms.labelValues(signal.label(), event.severity.name().toLowerCase(Locale.ROOT)).inc();
      }
      dispatch(event);
    }
  }

  /**
   * Drops every signal's baseline, and the baseline file, and learns a new one from the next {@code
   * drift.warmup} values; an open alarm is resolved. A signal with a configured baseline keeps it
   * and learns its spread again. Takes effect at the next observed value, or at {@link
   * #applyRelearn}, on the observing thread; callable from any thread (an HTTP endpoint, say).
   */
  public void relearn() {
    relearnRequested.set(ALL_SIGNALS);
  }

  /** Like {@link #relearn()}, for one signal; the others, and their saved baselines, stay. */
  public void relearn(DriftSignal signal) {
    relearnRequested.getAndUpdate(bits -> bits | 1L << signal.ordinal());
  }

  /**
   * Carries out the re-learning asked for by {@link #relearn} now rather than at the next value.
   * Must be called on the thread that calls {@link #observe}.
   */
  public void applyRelearn() {
    long requested = relearnRequested.getAndSet(0);
    if (requested == 0) {
      return;
    }
    for (SignalDetector detector : bySignal) {
      if ((requested & 1L << detector.signal.ordinal()) != 0) {
        DriftEvent resolution = detector.relearn();
        if (resolution != null) {
          dispatch(resolution);
        }
      }
    }
    if (settings.baselineFile != null) {
      if (requested == ALL_SIGNALS) {
        deleteBaselineFile();
      } else {
        saveBaselineFile();
      }
    }
    AgentLog.info(
        "drift baseline dropped ("
            + (requested == ALL_SIGNALS ? "all signals" : Long.bitCount(requested) + " signal")
            + "); learning from the next "
            + settings.warmup
            + " calls ("
            + settings.rateWarmup
            + " for event rates)");
  }

  /** The status of a signal. */
  public DriftStatus status(DriftSignal signal) {
    return bySignal[signal.ordinal()].status();
  }

  /** The drift score of a signal: 1 is the critical threshold. */
  public double score(DriftSignal signal) {
    return bySignal[signal.ordinal()].publishedScore();
  }

  /** The baseline of a signal in natural units, NaN while learning. */
  public double baseline(DriftSignal signal) {
    return bySignal[signal.ordinal()].publishedBaseline();
  }

  /** The current value of a signal in natural units, NaN while learning. */
  public double current(DriftSignal signal) {
    return bySignal[signal.ordinal()].publishedCurrent();
  }

  public DriftSettings settings() {
    return settings;
  }

  private SignalDetector newDetector(DriftSignal signal) {
    if (settings.method == DriftMethod.DEVIATION) {
      return new DeviationDetector(signal, settings);
    }
    return signal.isRate()
        ? new RateDetector(signal, settings)
        : new SequentialDetector(signal, settings);
  }

  private void dispatch(DriftEvent event) {
    try {
      listener.onDriftEvent(event);
    } catch (RuntimeException failure) {
      listenerErrors.inc();
    }
  }

  private void loadBaselineFile() {
    Path file = settings.baselineFile;
    try {
      Map<DriftSignal, SignalBaseline> saved = BaselineStore.load(file);
      for (Map.Entry<DriftSignal, SignalBaseline> entry : saved.entrySet()) {
        bySignal[entry.getKey().ordinal()].load(entry.getValue());
      }
    } catch (IOException | RuntimeException unreadable) {
      AgentLog.warn(
          "drift.baseline.file="
              + file
              + " could not be read ("
              + unreadable.getMessage()
              + "); learning a new baseline, which will replace it");
    }
  }

  private void saveBaselineFile() {
    Path file = settings.baselineFile;
    if (file == null) {
      return;
    }
    Map<DriftSignal, SignalBaseline> learned = new EnumMap<>(DriftSignal.class);
    for (SignalDetector detector : bySignal) {
      if (detector.learned() != null) {
        learned.put(detector.signal, detector.learned());
      }
    }
    try {
      BaselineStore.save(file, learned);
    } catch (IOException | RuntimeException failure) {
      if (!saveFailureLogged) {
        saveFailureLogged = true;
        AgentLog.warn(
            "drift.baseline.file="
                + file
                + " could not be written ("
                + failure
                + "); the baseline will be learned again after a restart");
      }
    }
  }

  private void deleteBaselineFile() {
    try {
      Files.deleteIfExists(settings.baselineFile);
    } catch (IOException | RuntimeException failure) {
      AgentLog.warn(
          "drift.baseline.file="
              + settings.baselineFile
              + " could not be deleted ("
              + failure
              + ")");
    }
  }

  private void gauge(
      PrometheusProperties properties,
      PrometheusRegistry registry,
      String name,
      String help,
      ToDoubleFunction<SignalDetector> value) {
    GaugeWithCallback.builder(properties)
        .name(name)
        .help(help)
        .labelNames("signal")
        .callback(
            callback -> {
              for (SignalDetector detector : bySignal) {
                callback.call(value.applyAsDouble(detector), detector.signal.label());
              }
            })
        .register(registry);
  }
}
