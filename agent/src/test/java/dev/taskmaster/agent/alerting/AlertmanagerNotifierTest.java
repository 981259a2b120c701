package dev.taskmaster.agent.alerting;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Alertmanager's protocol, against a recording server in place of Alertmanager. */
class AlertmanagerNotifierTest {

  private static final Instant START = Instant.parse("2025-01-31T12:00:00Z");
  private static final Duration TICK = Duration.ofSeconds(15);

  private final PrometheusRegistry registry = new PrometheusRegistry();
  private final AlertMetrics metrics = new AlertMetrics(registry, "taskmaster");
  private final MutableClock clock = new MutableClock(START);
  private final AtomicBoolean holds = new AtomicBoolean();
  private RecordingServer server;
  private AlertmanagerNotifier notifier;
  private AlertEngine engine;

  @BeforeEach
  void start() throws Exception {
    server = new RecordingServer();
    NotifierSettings settings =
        NotifierSettings.builder()
            .alertmanager(List.of(server.uri("/am/")))
            .resendInterval(Duration.ofMinutes(1))
            .retries(1)
            .backoff(Duration.ofMillis(10))
            .build();
    notifier = new AlertmanagerNotifier(settings, TICK, metrics, "taskmaster");
    engine =
        new AlertEngine(
            AlertSettings.builder().instance("web-1").build(),
            metrics,
            "checkout",
            clock,
            failure -> {
              throw new AssertionError(failure);
            });
    engine.register(
        AlertRule.builder("TaskMasterModelDown")
            .severity(Severity.CRITICAL)
            .summary("down")
            .description("d")
            .runbook("r")
            .build(),
        now -> AlertCondition.Result.of(holds.get(), 0));
    engine.addNotifier(notifier);
  }

  @AfterEach
  void stop() {
    notifier.close(Duration.ZERO);
    server.close();
  }

  private void tick() {
    clock.advance(TICK);
    engine.evaluate();
  }

  private JsonObject onlyAlert(RecordingServer.Request request) {
    assertNotNull(request, "nothing was sent");
    assertEquals("POST", request.method);
    assertEquals("/am/api/v2/alerts", request.path);
    JsonArray alerts = JsonParser.parseString(request.body).getAsJsonArray();
    assertEquals(1, alerts.size());
    return alerts.get(0).getAsJsonObject();
  }

  @Test
  void sendsFiringAlertsWithAnEndAheadAndResendsThemEachInterval() throws Exception {
    holds.set(true);
    engine.evaluate();
    JsonObject first = onlyAlert(server.next(5_000));

    assertEquals(
        "TaskMasterModelDown", first.getAsJsonObject("labels").get("alertname").getAsString());
    assertEquals("critical", first.getAsJsonObject("labels").get("severity").getAsString());
    assertEquals("web-1", first.getAsJsonObject("labels").get("instance").getAsString());
    assertEquals("down", first.getAsJsonObject("annotations").get("summary").getAsString());
    assertEquals("2025-01-31T12:00:00.000Z", first.get("startsAt").getAsString());
    // Four times the longer of the resend (1 min) and evaluation (15 s) intervals.
    assertEquals("2025-01-31T12:04:00.000Z", first.get("endsAt").getAsString());

    tick();
    tick();
    tick();
    assertNull(server.next(200), "no resend before a minute has passed");
    tick();
    JsonObject resent = onlyAlert(server.next(5_000));
    assertEquals("2025-01-31T12:00:00.000Z", resent.get("startsAt").getAsString());
    assertEquals("2025-01-31T12:05:00.000Z", resent.get("endsAt").getAsString());
  }

  @Test
  void sendsAResolutionAtOnceAndRepeatsItForFifteenMinutes() throws Exception {
    holds.set(true);
    engine.evaluate();
    onlyAlert(server.next(5_000));

    holds.set(false);
    tick();
    JsonObject resolved = onlyAlert(server.next(5_000));
    assertEquals("2025-01-31T12:00:00.000Z", resolved.get("startsAt").getAsString());
    assertEquals("2025-01-31T12:00:15.000Z", resolved.get("endsAt").getAsString());

    for (int i = 0; i < 4; i++) {
      tick();
    }
    JsonObject repeated = onlyAlert(server.next(5_000));
    assertEquals("2025-01-31T12:00:15.000Z", repeated.get("endsAt").getAsString());

    clock.advance(Duration.ofMinutes(15));
    server.requests.clear();
    tick();
    assertNull(server.next(200), "a resolution older than 15 minutes is not sent");
  }

  @Test
  void anAlertmanagerThatIsDownIsCountedAndGetsTheStateOnTheNextResend() throws Exception {
    server.answer(request -> RecordingServer.Answer.of(503));
    holds.set(true);
    engine.evaluate();

    long deadline = System.nanoTime() + 5_000_000_000L;
    String failed = "taskmaster_notifications_failed_total{notifier=\"alertmanager\"}";
    while (Scrape.value(registry, failed) < 1 && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    assertEquals(1, Scrape.value(registry, failed));
    assertEquals(2, server.all.size(), "one attempt and one retry");

    server.answer(request -> RecordingServer.Answer.of(200));
    server.requests.clear();
    for (int i = 0; i < 4; i++) {
      tick();
    }
    JsonObject alert = onlyAlert(server.next(5_000));
    assertEquals("2025-01-31T12:00:00.000Z", alert.get("startsAt").getAsString());
    assertTrue(
        Scrape.value(registry, "taskmaster_notifications_sent_total{notifier=\"alertmanager\"}")
            >= 0);
  }

  @Test
  void theEndpointIsAddedToABaseUrl() {
    assertEquals(
        URI.create("http://am:9093/api/v2/alerts"),
        AlertmanagerNotifier.alertsEndpoint(URI.create("http://am:9093")));
    assertEquals(
        URI.create("http://am:9093/prefix/api/v2/alerts"),
        AlertmanagerNotifier.alertsEndpoint(URI.create("http://am:9093/prefix/")));
    assertEquals(
        URI.create("http://am:9093/api/v2/alerts"),
        AlertmanagerNotifier.alertsEndpoint(URI.create("http://am:9093/api/v2/alerts")));
  }
}
