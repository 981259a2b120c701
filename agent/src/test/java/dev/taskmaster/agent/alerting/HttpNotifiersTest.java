package dev.taskmaster.agent.alerting;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The webhook and Slack notifiers against a JDK HTTP server in the test. */
class HttpNotifiersTest {

  private final PrometheusRegistry registry = new PrometheusRegistry();
  private final AlertMetrics metrics = new AlertMetrics(registry, "taskmaster");
  private final MutableClock clock = new MutableClock(Instant.parse("2025-01-31T12:00:00Z"));
  private final AtomicBoolean holds = new AtomicBoolean();
  private final List<Throwable> failures = new ArrayList<>();
  private final List<AlertNotifier> notifiers = new ArrayList<>();
  private RecordingServer server;

  @AfterEach
  void stop() {
    for (AlertNotifier notifier : notifiers) {
      notifier.close(Duration.ZERO);
    }
    if (server != null) {
      server.close();
    }
  }

  private AlertEngine engineWith(AlertNotifier notifier) {
    notifiers.add(notifier);
    AlertEngine engine =
        new AlertEngine(
            AlertSettings.builder().instance("web-1").build(),
            metrics,
            "checkout",
            clock,
            failures::add);
    engine.register(
        AlertRule.builder("TaskMasterHighLatency")
            .severity(Severity.WARNING)
            .summary("Model calls are slow: p95 latency above 2s")
            .description("Latency <high> & rising")
            .runbook("1. Look.\n2. Act.")
            .valueFormat(ValueFormat.SECONDS)
            .build(),
        now -> AlertCondition.Result.of(holds.get(), 3.75));
    engine.addNotifier(notifier);
    return engine;
  }

  private NotifierSettings.Builder webhookTo(String path) throws Exception {
    server = new RecordingServer();
    return NotifierSettings.builder()
        .webhook(server.uri(path))
        .timeout(Duration.ofMillis(500))
        .backoff(Duration.ofMillis(10));
  }

  private double failed(String notifier) {
    return Scrape.value(
        registry, "taskmaster_notifications_failed_total{notifier=\"" + notifier + "\"}");
  }

  private double sent(String notifier) {
    return Scrape.value(
        registry, "taskmaster_notifications_sent_total{notifier=\"" + notifier + "\"}");
  }

