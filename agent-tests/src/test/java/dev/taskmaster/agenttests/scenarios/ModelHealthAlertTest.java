package dev.taskmaster.agenttests.scenarios;

import static dev.taskmaster.agenttests.harness.AgentAssertions.assertHealthy;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.sun.net.httpserver.HttpServer;
import dev.taskmaster.agenttests.fixtures.CoreApp;
import dev.taskmaster.agenttests.harness.AgentJvm;
import dev.taskmaster.agenttests.harness.MetricsSnapshot;
import dev.taskmaster.agenttests.harness.WebhookReceiver;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/**
 * A model that goes down while nobody calls it, seen through {@code health.url} alone: {@code
 * taskmaster_model_loaded} and {@code /health} follow the probe, {@code TaskMasterModelDown} fires
 * in the JVM and its firing and then its resolution reach the agent's webhook notifier, with
 * labels, annotations and times.
 */
class ModelHealthAlertTest {

  private static final String MODEL = "gpt-4o-mini";
  private static final String ALERT = "TaskMasterModelDown";
  private static final Duration WAIT = Duration.ofSeconds(30);

  @Test
  void aModelThatGoesDownUnusedFiresTheAlertAndItsResolutionReachesTheWebhook() throws Exception {
    AtomicBoolean up = new AtomicBoolean(true);
    HttpServer models = modelsServer(up);
    try (WebhookReceiver receiver = WebhookReceiver.start();
        AgentJvm jvm =
            AgentJvm.builder(CoreApp.class)
                // Its calls are not intercepted: the agent sees no model call at all.
                .args(1, "unwatched")
                .agentArg(
                    "health.url",
                    "http://127.0.0.1:" + models.getAddress().getPort() + "/v1/models")
                .agentArg("health.model", MODEL)
                .agentArg("health.interval", "1s")
                .agentArg("alerting.interval", "1s")
                .agentArg("alerting.model-down.for", "2s")
                .agentArg("alerting.instance", "web-7")
                .agentArg("alerting.webhook.url", receiver.uri("/hook").toString())
                .start()) {
      jvm.awaitReady();
      MetricsSnapshot upBefore = scrapeWhen(jvm, m -> loaded(m) == 1.0);
      assertEquals(1.0, loaded(upBefore), upBefore::text);
      assertEquals(0.0, state(upBefore), upBefore::text);

      Instant down = Instant.now();
      up.set(false);
      WebhookReceiver.Request firing = receiver.await(alert("firing"), WAIT);
      assertNotNull(firing, () -> receiver.requests() + "\n" + jvm.describe());
      MetricsSnapshot whileDown = jvm.scrape();
      JsonObject healthDown = JsonParser.parseString(jvm.scrapeText("/health")).getAsJsonObject();

      up.set(true);
      WebhookReceiver.Request resolved = receiver.await(alert("resolved"), WAIT);
      assertNotNull(resolved, () -> receiver.requests() + "\n" + jvm.describe());
      MetricsSnapshot upAgain = scrapeWhen(jvm, m -> state(m) == 0.0 && sent(m) == 2.0);
      JsonObject healthUp = JsonParser.parseString(jvm.scrapeText("/health")).getAsJsonObject();

      JsonObject fired = JsonParser.parseString(firing.body()).getAsJsonObject();
      JsonObject ended = JsonParser.parseString(resolved.body()).getAsJsonObject();
      JsonObject annotations = fired.getAsJsonObject("annotations");
      Instant startsAt = Instant.parse(fired.get("startsAt").getAsString());
      assertAll(
          () -> assertEquals("/hook", firing.path()),
          () -> assertEquals(0.0, loaded(whileDown), whileDown::text),
          () -> assertEquals(2.0, state(whileDown), whileDown::text),
          () -> assertEquals(1.0, loaded(upAgain), upAgain::text),
          () -> assertEquals(0.0, state(upAgain), upAgain::text),
          () -> assertEquals(0.0, upAgain.sum("taskmaster_requests_total")),
          () ->
              assertEquals(
                  "degraded", healthDown.get("status").getAsString(), healthDown::toString),
          () ->
              assertEquals(
                  "{\"up\":false,\"models\":{\"gpt-4o-mini\":false}}",
                  healthDown.get("model").toString()),
          () -> assertEquals("ok", healthUp.get("status").getAsString(), healthUp::toString),
          () ->
              assertEquals(
                  "{\"up\":true,\"models\":{\"gpt-4o-mini\":true}}",
                  healthUp.get("model").toString()),
          () -> assertEquals("critical", fired.get("severity").getAsString()),
          () ->
              assertEquals("web-7", fired.getAsJsonObject("labels").get("instance").getAsString()),
          () ->
              assertEquals(
                  "The model is not loaded or not reachable",
                  annotations.get("summary").getAsString()),
          () ->
              assertTrue(
                  annotations.get("description").getAsString().contains("for 2s"),
                  annotations.toString()),
          () ->
              assertTrue(
                  annotations.get("runbook").getAsString().startsWith("1. Query the URL"),
                  annotations.toString()),
          () -> assertTrue(fired.get("endsAt").isJsonNull(), fired.toString()),
          // It fires once the probe has failed and the 2 s have passed, not before.
          () -> assertTrue(!startsAt.isBefore(down.minusSeconds(1)), fired + " vs " + down),
          () -> assertEquals(fired.get("startsAt"), ended.get("startsAt")),
          () ->
              assertTrue(
                  Instant.parse(ended.get("endsAt").getAsString()).isAfter(startsAt),
                  ended.toString()),
          () -> assertEquals(2.0, sent(upAgain), "the firing and the resolution"),
          () -> assertEquals(0.0, upAgain.sum("taskmaster_notifications_failed_total")),
          () ->
              assertTrue(
                  jvm.stderrLines()
                      .contains(
                          "[taskmaster] WARN alert TaskMasterModelDown firing: The model is not"
                              + " loaded or not reachable"),
                  jvm::describe),
          () ->
              assertHealthy(
                  jvm,
                  upAgain,
                  "taskmaster",
                  line ->
                      line.contains("the model is down (HTTP 503)")
                          || line.contains("WARN alert TaskMasterModelDown firing")));
    } finally {
      models.stop(0);
    }
  }

