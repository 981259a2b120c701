package dev.taskmaster.agent.alerting;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class AlertEngineTest {

  private static final Instant START = Instant.parse("2025-01-31T12:00:00Z");

  private final PrometheusRegistry registry = new PrometheusRegistry();
  private final MutableClock clock = new MutableClock(START);
  private final List<Throwable> failures = new ArrayList<>();
  private final List<Alert> notified = new ArrayList<>();
  private final AtomicBoolean holds = new AtomicBoolean();

  private AlertEngine engine(AlertSettings settings) {
    AlertEngine engine =
        new AlertEngine(
            settings, new AlertMetrics(registry, "taskmaster"), "checkout", clock, failures::add);
    engine.addNotifier(
        new AlertNotifier() {
          @Override
          public String name() {
            return "test";
          }

          @Override
          public void notify(Alert alert) {
            notified.add(alert);
          }
        });
    return engine;
  }

  private static AlertRule rule(String name, Duration forDuration) {
    return AlertRule.builder(name)
        .severity(Severity.CRITICAL)
        .forDuration(forDuration)
        .summary("s")
        .description("d")
        .runbook("r")
        .valueFormat(ValueFormat.DECIMAL)
        .build();
  }

  private double gauge(String name) {
    return Scrape.value(
        registry, "taskmaster_alert_state{alertname=\"" + name + "\",severity=\"critical\"}");
  }

  private void step(AlertEngine engine, Duration by) {
    clock.advance(by);
    engine.evaluate();
  }

  @Test
  void firesOnlyAfterTheConditionHeldForItsDurationAndResolvesWhenItStops() {
    AlertEngine engine = engine(AlertSettings.builder().instance("web-1").build());
    engine.register(
        rule("Test", Duration.ofMinutes(2)), now -> AlertCondition.Result.of(holds.get(), 0.5));

    engine.evaluate();
    assertEquals(AlertState.INACTIVE, engine.alert("Test").state());
    assertEquals(0, gauge("Test"));

    holds.set(true);
    step(engine, Duration.ofSeconds(15));
    assertEquals(AlertState.PENDING, engine.alert("Test").state());
    assertEquals(1, gauge("Test"));
    step(engine, Duration.ofSeconds(105));
    assertEquals(AlertState.PENDING, engine.alert("Test").state(), "1m45s of 2m");
    assertTrue(notified.isEmpty());

    step(engine, Duration.ofSeconds(15));
    Alert firing = engine.alert("Test");
    assertEquals(AlertState.FIRING, firing.state());
    assertEquals(2, gauge("Test"));
    assertEquals(START.plusSeconds(15), firing.activeAt());
    assertEquals(START.plusSeconds(135), firing.firedAt());
    assertEquals(1, notified.size());
    assertEquals(AlertState.FIRING, notified.get(0).state());

    step(engine, Duration.ofSeconds(15));
    assertEquals(1, notified.size(), "firing is told once");

    holds.set(false);
    step(engine, Duration.ofSeconds(15));
    Alert resolved = engine.alert("Test");
    assertEquals(AlertState.RESOLVED, resolved.state());
    assertEquals(START.plusSeconds(165), resolved.resolvedAt());
    assertEquals(START.plusSeconds(135), resolved.firedAt());
    assertEquals(0, gauge("Test"));
    assertEquals(2, notified.size());
    assertEquals(AlertState.RESOLVED, notified.get(1).state());
    assertTrue(failures.isEmpty());
  }

  @Test
  void aPendingAlertThatStopsHoldingGoesBackQuietly() {
    AlertEngine engine = engine(AlertSettings.defaults());
    engine.register(
        rule("Test", Duration.ofMinutes(5)), now -> AlertCondition.Result.of(holds.get(), 1));

    holds.set(true);
    step(engine, Duration.ofSeconds(15));
    step(engine, Duration.ofMinutes(4));
    holds.set(false);
    step(engine, Duration.ofSeconds(15));
    holds.set(true);
    step(engine, Duration.ofSeconds(15));
    step(engine, Duration.ofMinutes(4));

    assertEquals(AlertState.PENDING, engine.alert("Test").state(), "the duration starts again");
    assertTrue(notified.isEmpty());
  }

  @Test
  void zeroDurationFiresAtTheFirstEvaluation() {
    AlertEngine engine = engine(AlertSettings.defaults());
    engine.register(rule("Now", Duration.ZERO), now -> AlertCondition.Result.of(true, 1));

    engine.evaluate();

    assertEquals(AlertState.FIRING, engine.alert("Now").state());
    assertEquals(1, notified.size());
  }

  @Test
  void alertsCarryLabelsAndFilledInAnnotations() {
    AlertEngine engine =
        engine(AlertSettings.builder().instance("web-1").label("team", "search").build());
    engine.register(
        AlertRule.builder("Labelled")
            .severity(Severity.WARNING)
            .label("signal", "length")
            .summary("sum")
            .description("desc")
            .runbook("1. look")
            .valueFormat(ValueFormat.PERCENT)
            .build(),
        now -> AlertCondition.Result.of(true, 0.125));

    engine.evaluate();

    Alert alert = engine.alert("Labelled");
    assertEquals(
        List.of("alertname", "severity", "instance", "service", "signal", "team"),
        new ArrayList<>(alert.labels().keySet()));
    assertEquals("warning", alert.labels().get("severity"));
    assertEquals("checkout", alert.labels().get("service"));
    assertEquals("web-1", alert.labels().get("instance"));
    assertEquals("12.5%", alert.annotations().get("value"));
    assertEquals("1. look", alert.annotations().get("runbook"));
  }

  @Test
  void aFailingConditionKeepsTheStateAndIsCounted() {
    AlertEngine engine = engine(AlertSettings.defaults());
    AtomicReference<RuntimeException> failure = new AtomicReference<>();
    engine.register(
        rule("Flaky", Duration.ZERO),
        now -> {
          if (failure.get() != null) {
            throw failure.get();
          }
          return AlertCondition.Result.of(true, 1);
        });
    engine.evaluate();

    failure.set(new IllegalStateException("no data source"));
    step(engine, Duration.ofSeconds(15));

    assertEquals(AlertState.FIRING, engine.alert("Flaky").state());
    assertEquals(1, failures.size());
  }

  @Test
  void aFailingNotifierDoesNotStopOthersNorTheEngine() {
    AlertEngine engine =
        new AlertEngine(
            AlertSettings.defaults(),
            new AlertMetrics(registry, "taskmaster"),
            "svc",
            clock,
            failures::add);
    engine.addNotifier(
        new AlertNotifier() {
          @Override
          public String name() {
            return "broken";
          }

          @Override
          public void notify(Alert alert) {
            throw new IllegalStateException("broken notifier");
          }
        });
    List<Alert> seen = new ArrayList<>();
    engine.addNotifier(
        new AlertNotifier() {
          @Override
          public String name() {
            return "fine";
          }

          @Override
          public void notify(Alert alert) {
            seen.add(alert);
          }
        });
    engine.register(rule("Now", Duration.ZERO), now -> AlertCondition.Result.of(true, 1));

    engine.evaluate();

    assertEquals(1, seen.size());
    assertEquals(1, failures.size());
    assertEquals(AlertState.FIRING, engine.alert("Now").state());
  }

  @Test
  void rulesAreUniqueByNameAndDisabledOnesAreSkipped() {
    AlertEngine engine = engine(AlertSettings.builder().disable("Off").build());
    assertTrue(engine.register(rule("On", Duration.ZERO), now -> AlertCondition.Result.noData()));

    assertFalse(engine.register(rule("Off", Duration.ZERO), now -> AlertCondition.Result.noData()));
    assertThrows(
        IllegalArgumentException.class,
        () -> engine.register(rule("On", Duration.ZERO), now -> AlertCondition.Result.noData()));
    assertNull(engine.alert("Off"));
    assertEquals(1, engine.alerts().size());
  }

  @Test
  void theScheduleEvaluatesOnADaemonThread() throws Exception {
    AlertEngine engine = engine(AlertSettings.builder().interval(Duration.ofSeconds(1)).build());
    AtomicReference<Thread> evaluator = new AtomicReference<>();
    engine.register(
        rule("Threaded", Duration.ZERO),
        now -> {
          evaluator.set(Thread.currentThread());
          return AlertCondition.Result.noData();
        });

    engine.start();
    long deadline = System.nanoTime() + 5_000_000_000L;
    while (evaluator.get() == null && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    engine.stop(Duration.ofSeconds(1));

    assertTrue(evaluator.get().isDaemon());
    assertTrue(evaluator.get().getName().startsWith("taskmaster-alerts"));
  }
}