  private static void awaitValue(java.util.function.DoubleSupplier value, double expected)
      throws InterruptedException {
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (value.getAsDouble() != expected && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    assertEquals(expected, value.getAsDouble(), 0.0);
  }

  @Test
  void webhookPostsFiringThenResolvedWithLabelsAnnotationsAndTimes() throws Exception {
    AlertEngine engine =
        engineWith(new WebhookNotifier(webhookTo("/hook").build(), metrics, "taskmaster"));

    holds.set(true);
    engine.evaluate();
    RecordingServer.Request firing = server.next(5_000);
    holds.set(false);
    clock.advance(Duration.ofSeconds(15));
    engine.evaluate();
    RecordingServer.Request resolved = server.next(5_000);

    assertEquals("POST", firing.method);
    assertEquals("/hook", firing.path);
    assertEquals("application/json", firing.header("Content-Type"));
    assertNull(firing.header("Authorization"));
    JsonObject body = JsonParser.parseString(firing.body).getAsJsonObject();
    assertEquals("firing", body.get("status").getAsString());
    assertEquals("TaskMasterHighLatency", body.get("alertname").getAsString());
    assertEquals("warning", body.get("severity").getAsString());
    JsonObject labels = body.getAsJsonObject("labels");
    assertEquals("checkout", labels.get("service").getAsString());
    assertEquals("web-1", labels.get("instance").getAsString());
    assertEquals("3.75s", body.getAsJsonObject("annotations").get("value").getAsString());
    assertEquals(
        "1. Look.\n2. Act.", body.getAsJsonObject("annotations").get("runbook").getAsString());
    assertEquals(3.75, body.get("value").getAsDouble(), 0.0);
    assertEquals("2025-01-31T12:00:00.000Z", body.get("startsAt").getAsString());
    assertTrue(body.get("endsAt").isJsonNull());

    JsonObject end = JsonParser.parseString(resolved.body).getAsJsonObject();
    assertEquals("resolved", end.get("status").getAsString());
    assertEquals("2025-01-31T12:00:00.000Z", end.get("startsAt").getAsString());
    assertEquals("2025-01-31T12:00:15.000Z", end.get("endsAt").getAsString());
    awaitValue(() -> sent("webhook"), 2);
    assertEquals(0, failed("webhook"));
    assertTrue(failures.isEmpty());
  }

  @Test
  void webhookSendsConfiguredHeaders() throws Exception {
    AlertEngine engine =
        engineWith(
            new WebhookNotifier(
                webhookTo("/hook").webhookHeaders(Map.of("Authorization", "Bearer s3cret")).build(),
                metrics,
                "taskmaster"));

    holds.set(true);
    engine.evaluate();

    assertEquals("Bearer s3cret", server.next(5_000).header("Authorization"));
  }

  @Test
  void retriesWithBackoffUntilTheReceiverAccepts() throws Exception {
    NotifierSettings settings = webhookTo("/hook").retries(3).build();
    AtomicInteger attempts = new AtomicInteger();
    server.answer(
        request ->
            attempts.incrementAndGet() <= 2
                ? RecordingServer.Answer.of(503)
                : RecordingServer.Answer.of(200));
    AlertEngine engine = engineWith(new WebhookNotifier(settings, metrics, "taskmaster"));

    holds.set(true);
    engine.evaluate();

    awaitValue(() -> sent("webhook"), 1);
    assertEquals(3, server.all.size());
    assertEquals(0, failed("webhook"));
  }

  @Test
  void givesUpAfterTheRetriesAndCountsTheFailure() throws Exception {
    NotifierSettings settings = webhookTo("/hook").retries(2).build();
    server.answer(request -> RecordingServer.Answer.of(500, "{\"error\":\"down\"}"));
    AlertEngine engine = engineWith(new WebhookNotifier(settings, metrics, "taskmaster"));

    holds.set(true);
    engine.evaluate();

    awaitValue(() -> failed("webhook"), 1);
    assertEquals(3, server.all.size());
    assertEquals(0, sent("webhook"));
    assertEquals(AlertState.FIRING, engine.alert("TaskMasterHighLatency").state());
  }

  @Test
  void aRejectedPayloadIsNotRetried() throws Exception {
    NotifierSettings settings = webhookTo("/hook").retries(3).build();
    server.answer(request -> RecordingServer.Answer.of(400, "bad payload"));
    AlertEngine engine = engineWith(new WebhookNotifier(settings, metrics, "taskmaster"));

    holds.set(true);
    engine.evaluate();

    awaitValue(() -> failed("webhook"), 1);
    Thread.sleep(100);
    assertEquals(1, server.all.size());
  }

  @Test
  void aSlowReceiverDelaysNeitherTheEngineNorTheCaller() throws Exception {
    NotifierSettings settings =
        webhookTo("/hook").timeout(Duration.ofMillis(200)).retries(1).build();
    // The receiver holds every request until the end of the test.
    CountDownLatch released = new CountDownLatch(1);
    server.answer(
        request -> {
          try {
            released.await();
          } catch (InterruptedException stopped) {
            Thread.currentThread().interrupt();
          }
          return RecordingServer.Answer.of(200);
        });
    AlertEngine engine = engineWith(new WebhookNotifier(settings, metrics, "taskmaster"));

    try {
      // Were the engine to wait for the receiver, this would never return.
      assertTimeoutPreemptively(
          Duration.ofSeconds(30),
          () -> {
            holds.set(true);
            engine.evaluate();
            holds.set(false);
            engine.evaluate();
          });
      // Firing and resolved each time out twice.
      awaitValue(() -> failed("webhook"), 2);
      assertEquals(AlertState.RESOLVED, engine.alert("TaskMasterHighLatency").state());
    } finally {
      released.countDown();
    }
  }

  @Test
  void anUnreachableReceiverIsCountedAsFailed() throws Exception {
    int closedPort = ExternalTools.freePort();
    NotifierSettings settings =
        NotifierSettings.builder()
            .webhook(java.net.URI.create("http://127.0.0.1:" + closedPort + "/hook?token=abc"))
            .retries(1)
            .backoff(Duration.ofMillis(10))
            .build();
    AlertEngine engine = engineWith(new WebhookNotifier(settings, metrics, "taskmaster"));

    holds.set(true);
    engine.evaluate();

    awaitValue(() -> failed("webhook"), 1);
  }

  @Test
  void aFullQueueDropsAndCounts() throws Exception {
    NotifierSettings settings =
        webhookTo("/hook").queueCapacity(1).timeout(Duration.ofSeconds(5)).retries(0).build();
    server.answer(request -> new RecordingServer.Answer(200, "", 1_000));
    AlertEngine engine = engineWith(new WebhookNotifier(settings, metrics, "taskmaster"));

    for (int i = 0; i < 3; i++) {
      holds.set(true);
      engine.evaluate();
      if (i == 0) {
        assertNotNull(server.next(5_000), "the first one is on its way");
      }
      holds.set(false);
      engine.evaluate();
    }

    // Six notifications: one in flight, one waiting, four dropped.
    assertEquals(4, failed("webhook"));
    awaitValue(() -> sent("webhook"), 2);
  }

  @Test
  void slackGetsAMessageWithEscapedTextColouredBySeverity() throws Exception {
    server = new RecordingServer();
    NotifierSettings settings =
        NotifierSettings.builder().slack(server.uri("/services/T/B/X")).build();
    AlertEngine engine = engineWith(new SlackNotifier(settings, metrics, "taskmaster"));

    holds.set(true);
    engine.evaluate();
    JsonObject firing = JsonParser.parseString(server.next(5_000).body).getAsJsonObject();
    holds.set(false);
    clock.advance(Duration.ofMinutes(1));
    engine.evaluate();
    JsonObject resolved = JsonParser.parseString(server.next(5_000).body).getAsJsonObject();

    assertEquals(
        "[FIRING] TaskMasterHighLatency (warning): Model calls are slow: p95 latency above 2s",
        firing.get("text").getAsString());
    JsonObject attachment = firing.getAsJsonArray("attachments").get(0).getAsJsonObject();
    assertEquals("#ecb22e", attachment.get("color").getAsString());
    assertEquals(
        "Latency &lt;high&gt; &amp; rising\n*Value:* 3.75s\n*Runbook:*\n1. Look.\n2. Act.",
        attachment.get("text").getAsString());
    assertEquals("instance=web-1, service=checkout", attachment.get("footer").getAsString());
    assertTrue(resolved.get("text").getAsString().startsWith("[RESOLVED] TaskMasterHighLatency"));
    JsonObject resolvedAttachment = resolved.getAsJsonArray("attachments").get(0).getAsJsonObject();
    assertEquals("#2eb67d", resolvedAttachment.get("color").getAsString());
    assertFalse(resolvedAttachment.get("text").getAsString().contains("Runbook"));
    awaitValue(() -> sent("slack"), 2);
  }
}