  private static Predicate<WebhookReceiver.Request> alert(String status) {
    return request -> {
      JsonObject body = JsonParser.parseString(request.body()).getAsJsonObject();
      return ALERT.equals(body.get("alertname").getAsString())
          && status.equals(body.get("status").getAsString());
    };
  }

  /** The probed model's gauge, or NaN before the first probe. */
  private static double loaded(MetricsSnapshot metrics) {
    String[] series = {"model", MODEL};
    return metrics.has("taskmaster_model_loaded", series)
        ? metrics.value("taskmaster_model_loaded", series)
        : Double.NaN;
  }

  private static double sent(MetricsSnapshot metrics) {
    return metrics.value("taskmaster_notifications_sent_total", "notifier", "webhook");
  }

  private static double state(MetricsSnapshot metrics) {
    return metrics.value("taskmaster_alert_state", "alertname", ALERT);
  }

  private static MetricsSnapshot scrapeWhen(AgentJvm jvm, Predicate<MetricsSnapshot> settled)
      throws InterruptedException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    MetricsSnapshot metrics = jvm.scrape();
    while (!settled.test(metrics) && System.nanoTime() < deadline) {
      TimeUnit.MILLISECONDS.sleep(100);
      metrics = jvm.scrape();
    }
    return metrics;
  }

  /** A model list that answers 200 with the model while {@code up}, else 503. */
  private static HttpServer modelsServer(AtomicBoolean up) {
    try {
      HttpServer server =
          HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
      server.createContext(
          "/v1/models",
          exchange -> {
            boolean isUp = up.get();
            byte[] body =
                (isUp
                        ? "{\"object\":\"list\",\"data\":[{\"id\":\"" + MODEL + "\"}]}"
                        : "{\"error\":{\"message\":\"model is loading\"}}")
                    .getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(isUp ? 200 : 503, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
          });
      server.start();
      return server;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
