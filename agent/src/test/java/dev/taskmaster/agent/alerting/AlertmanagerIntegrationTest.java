package dev.taskmaster.agent.alerting;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent's alerts through a real Alertmanager (Debian package {@code prometheus-alertmanager}),
 * which routes them to a webhook receiver in this test: the alert arrives, then its resolution.
 * Skipped when the binary is absent.
 */
class AlertmanagerIntegrationTest {

  @TempDir Path directory;
  private Process alertmanager;
  private RecordingServer receiver;
  private AlertmanagerNotifier notifier;
  private Path log;

  @BeforeEach
  void startAlertmanager() throws Exception {
    Path binary = ExternalTools.find("prometheus-alertmanager", "alertmanager", "ALERTMANAGER");
    if (binary == null) {
      binary = ExternalTools.find("alertmanager", "alertmanager", "ALERTMANAGER");
    }
    assumeTrue(
        binary != null,
        "prometheus-alertmanager not found on the PATH (nor -Dalertmanager, nor $ALERTMANAGER):"
            + " skipping the Alertmanager test. Install it with"
            + " `apt-get install prometheus-alertmanager`.");
    receiver = new RecordingServer();
    Path config = directory.resolve("alertmanager.yml");
    Files.writeString(
        config,
        "global:\n"
            + "  resolve_timeout: 5s\n"
            + "route:\n"
            + "  receiver: test\n"
            + "  group_by: ['alertname']\n"
            + "  group_wait: 1s\n"
            + "  group_interval: 1s\n"
            + "  repeat_interval: 1h\n"
            + "receivers:\n"
            + "  - name: test\n"
            + "    webhook_configs:\n"
            + "      - url: '"
            + receiver.uri("/alerts")
            + "'\n"
            + "        send_resolved: true\n",
        StandardCharsets.UTF_8);
    int port = ExternalTools.freePort();
    log = directory.resolve("alertmanager.log");
    alertmanager =
        new ProcessBuilder(
                binary.toString(),
                "--config.file=" + config,
                "--storage.path=" + directory.resolve("data"),
                "--web.listen-address=127.0.0.1:" + port,
                "--cluster.listen-address=")
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    URI base = URI.create("http://127.0.0.1:" + port);
    awaitReady(base);
    NotifierSettings settings =
        NotifierSettings.builder()
            .alertmanager(List.of(base))
            .resendInterval(Duration.ofSeconds(1))
            .backoff(Duration.ofMillis(100))
            .build();
    notifier =
        new AlertmanagerNotifier(
            settings,
            Duration.ofSeconds(1),
            new AlertMetrics(new PrometheusRegistry(), "taskmaster"),
            "taskmaster");
  }

  @AfterEach
  void stop() throws Exception {
    if (notifier != null) {
      notifier.close(Duration.ZERO);
    }
    if (alertmanager != null) {
      alertmanager.destroy();
      if (!alertmanager.waitFor(10, TimeUnit.SECONDS)) {
        alertmanager.destroyForcibly();
      }
    }
    if (receiver != null) {
      receiver.close();
    }
  }

  private void awaitReady(URI base) throws Exception {
    HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (System.nanoTime() < deadline) {
      if (!alertmanager.isAlive()) {
        fail("Alertmanager exited:\n" + Files.readString(log));
      }
      try {
        HttpResponse<Void> response =
            client.send(
                HttpRequest.newBuilder(base.resolve("/-/ready")).build(),
                HttpResponse.BodyHandlers.discarding());
        if (response.statusCode() == 200) {
          return;
        }
      } catch (java.io.IOException notYet) {
        // Still starting.
      }
      Thread.sleep(100);
    }
    fail("Alertmanager not ready within 30 s:\n" + Files.readString(log));
  }

  private JsonObject nextNotification() throws Exception {
    RecordingServer.Request request = receiver.next(30_000);
    assertNotNull(request, "Alertmanager sent nothing within 30 s:\n" + Files.readString(log));
    return JsonParser.parseString(request.body).getAsJsonObject();
  }

  @Test
  void theAlertArrivesThroughAlertmanagerAndThenItsResolution() throws Exception {
    AtomicBoolean holds = new AtomicBoolean(true);
    AlertEngine engine =
        new AlertEngine(
            AlertSettings.builder().instance("web-1").build(),
            new AlertMetrics(new PrometheusRegistry(), "taskmaster"),
            "checkout",
            Clock.systemUTC(),
            failure -> {
              throw new AssertionError(failure);
            });
    engine.register(
        AlertRule.builder("TaskMasterHighErrorRate")
            .severity(Severity.CRITICAL)
            .summary("More than 5% of model calls fail")
            .description("d")
            .runbook("1. r")
            .valueFormat(ValueFormat.PERCENT)
            .build(),
        now -> AlertCondition.Result.of(holds.get(), 0.12));
    engine.addNotifier(notifier);

    engine.evaluate();
    JsonObject firing = nextNotification();

    assertEquals("firing", firing.get("status").getAsString());
    JsonObject alert = firing.getAsJsonArray("alerts").get(0).getAsJsonObject();
    assertEquals("firing", alert.get("status").getAsString());
    JsonObject labels = alert.getAsJsonObject("labels");
    assertEquals("TaskMasterHighErrorRate", labels.get("alertname").getAsString());
    assertEquals("critical", labels.get("severity").getAsString());
    assertEquals("checkout", labels.get("service").getAsString());
    assertEquals("12%", alert.getAsJsonObject("annotations").get("value").getAsString());

    holds.set(false);
    engine.evaluate();
    JsonObject resolved = nextNotification();

    assertEquals("resolved", resolved.get("status").getAsString());
    JsonObject ended = resolved.getAsJsonArray("alerts").get(0).getAsJsonObject();
    assertEquals(
        "TaskMasterHighErrorRate", ended.getAsJsonObject("labels").get("alertname").getAsString());
    assertEquals("resolved", ended.get("status").getAsString());
    assertNull(receiver.next(1_500), "nothing after the resolution");
  }
}
