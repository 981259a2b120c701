package dev.taskmaster.agent.alerting;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.taskmaster.agent.drift.DriftMonitor;
import dev.taskmaster.agent.drift.DriftSettings;
import dev.taskmaster.agent.drift.DriftSignal;
import dev.taskmaster.agent.drift.DriftStatus;
import dev.taskmaster.agent.logging.LogSettings;
import dev.taskmaster.agent.logging.StructuredLog;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The drift rules evaluated in the JVM from a real {@link DriftMonitor}'s state, with a hand-moved
 * clock: learning fires nothing, a warning fires its rule after {@code alerting.drift.for}, a
 * critical drift fires the critical rule too, and re-learning resolves both.
 */
class DriftRulesTest {

  private static final Duration TICK = Duration.ofSeconds(15);

  private final Random random = new Random(7);
  private final PrometheusRegistry registry = new PrometheusRegistry();
  private final MutableClock clock = new MutableClock(Instant.parse("2026-12-03T12:00:00Z"));
  private final List<Throwable> failures = new ArrayList<>();
  private final AlertSettings settings = AlertSettings.builder().instance("web-1").build();
  private final DriftMonitor monitor =
      new DriftMonitor(
          DriftSettings.builder().warmup(200).build(), registry, "taskmaster", event -> {});
  private final AlertEngine engine =
      new AlertEngine(
          settings, new AlertMetrics(registry, "taskmaster"), "svc", clock, failures::add);

  DriftRulesTest() {
    TaskMasterRules.registerDrift(engine, settings, "taskmaster", monitor::status, monitor::score);
  }

  private void run(Duration duration) {
    for (long t = 0; t < duration.toMillis(); t += TICK.toMillis()) {
      clock.advance(TICK);
      engine.evaluate();
    }
  }

  /** Latencies around {@code factor} seconds, log-normal like a real service's. */
  private void latencies(int count, double factor) {
    for (int i = 0; i < count; i++) {
      monitor.observe(DriftSignal.LATENCY, factor * Math.exp(0.4 * random.nextGaussian()));
    }
  }

  /** Feeds latencies around {@code factor} one by one until the latency status is {@code goal}. */
  private void latenciesUntil(DriftStatus goal, double factor) {
    for (int i = 0; i < 100_000 && monitor.status(DriftSignal.LATENCY) != goal; i++) {
      latencies(1, factor);
    }
    assertEquals(goal, monitor.status(DriftSignal.LATENCY));
  }

  private AlertState state(String name) {
    return engine.alert(name).state();
  }

  @Test
  void namesAreUniqueAndReadable() {
    List<String> names = engine.alerts().stream().map(Alert::name).collect(Collectors.toList());
    assertEquals(22, names.size());
    assertEquals(22, names.stream().distinct().count());
    assertEquals("TaskMasterDriftLatency", names.get(0));
    assertEquals("TaskMasterDriftLatencyCritical", names.get(1));
    assertTrue(names.contains("TaskMasterDriftTimeToFirstToken"), names.toString());
    assertTrue(names.contains("TaskMasterDriftRefusalRateCritical"), names.toString());
    assertTrue(names.contains("TaskMasterDriftInvalidJsonRate"), names.toString());
    assertTrue(names.contains("TaskMasterDriftSatisfactionCritical"), names.toString());
  }

  @Test
  void learningFiresNothingThenWarningAndCriticalFireAfterTheirForAndRelearningResolves() {
    // Learning (-1): however long, nothing holds.
    latencies(100, 1);
    run(Duration.ofMinutes(10));
    assertEquals(DriftStatus.LEARNING, monitor.status(DriftSignal.LATENCY));
    for (Alert alert : engine.alerts()) {
      assertEquals(AlertState.INACTIVE, alert.state(), alert.name());
    }

    latencies(100, 1);
    assertEquals(DriftStatus.OK, monitor.status(DriftSignal.LATENCY));
    run(Duration.ofMinutes(10));
    assertEquals(AlertState.INACTIVE, state("TaskMasterDriftLatency"));

    // Twice as slow: the detector raises a warning first.
    latenciesUntil(DriftStatus.WARNING, 1.5);
    run(TICK);
    assertEquals(AlertState.PENDING, state("TaskMasterDriftLatency"));
    assertEquals(AlertState.INACTIVE, state("TaskMasterDriftLatencyCritical"));
    run(Duration.ofMinutes(5));
    Alert warning = engine.alert("TaskMasterDriftLatency");
    assertEquals(AlertState.FIRING, warning.state());
    assertEquals("warning", warning.labels().get("severity"));
    assertEquals("latency", warning.labels().get("signal"));
    assertEquals(
        ValueFormat.DECIMAL.format(monitor.score(DriftSignal.LATENCY)),
        warning.annotations().get("value"));
    assertTrue(warning.annotations().get("runbook").contains("POST /drift/relearn"));
    assertTrue(warning.annotations().get("runbook").contains("drift.relearn=true"));
    assertEquals(
        2.0,
        Scrape.value(
            registry,
            "taskmaster_alert_state{alertname=\"TaskMasterDriftLatency\",severity=\"warning\"}"));

    // Much slower: critical; the warning keeps firing, the critical rule waits its own for.
    latenciesUntil(DriftStatus.CRITICAL, 4);
    run(TICK);
    assertEquals(AlertState.PENDING, state("TaskMasterDriftLatencyCritical"));
    assertEquals(AlertState.FIRING, state("TaskMasterDriftLatency"));
    run(Duration.ofMinutes(5));
    Alert critical = engine.alert("TaskMasterDriftLatencyCritical");
    assertEquals(AlertState.FIRING, critical.state());
    assertEquals("critical", critical.labels().get("severity"));
    assertEquals(
        2.0,
        Scrape.value(
            registry,
            "taskmaster_alert_state{alertname=\"TaskMasterDriftLatencyCritical\","
                + "severity=\"critical\"}"));

    // Other signals stayed quiet.
    assertEquals(AlertState.INACTIVE, state("TaskMasterDriftQuality"));
    assertEquals(AlertState.INACTIVE, state("TaskMasterDriftRefusalRateCritical"));

    // The change was intended: re-learn. The signal learns again and both alerts resolve.
    monitor.relearn();
    latencies(1, 4);
    assertEquals(DriftStatus.LEARNING, monitor.status(DriftSignal.LATENCY));
    run(TICK);
    assertEquals(AlertState.RESOLVED, state("TaskMasterDriftLatency"));
    assertEquals(AlertState.RESOLVED, state("TaskMasterDriftLatencyCritical"));
    assertEquals(List.of(), failures);
  }

  @Test
  void theRuntimeRegistersTheDriftRulesOfItsMonitorAndHonoursDisabledNames() {
    StructuredLog log =
        new StructuredLog(
            LogSettings.builder().destination(LogSettings.Destination.NONE).build(),
            registry,
            "taskmaster");
    AlertingRuntime runtime =
        AlertingRuntime.create(
            AlertSettings.builder().disable("TaskMasterDriftEmptyRate").build(),
            NotifierSettings.builder().build(),
            "checkout",
            3,
            new PrometheusRegistry(),
            "taskmaster",
            log,
            failures::add);
    runtime.drift(monitor);

    List<String> names =
        runtime.engine().alerts().stream().map(Alert::name).collect(Collectors.toList());
    assertEquals(6 + 21, names.size(), names.toString());
    assertTrue(names.contains("TaskMasterDriftEmptyRateCritical"), names.toString());
    assertTrue(!names.contains("TaskMasterDriftEmptyRate"), names.toString());
    runtime.shutdown(Duration.ZERO);
  }
}
