package dev.taskmaster.agenttests.scenarios;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.taskmaster.agenttests.fixtures.SecretCallsApp;
import dev.taskmaster.agenttests.harness.AgentJvm;
import dev.taskmaster.agenttests.harness.MetricsSnapshot;
import dev.taskmaster.agenttests.harness.WebhookReceiver;
import dev.taskmaster.sample.server.ModelServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * No secret leaves the call: an application sends chat calls carrying a unique API key in the
 * {@code Authorization} header, in an {@code api-key} header and in the URL query, through five
 * client libraries, with successes, server errors, a refused connection and a server that refuses
 * the key and quotes it in its error message, while every output of the agent is on: the JSON call
 * log (with content capture off, then on), the agent's own lines at debug level, an alert sent to a
 * webhook, a health probe that carries the key itself (and a header setting that is not accepted),
 * and a drift baseline written to a file. Then every one of those outputs, and every page of the
 * metrics port, is searched for the key and for a part of it: it appears nowhere. Each search first
 * proves it had something to search.
 *
 * <p>The key has no known prefix ({@code sk-}, {@code AIza}) and fewer than 32 characters, so no
 * redaction pattern recognises it: the agent keeps it out because it never reads request headers or
 * URL queries and keeps no error message, only a status or an exception's class.
 */
class SecretLeakTest {

  private static final int SUCCEEDED = SecretCallsApp.ROUNDS * 4 * 2 * 3 + 2 + 1;
  private static final int FAILED = 4 * 3 + 1 + 1 + 4 * 3;

  @ParameterizedTest(name = "capture.content={0}")
  @ValueSource(booleans = {false, true})
  void theKeyAppearsInNoOutputOfTheAgent(boolean capture, @TempDir Path directory)
      throws IOException {
    String key = "tmk" + UUID.randomUUID().toString().replace("-", "").substring(0, 25);
    Path baselineFile = directory.resolve("drift-baseline.json");
    Path logFile = directory.resolve("calls.log");
    Map<String, String> outputs = new LinkedHashMap<>();
    try (ModelServer server = ModelServer.start(0);
        WebhookReceiver receiver = WebhookReceiver.start();
        AgentJvm jvm =
            AgentJvm.builder(SecretCallsApp.class)
                .args(server.baseUrl(), key)
                .agentArg("capture.content", Boolean.toString(capture))
                .agentArg("log.destination", capture ? "file" : "stderr")
                .agentArg("log.file", logFile.toString())
                .agentArg("log.level", "debug")
                .agentArg("alerting.interval", "1s")
                .agentArg("alerting.error-rate.for", "0s")
                .agentArg("alerting.webhook.url", receiver.uri("/hook").toString())
                .agentArg("drift.warmup", "50")
                .agentArg("drift.baseline.file", baselineFile.toString())
                // The agent's own requests carry the key too: the probe's URL and its header; a
                // second header item lacks its colon and is reported.
                .config("health.url", server.baseUrl() + "/v1/models?key=" + key)
                .config("health.headers", "Authorization: Bearer " + key + ",api-key " + key)
                .config("health.interval", "1s")
                .start()) {
      jvm.awaitReady();
      WebhookReceiver.Request alert =
          receiver.await(
              request -> request.body().contains("\"TaskMasterHighErrorRate\""),
              Duration.ofSeconds(30));
      assertNotNull(alert, () -> "no TaskMasterHighErrorRate notification\n" + jvm.describe());
      awaitFile(baselineFile, jvm::describe);
      MetricsSnapshot metrics = awaitAllCalls(jvm);

      outputs.put("/metrics", metrics.text());
      outputs.put("/api/status", jvm.scrapeText("/api/status"));
      outputs.put("/", jvm.scrapeText("/"));
      outputs.put("/health", jvm.scrapeText("/health"));
      assertAll(
          () -> assertEquals(SUCCEEDED, jvm.longResult("succeeded")),
          () -> assertEquals(FAILED, jvm.longResult("failed")),
          () ->
              assertEquals(
                  SUCCEEDED,
                  metrics.sum("taskmaster_requests_total", "status", "success"),
                  () -> metrics.samples("taskmaster_requests_total").toString()),
          () ->
              assertEquals(
                  FAILED,
                  metrics.sum("taskmaster_requests_total", "status", "error"),
                  () -> metrics.samples("taskmaster_requests_total").toString()),
          () -> assertEquals(0, metrics.sum("taskmaster_agent_errors_total"), jvm::describe),
          () -> assertTrue(outputs.get("/api/status").contains("gpt-secret-")),
          () -> assertTrue(outputs.get("/health").contains("\"model\"")));

      assertEquals(0, jvm.finish(), jvm::describe);
      outputs.put("stdout", jvm.stdout());
      outputs.put("stderr", jvm.stderr());
      if (capture) {
        outputs.put("log file", Files.readString(logFile));
      }
      outputs.put("drift baseline file", Files.readString(baselineFile));
      List<WebhookReceiver.Request> notifications = receiver.requests();
      for (int i = 0; i < notifications.size(); i++) {
        outputs.put("webhook notification " + i, notifications.get(i).body());
      }

      String log = capture ? outputs.get("log file") : jvm.stderr();
      List<JsonObject> calls = callLines(log);
      assertAll(
          () -> assertTrue(log.contains("\"event_type\":\"alert\""), "no alert line in the log"),
          () -> assertEquals(SUCCEEDED + FAILED, calls.size(), "JSON call lines"),
          () ->
              assertEquals(
                  capture ? SUCCEEDED + FAILED : 0,
                  calls.stream().filter(call -> call.has("prompt")).count(),
                  "calls whose prompt was captured"),
          () ->
              assertTrue(
                  jvm.stderr().contains("[taskmaster] INFO serving metrics on"),
                  "no line of the agent's own to search"),
          () -> assertTrue(outputs.get("drift baseline file").length() > 100));
    }
    String fragment = key.substring(8, 20);
    assertAll(
        outputs.entrySet().stream()
            .map(
                output ->
                    (Executable)
                        () -> {
                          assertFalse(output.getValue().isBlank(), output.getKey() + " is empty");
                          assertAbsent(output.getKey(), output.getValue(), key);
                          assertAbsent(output.getKey(), output.getValue(), fragment);
                        }));
    assertTrue(
        outputs
            .get("stderr")
            .lines()
            .anyMatch(
                line ->
                    line.equals(
                        "[taskmaster] WARN health.headers=\"api-key ...\" is not accepted:"
                            + " expected items name:value; ignored")),
        "the header item without colon was not reported");
  }

