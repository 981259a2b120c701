package dev.taskmaster.agent.drift;

import static dev.taskmaster.agent.drift.ScrapedMetrics.value;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.DoubleSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DriftMonitorTest {

  private final Random random = new Random(42);
  private final List<DriftEvent> events = new ArrayList<>();
  private final PrometheusRegistry registry = new PrometheusRegistry();

  @TempDir Path directory;

  private DriftMonitor monitor(DriftSettings settings) {
    return new DriftMonitor(settings, registry, "taskmaster", events::add);
  }

  /** Latency around one second, spread like a real service's: log-normal, sigma 0.4. */
  private double latency(double factor) {
    return factor * Math.exp(0.4 * random.nextGaussian());
  }

  private void feed(DriftMonitor monitor, DriftSignal signal, int count, DoubleSupplier values) {
    for (int i = 0; i < count; i++) {
      monitor.observe(signal, values.getAsDouble());
    }
  }

  private List<DriftEvent> alarms() {
    return events.stream().filter(e -> !e.resolved && !e.escalation).toList();
  }

  @Test
  void learnsDuringTheWarmUpThenFreezes() {
    DriftMonitor monitor = monitor(DriftSettings.builder().warmup(500).build());
    assertEquals(DriftStatus.LEARNING, monitor.status(DriftSignal.LATENCY));
    assertTrue(Double.isNaN(monitor.baseline(DriftSignal.LATENCY)));
    assertEquals(-1, value(registry, "taskmaster_drift_status", "signal", "latency"));
    feed(monitor, DriftSignal.LATENCY, 499, () -> latency(1));
    assertEquals(DriftStatus.LEARNING, monitor.status(DriftSignal.LATENCY));
    feed(monitor, DriftSignal.LATENCY, 1, () -> latency(1));
    assertEquals(DriftStatus.OK, monitor.status(DriftSignal.LATENCY));
    assertEquals(0, value(registry, "taskmaster_drift_status", "signal", "latency"));
    // The geometric mean of a log-normal around 1 s.
    assertEquals(1.0, monitor.baseline(DriftSignal.LATENCY), 0.05);
    assertEquals(DriftStatus.LEARNING, monitor.status(DriftSignal.QUALITY));
  }

  @Test
  void raisesNoAlarmOnStableData() {
    DriftMonitor monitor = monitor(DriftSettings.defaults());
    for (int i = 0; i < 200_000; i++) {
      monitor.observe(DriftSignal.LATENCY, latency(1));
      monitor.observe(
          DriftSignal.OUTPUT_TOKENS, Math.round(200 * Math.exp(0.6 * random.nextGaussian())));
      monitor.observe(DriftSignal.QUALITY, 0.8 + 0.1 * random.nextGaussian());
      monitor.observe(DriftSignal.REFUSAL_RATE, random.nextDouble() < 0.01 ? 1 : 0);
    }
    assertEquals(List.of(), events);
    assertEquals(DriftStatus.OK, monitor.status(DriftSignal.LATENCY));
  }

  @Test
  void aBurstOfLoadIsNotDrift() {
    DriftMonitor monitor = monitor(DriftSettings.defaults());
    feed(monitor, DriftSignal.LATENCY, 1000, () -> latency(1));
    for (int burst = 0; burst < 50; burst++) {
      // 40 calls at three times the latency, then quiet again.
      feed(monitor, DriftSignal.LATENCY, 40, () -> latency(3));
      feed(monitor, DriftSignal.LATENCY, 1000, () -> latency(1));
    }
    assertEquals(List.of(), events);
  }

  @Test
  void detectsALatencyStepWithinEightyCalls() {
    DriftMonitor monitor = monitor(DriftSettings.defaults());
    feed(monitor, DriftSignal.LATENCY, 2000, () -> latency(1));
    for (int i = 1; i <= 80 && alarms().isEmpty(); i++) {
      monitor.observe(DriftSignal.LATENCY, latency(3));
    }
    assertEquals(1, alarms().size());
    DriftEvent alarm = alarms().get(0);
    assertEquals(DriftSignal.LATENCY, alarm.signal);
    assertEquals("cusum", alarm.trigger);
    assertTrue(alarm.current > 1.25 * alarm.baseline, alarm.toString());
    feed(monitor, DriftSignal.LATENCY, 300, () -> latency(3));
    assertEquals(DriftStatus.CRITICAL, monitor.status(DriftSignal.LATENCY));
    assertEquals(2, value(registry, "taskmaster_drift_status", "signal", "latency"));
    assertTrue(monitor.score(DriftSignal.LATENCY) >= 1);
    // The moving average (span 500) is on its way from 1 to 3.
    assertTrue(monitor.current(DriftSignal.LATENCY) > 2.0);
    assertEquals(
        1, value(registry, "taskmaster_drift_alarms", "signal", "latency", "severity", "critical"));
  }

  @Test
  void detectsAFallToo() {
    DriftMonitor monitor = monitor(DriftSettings.defaults());
    feed(
        monitor,
        DriftSignal.OUTPUT_TOKENS,
        1000,
        () -> 300 * Math.exp(0.5 * random.nextGaussian()));
    feed(
        monitor, DriftSignal.OUTPUT_TOKENS, 300, () -> 100 * Math.exp(0.5 * random.nextGaussian()));
    assertEquals(1, alarms().size());
    // Raised as soon as the average is a warning's factor (1.25) below the baseline.
    assertTrue(alarms().get(0).deviation < -0.19, alarms().toString());
    assertEquals(DriftStatus.CRITICAL, monitor.status(DriftSignal.OUTPUT_TOKENS));
  }

  @Test
  void resolvesOnceWhenTheSignalReturns() {
    DriftMonitor monitor = monitor(DriftSettings.defaults());
    feed(monitor, DriftSignal.LATENCY, 2000, () -> latency(1));
    feed(monitor, DriftSignal.LATENCY, 1000, () -> latency(3));
    assertEquals(DriftStatus.CRITICAL, monitor.status(DriftSignal.LATENCY));
    feed(monitor, DriftSignal.LATENCY, 3000, () -> latency(1));
    assertEquals(DriftStatus.OK, monitor.status(DriftSignal.LATENCY));
    List<DriftEvent> resolutions = events.stream().filter(e -> e.resolved).toList();
    assertEquals(1, resolutions.size());
    assertEquals(DriftStatus.CRITICAL, resolutions.get(0).severity);
    assertTrue(events.size() <= 3, events.toString());
    // And a second episode is raised again.
    feed(monitor, DriftSignal.LATENCY, 300, () -> latency(3));
    assertEquals(DriftStatus.CRITICAL, monitor.status(DriftSignal.LATENCY));
  }

  @Test
  void aSignalHoveringAtTheThresholdRaisesOneAlarm() {
    DriftMonitor monitor = monitor(DriftSettings.defaults());
    feed(monitor, DriftSignal.LATENCY, 2000, () -> latency(1));
    // Alternates just above the warning change (25 %) and just below it, never back to normal.
    for (int period = 0; period < 20; period++) {
      double factor = period % 2 == 0 ? 1.32 : 1.25;
      feed(monitor, DriftSignal.LATENCY, 500, () -> latency(factor));
    }
    assertEquals(1, alarms().size(), events.toString());
    assertEquals(DriftStatus.WARNING, monitor.status(DriftSignal.LATENCY));
  }

  @Test
  void theOriginalMethodFlapsWithoutHysteresisButNotWithIt() {
    DriftMonitor monitor = monitor(DriftSettings.builder().method(DriftMethod.DEVIATION).build());
    feed(monitor, DriftSignal.QUALITY, 500, () -> 0.8);
    for (int period = 0; period < 10; period++) {
      double value = period % 2 == 0 ? 0.8 * 0.84 : 0.8 * 0.88;
      feed(monitor, DriftSignal.QUALITY, 150, () -> value);
    }
    assertEquals(1, alarms().size(), events.toString());
  }

  @Test
  void theOriginalMethodWarnsAtFifteenAndIsCriticalAtThirtyPercent() {
    DriftMonitor monitor = monitor(DriftSettings.builder().method(DriftMethod.DEVIATION).build());
    feed(monitor, DriftSignal.QUALITY, 500, () -> 0.8);
    feed(monitor, DriftSignal.QUALITY, 100, () -> 0.8 * 0.86);
    assertEquals(DriftStatus.OK, monitor.status(DriftSignal.QUALITY));
    feed(monitor, DriftSignal.QUALITY, 100, () -> 0.8 * 0.84);
    assertEquals(DriftStatus.WARNING, monitor.status(DriftSignal.QUALITY));
    assertEquals("deviation", alarms().get(0).trigger);
    feed(monitor, DriftSignal.QUALITY, 100, () -> 0.8 * 0.69);
    assertEquals(DriftStatus.CRITICAL, monitor.status(DriftSignal.QUALITY));
    assertEquals(0.8 * 0.69, monitor.current(DriftSignal.QUALITY), 1e-9);
    assertEquals(1, alarms().size());
    assertTrue(events.get(1).escalation);
  }

  @Test
  void aChangeOfShapeIsCaughtByTheShapeCheck() {
    DriftMonitor monitor = monitor(DriftSettings.defaults());
    feed(monitor, DriftSignal.LATENCY, 2000, () -> latency(1));
    // Same median; a quarter of the calls become five times slower.
    feed(monitor, DriftSignal.LATENCY, 3000, () -> latency(random.nextDouble() < 0.25 ? 5 : 1));
    assertEquals(1, alarms().size(), events.toString());
  }

  @Test
  void aTinyChangeThatIsClearIsNotLargeEnoughToMatter() {
    DriftMonitor monitor = monitor(DriftSettings.defaults());
    // A very steady latency: 5 % slower is many standard deviations, but does not matter.
    feed(monitor, DriftSignal.LATENCY, 1000, () -> Math.exp(0.01 * random.nextGaussian()));
    feed(monitor, DriftSignal.LATENCY, 5000, () -> 1.05 * Math.exp(0.01 * random.nextGaussian()));
    assertEquals(List.of(), events);
    assertTrue(monitor.score(DriftSignal.LATENCY) < 0.5);
  }

  @Test
  void aSignalWithManyTiesIsComparedByMidRank() {
    DriftMonitor monitor = monitor(DriftSettings.defaults());
    // Scores take few distinct values: ties must count half, or an unchanged signal would drift.
    double[] levels = {0.675, 0.75, 0.825, 0.9, 1.0};
    feed(monitor, DriftSignal.QUALITY, 20_000, () -> levels[random.nextInt(levels.length)]);
    assertEquals(List.of(), events);
    feed(monitor, DriftSignal.QUALITY, 500, () -> levels[random.nextInt(2)]);
    assertEquals(1, alarms().size());
  }

  @Test
  void aRisingEventRateAlarmsAndAFallingOneDoesNot() {
    DriftMonitor monitor = monitor(DriftSettings.defaults());
    feed(monitor, DriftSignal.REFUSAL_RATE, 3000, () -> random.nextDouble() < 0.01 ? 1 : 0);
    feed(monitor, DriftSignal.REFUSAL_RATE, 5000, () -> 0);
    assertEquals(List.of(), events);
    feed(monitor, DriftSignal.REFUSAL_RATE, 1000, () -> random.nextDouble() < 0.10 ? 1 : 0);
    assertEquals(1, alarms().size());
    assertEquals(DriftSignal.REFUSAL_RATE, alarms().get(0).signal);
    assertEquals(DriftStatus.CRITICAL, monitor.status(DriftSignal.REFUSAL_RATE));
    feed(monitor, DriftSignal.REFUSAL_RATE, 3000, () -> random.nextDouble() < 0.01 ? 1 : 0);
    assertEquals(DriftStatus.OK, monitor.status(DriftSignal.REFUSAL_RATE));
  }

  @Test
  void aConfiguredBaselineWinsOverTheLearnedOne() {
    DriftMonitor monitor =
        monitor(DriftSettings.builder().baseline(DriftSignal.LATENCY, 2.0).build());
    feed(monitor, DriftSignal.LATENCY, 500, () -> latency(1));
    assertEquals(2.0, monitor.baseline(DriftSignal.LATENCY), 1e-9);
    feed(monitor, DriftSignal.LATENCY, 400, () -> latency(1));
    assertEquals(1, alarms().size());
    assertTrue(alarms().get(0).deviation < -0.19, alarms().toString());
    assertEquals(DriftStatus.CRITICAL, monitor.status(DriftSignal.LATENCY));
  }

  @Test
  void aConfiguredSignalNeverShowsLearningAndComparesFromTheFirstValue() {
    DriftMonitor monitor =
        monitor(
            DriftSettings.builder()
                .baseline(DriftSignal.LATENCY, 1.0)
                .baseline(DriftSignal.EMPTY_RATE, 0.0)
                .build());
    assertEquals(DriftStatus.OK, monitor.status(DriftSignal.LATENCY));
    assertEquals(0, value(registry, "taskmaster_drift_status", "signal", "latency"));
    assertEquals(1.0, value(registry, "taskmaster_drift_baseline", "signal", "latency"), 1e-9);
    assertEquals(0, value(registry, "taskmaster_drift_status", "signal", "empty_rate"));
    assertEquals(-1, value(registry, "taskmaster_drift_status", "signal", "quality"));

    // Within the warm-up (500): the moving average alone, against the configured second.
    feed(monitor, DriftSignal.LATENCY, 200, () -> latency(1));
    assertEquals(List.of(), events);
    feed(monitor, DriftSignal.LATENCY, 150, () -> latency(3));
    assertEquals(1, alarms().size(), events.toString());
    assertEquals(DriftSignal.LATENCY, alarms().get(0).signal);
    assertTrue(monitor.status(DriftSignal.LATENCY).isAlarm());

    // An event rate configured at 0: five percent of empty answers is a rise from the start.
    feed(monitor, DriftSignal.EMPTY_RATE, 300, () -> random.nextDouble() < 0.05 ? 1 : 0);
    assertTrue(monitor.status(DriftSignal.EMPTY_RATE).isAlarm());

    monitor.relearn();
    monitor.observe(DriftSignal.LATENCY, latency(1));
    assertEquals(DriftStatus.OK, monitor.status(DriftSignal.LATENCY));
    assertEquals(DriftStatus.OK, monitor.status(DriftSignal.EMPTY_RATE));
    assertEquals(-1, value(registry, "taskmaster_drift_status", "signal", "quality"));
  }

  @Test
  void aConfiguredBaselineWithTheOriginalMethodIsUsedAtOnce() {
    DriftMonitor monitor =
        monitor(
            DriftSettings.builder()
                .method(DriftMethod.DEVIATION)
                .baseline(DriftSignal.QUALITY, 0.8)
                .build());
    assertEquals(DriftStatus.OK, monitor.status(DriftSignal.QUALITY));
    feed(monitor, DriftSignal.QUALITY, 101, () -> 0.5);
    assertEquals(DriftStatus.CRITICAL, monitor.status(DriftSignal.QUALITY));
    assertEquals(0.8, monitor.baseline(DriftSignal.QUALITY), 1e-9);
  }

  @Test
  void theBaselineIsSavedAndReadAfterARestart() throws IOException {
    Path file = directory.resolve("state/baseline.json");
    DriftSettings settings = DriftSettings.builder().baselineFile(file).build();
    DriftMonitor first = monitor(settings);
    feed(first, DriftSignal.LATENCY, 500, () -> latency(1));
    feed(first, DriftSignal.REFUSAL_RATE, 3000, () -> random.nextDouble() < 0.02 ? 1 : 0);
    assertTrue(Files.exists(file));
    assertTrue(Files.readString(file).contains("\"latency\""));

    DriftMonitor restarted = new DriftMonitor(settings, new PrometheusRegistry(), "t", e -> {});
    assertEquals(DriftStatus.OK, restarted.status(DriftSignal.LATENCY));
    assertEquals(first.baseline(DriftSignal.LATENCY), restarted.baseline(DriftSignal.LATENCY));
    assertEquals(
        first.baseline(DriftSignal.REFUSAL_RATE), restarted.baseline(DriftSignal.REFUSAL_RATE));
    assertEquals(DriftStatus.LEARNING, restarted.status(DriftSignal.QUALITY));
    // Frozen: the restarted monitor compares from its first value on.
    for (int i = 0; i < 300; i++) {
      restarted.observe(DriftSignal.LATENCY, latency(3));
    }
    assertEquals(DriftStatus.CRITICAL, restarted.status(DriftSignal.LATENCY));
  }

  @Test
  void aReloadedBaselineJudgesEveryValueExactlyAsTheOriginalDoes() {
    Path file = directory.resolve("baseline.json");
    DriftSettings settings = DriftSettings.builder().baselineFile(file).build();
    DriftMonitor first = monitor(settings);
    feed(first, DriftSignal.LATENCY, 500, () -> latency(1));
    feed(first, DriftSignal.QUALITY, 500, () -> 0.8 + 0.1 * random.nextGaussian());
    feed(first, DriftSignal.REFUSAL_RATE, 3000, () -> random.nextDouble() < 0.02 ? 1 : 0);
    List<DriftEvent> restartedEvents = new ArrayList<>();
    DriftMonitor restarted =
        new DriftMonitor(settings, new PrometheusRegistry(), "t", restartedEvents::add);
    events.clear();

    // The same values, stable then changed, must give the same score after every one of them:
    // sample, mean, spread and long-run variance all survived the file.
    Random values = new Random(7);
    for (int i = 0; i < 1500; i++) {
      double factor = i < 500 ? 1 : 2;
      double latency = factor * Math.exp(0.4 * values.nextGaussian());
      double quality = (i < 500 ? 0.8 : 0.6) + 0.1 * values.nextGaussian();
      double refusal = values.nextDouble() < (i < 500 ? 0.02 : 0.1) ? 1 : 0;
      first.observe(DriftSignal.LATENCY, latency);
      restarted.observe(DriftSignal.LATENCY, latency);
      first.observe(DriftSignal.QUALITY, quality);
      restarted.observe(DriftSignal.QUALITY, quality);
      first.observe(DriftSignal.REFUSAL_RATE, refusal);
      restarted.observe(DriftSignal.REFUSAL_RATE, refusal);
      for (DriftSignal signal :
          List.of(DriftSignal.LATENCY, DriftSignal.QUALITY, DriftSignal.REFUSAL_RATE)) {
        assertEquals(first.score(signal), restarted.score(signal), signal + " at " + i);
        assertEquals(first.current(signal), restarted.current(signal), signal + " at " + i);
        assertEquals(first.status(signal), restarted.status(signal), signal + " at " + i);
      }
    }
    assertEquals(3, alarms().size(), "one alarm per changed signal: " + events);
    assertEquals(describe(events), describe(restartedEvents));
  }

  /** Events without their observation counts, which differ by the warm-up a restart skips. */
  private static List<String> describe(List<DriftEvent> list) {
    return list.stream().map(e -> e.toString().replaceAll(" observations=\\d+", "")).toList();
  }

  @Test
  void theOriginalMethodsBaselineIsSavedAndReadToo() {
    Path file = directory.resolve("baseline.json");
    DriftSettings settings =
        DriftSettings.builder().method(DriftMethod.DEVIATION).baselineFile(file).build();
    DriftMonitor first = monitor(settings);
    feed(first, DriftSignal.OUTPUT_TOKENS, 500, () -> 100 + random.nextInt(101));
    DriftMonitor restarted = new DriftMonitor(settings, new PrometheusRegistry(), "t", e -> {});
    assertEquals(DriftStatus.OK, restarted.status(DriftSignal.OUTPUT_TOKENS));
    // The original method compares the arithmetic mean.
    assertEquals(
        first.baseline(DriftSignal.OUTPUT_TOKENS), restarted.baseline(DriftSignal.OUTPUT_TOKENS));
    assertEquals(150, restarted.baseline(DriftSignal.OUTPUT_TOKENS), 5);
  }

  @Test
  void aSignalWhoseSavedBaselineIsDamagedLearnsAndTheOthersAreRead() throws IOException {
    Path file = directory.resolve("baseline.json");
    DriftSettings settings = DriftSettings.builder().baselineFile(file).warmup(50).build();
    DriftMonitor first = monitor(settings);
    feed(first, DriftSignal.LATENCY, 50, () -> latency(1));
    feed(first, DriftSignal.QUALITY, 50, () -> 0.8 + 0.1 * random.nextGaussian());
    String saved = Files.readString(file);
    // The quality sample no longer sorted: that one entry is not trusted.
    Files.writeString(file, saved.replaceFirst("(\"quality\":\\{[^}]*\"sample\":\\[)", "$19.5,"));
    DriftMonitor restarted = new DriftMonitor(settings, new PrometheusRegistry(), "t", e -> {});
    assertEquals(DriftStatus.OK, restarted.status(DriftSignal.LATENCY));
    assertEquals(first.baseline(DriftSignal.LATENCY), restarted.baseline(DriftSignal.LATENCY));
    assertEquals(DriftStatus.LEARNING, restarted.status(DriftSignal.QUALITY));
  }

  @Test
  void theOriginalMethodChangesSeverityExactlyAtItsThresholds() {
    // Quarters are exact in binary, so the window's mean hits each threshold exactly.
    DriftMonitor monitor =
        monitor(
            DriftSettings.builder()
                .method(DriftMethod.DEVIATION)
                .deviation(100, 0.25, 0.5)
                .baseline(DriftSignal.QUALITY, 1.0)
                .build());
    // The first window fills, the second is judged: just inside the warning deviation.
    feed(monitor, DriftSignal.QUALITY, 200, () -> 0.75 + 1e-9);
    assertEquals(DriftStatus.OK, monitor.status(DriftSignal.QUALITY));
    assertEquals(List.of(), events);
    feed(monitor, DriftSignal.QUALITY, 100, () -> 0.75);
    assertEquals(DriftStatus.WARNING, monitor.status(DriftSignal.QUALITY));
    assertEquals(0.5, monitor.score(DriftSignal.QUALITY));
    feed(monitor, DriftSignal.QUALITY, 100, () -> 0.5 + 1e-9);
    assertEquals(DriftStatus.WARNING, monitor.status(DriftSignal.QUALITY));
    feed(monitor, DriftSignal.QUALITY, 100, () -> 0.5);
    assertEquals(DriftStatus.CRITICAL, monitor.status(DriftSignal.QUALITY));
    assertEquals(1.0, monitor.score(DriftSignal.QUALITY));
    assertEquals(1, alarms().size());
    assertEquals(2, events.size(), "the alarm and its escalation");
  }

  @Test
  void aDamagedBaselineFileIsReplaced() throws IOException {
    Path file = directory.resolve("baseline.json");
    Files.writeString(file, "{ not json");
    DriftMonitor monitor = monitor(DriftSettings.builder().baselineFile(file).warmup(10).build());
    assertEquals(DriftStatus.LEARNING, monitor.status(DriftSignal.LATENCY));
    feed(monitor, DriftSignal.LATENCY, 10, () -> latency(1));
    assertTrue(Files.readString(file).startsWith("{\"version\":1"));
  }

  @Test
  void relearnDropsTheBaselineAndResolvesTheOpenAlarm() throws IOException {
    Path file = directory.resolve("baseline.json");
    DriftMonitor monitor = monitor(DriftSettings.builder().baselineFile(file).build());
    feed(monitor, DriftSignal.LATENCY, 1000, () -> latency(1));
    feed(monitor, DriftSignal.LATENCY, 200, () -> latency(3));
    assertEquals(DriftStatus.CRITICAL, monitor.status(DriftSignal.LATENCY));

    monitor.relearn();
    monitor.observe(DriftSignal.LATENCY, latency(3));
    assertEquals(DriftStatus.LEARNING, monitor.status(DriftSignal.LATENCY));
    assertFalse(Files.exists(file));
    DriftEvent last = events.get(events.size() - 1);
    assertTrue(last.resolved);

    feed(monitor, DriftSignal.LATENCY, 2000, () -> latency(3));
    assertEquals(DriftStatus.OK, monitor.status(DriftSignal.LATENCY));
    assertEquals(3.0, monitor.baseline(DriftSignal.LATENCY), 0.3);
    assertTrue(Files.exists(file));
  }

  @Test
  void relearnOnStartIgnoresTheSavedBaseline() {
    Path file = directory.resolve("baseline.json");
    DriftMonitor first = monitor(DriftSettings.builder().baselineFile(file).warmup(10).build());
    feed(first, DriftSignal.LATENCY, 10, () -> latency(1));
    DriftMonitor restarted =
        new DriftMonitor(
            DriftSettings.builder().baselineFile(file).warmup(10).relearnOnStart(true).build(),
            new PrometheusRegistry(),
            "t",
            e -> {});
    assertEquals(DriftStatus.LEARNING, restarted.status(DriftSignal.LATENCY));
    assertFalse(Files.exists(file));
  }

  @Test
  void aFailingListenerIsCountedAndDetectionGoesOn() {
    DriftMonitor monitor =
        new DriftMonitor(
            DriftSettings.defaults(),
            registry,
            "taskmaster",
            event -> {
              throw new IllegalStateException("listener bug");
            });
    feed(monitor, DriftSignal.LATENCY, 1000, () -> latency(1));
    feed(monitor, DriftSignal.LATENCY, 300, () -> latency(3));
    assertEquals(DriftStatus.CRITICAL, monitor.status(DriftSignal.LATENCY));
    // The alarm and its escalation.
    assertEquals(2, value(registry, "taskmaster_drift_listener_errors"));
  }

  @Test
  void theLoggingListenerWritesOneLine() {
    DriftEvent event =
        new DriftEvent(
            DriftSignal.LATENCY,
            DriftMethod.SEQUENTIAL,
            "cusum",
            DriftStatus.CRITICAL,
            false,
            true,
            0.8,
            2.4,
            2100);
    String line = event.toString();
    assertFalse(line.contains("\n"));
    assertEquals(
        "drift escalated signal=latency severity=critical baseline=0.8000 current=2.400 deviation=+200.0%"
            + " change=1.600 method=sequential trigger=cusum observations=2100",
        line);
    assertNotNull(DriftEventListener.LOGGING);
  }
}