  private static void assertAbsent(String where, String text, String secret) {
    int at = text.indexOf(secret);
    if (at >= 0) {
      String around =
          text.substring(
              Math.max(0, at - 300), Math.min(text.length(), at + secret.length() + 100));
      throw new AssertionError(where + " contains the key (" + secret + "):\n..." + around + "...");
    }
  }

  /** The JSON call lines ({@code event_type} request) of a log. */
  private static List<JsonObject> callLines(String log) {
    return log.lines()
        .filter(line -> line.startsWith("{"))
        .map(line -> JsonParser.parseString(line).getAsJsonObject())
        .filter(line -> line.has("event_type"))
        .filter(line -> line.get("event_type").getAsString().equals("request"))
        .collect(Collectors.toList());
  }

  /** Scrapes until the pipeline has recorded every call the application made. */
  private static MetricsSnapshot awaitAllCalls(AgentJvm jvm) {
    long deadline = System.nanoTime() + AgentJvm.TIMEOUT.toNanos();
    while (true) {
      MetricsSnapshot metrics = jvm.scrape();
      if (metrics.sum("taskmaster_requests_total") >= SUCCEEDED + FAILED
          || System.nanoTime() > deadline) {
        return metrics;
      }
      sleep();
    }
  }

  private static void awaitFile(Path file, Supplier<String> describe) {
    long deadline = System.nanoTime() + AgentJvm.TIMEOUT.toNanos();
    while (!Files.exists(file)) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("no file " + file + "\n" + describe.get());
      }
      sleep();
    }
  }

  private static void sleep() {
    try {
      Thread.sleep(50);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted");
    }
  }
}
