package dev.taskmaster.agenttests.scenarios;

import static dev.taskmaster.agenttests.harness.AgentAssertions.assertHealthy;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.taskmaster.agenttests.fixtures.PricedCallsApp;
import dev.taskmaster.agenttests.fixtures.llm.LlmClient;
import dev.taskmaster.agenttests.fixtures.llm.Options;
import dev.taskmaster.agenttests.harness.AgentJvm;
import dev.taskmaster.agenttests.harness.MetricsSnapshot;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Cost and user feedback in a child JVM on the shaded jar: calls with known token counts cost
 * exactly what the price table says, an unpriced model is counted instead of guessed, and {@code
 * POST /feedback} on the agent's port accepts and refuses exactly as documented.
 */
class CostAndFeedbackTest {

  /** A dated snapshot, priced as gpt-4o-mini: 0.15 and 0.60 US dollars per million tokens. */
  private static final String PRICED = "gpt-4o-mini-2024-07-18";

  /** A local model with an Ollama tag: priced, at 0. */
  private static final String LOCAL = "llama3.2:3b";

  private static final String UNPRICED = "mystery-model";

  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @TempDir Path directory;

  private static AgentJvm.Builder app() {
    return AgentJvm.builder(PricedCallsApp.class)
        .args(PRICED + ":7", LOCAL + ":3", UNPRICED + ":2")
        .intercept(
            "chat",
            "class=" + LlmClient.class.getName(),
            "method=complete",
            "params=java.lang.String," + Options.class.getName(),
            "endpoint=chat",
            "model=arg1.model",
            "tokens.input=return.usage().promptTokens()",
            "tokens.output=return.usage().completionTokens()",
            "id=return.id()");
  }

  @Test
  void callsWithKnownTokensCostExactlyAndAnUnpricedModelIsCounted() {
    try (AgentJvm jvm = app().start()) {
      jvm.awaitReady();
      MetricsSnapshot metrics = jvm.scrape();
      BigDecimal expected =
          new BigDecimal("0.15")
              .multiply(BigDecimal.valueOf(jvm.longResult("tokens." + PRICED + ".input")))
              .add(
                  new BigDecimal("0.60")
                      .multiply(BigDecimal.valueOf(jvm.longResult("tokens." + PRICED + ".output"))))
              .divide(BigDecimal.valueOf(1_000_000));
      assertAll(
          () -> assertTrue(expected.signum() > 0),
          () ->
              assertEquals(
                  expected.doubleValue(),
                  metrics.value("taskmaster_cost_usd_total", "endpoint", "chat", "model", PRICED)),
          () ->
              assertEquals(
                  0.0,
                  metrics.value("taskmaster_cost_usd_total", "endpoint", "chat", "model", LOCAL)),
          () ->
              assertEquals(
                  2.0, metrics.value("taskmaster_cost_unpriced_calls_total", "model", UNPRICED)),
          () -> assertFalse(metrics.has("taskmaster_cost_usd_total", "model", UNPRICED)),
          () -> assertFalse(metrics.has("taskmaster_cost_unpriced_calls_total", "model", PRICED)),
          () -> assertHealthy(jvm, metrics));
    }
  }

  @Test
  void feedbackIsAcceptedOncePerCallAndEveryRefusalIsCounted() throws Exception {
    Path log = directory.resolve("agent.log");
    try (AgentJvm jvm =
        app()
            .agentArg("feedback.min-count", "3")
            .agentArg("log.destination", "file")
            .agentArg("log.file", log.toString())
            .start()) {
      jvm.awaitReady();
      String[] ids = jvm.result("ids." + PRICED).split(",");
      String json = "application/json";

      assertAll(
          () -> assertEquals(200, post(jvm, feedback(ids[0], "1"), json, null).statusCode()),
          () -> assertEquals(200, post(jvm, feedback(ids[1], "1"), json, null).statusCode()),
          () -> assertEquals(200, post(jvm, feedback(ids[2], "0"), json, null).statusCode()),
          () -> assertEquals(200, post(jvm, feedback(ids[3], "0.5"), json, null).statusCode()),
          () -> assertEquals(409, post(jvm, feedback(ids[0], "0"), json, null).statusCode()),
          () -> assertEquals(404, post(jvm, feedback("cmpl-999", "1"), json, null).statusCode()),
          () -> assertEquals(400, post(jvm, "{\"request_id\": ", json, null).statusCode()),
          () -> assertEquals(400, post(jvm, feedback(ids[4], "\"up\""), json, null).statusCode()),
          () ->
              assertEquals(
                  413,
                  post(
                          jvm,
                          feedback(ids[4], "1")
                              .replace("}", ", \"comment\": \"" + "x".repeat(9000) + "\"}"),
                          json,
                          null)
                      .statusCode()),
          () ->
              assertEquals(415, post(jvm, feedback(ids[4], "1"), "text/plain", null).statusCode()));
      HttpResponse<String> unknown = post(jvm, feedback("cmpl-999", "1"), json, null);
      JsonObject error = JsonParser.parseString(unknown.body()).getAsJsonObject();
      assertEquals("unknown_request_id", error.get("error").getAsString());
      assertTrue(error.get("message").getAsString().contains("cmpl-999"), unknown.body());

      MetricsSnapshot metrics = jvm.scrape();
      String[] chat = {"endpoint", "chat", "model", PRICED};
      assertAll(
          () -> assertEquals(2, metrics.value("taskmaster_feedback_total", with(chat, "positive"))),
          () -> assertEquals(1, metrics.value("taskmaster_feedback_total", with(chat, "negative"))),
          () -> assertEquals(1, metrics.value("taskmaster_feedback_total", with(chat, "neutral"))),
          () -> assertEquals(0.625, metrics.value("taskmaster_user_satisfaction", chat)),
          () -> assertEquals(1, rejected(metrics, "duplicate_feedback")),
          () -> assertEquals(2, rejected(metrics, "unknown_request_id")),
          () -> assertEquals(1, rejected(metrics, "malformed_json")),
          () -> assertEquals(1, rejected(metrics, "invalid_field")),
          () -> assertEquals(1, rejected(metrics, "too_large")),
          () -> assertEquals(1, rejected(metrics, "unsupported_media_type")),
          () -> assertEquals(7, metrics.sum("taskmaster_feedback_rejected_total")),
          () -> assertHealthy(jvm, metrics));

      // Each accepted feedback is one log line, joined to its call's request line by request_id.
      List<JsonObject> feedbackLines = awaitLines(log, "feedback", 4);
      Set<String> requestIds = new HashSet<>();
      for (JsonObject line : awaitLines(log, "request", 12)) {
        requestIds.add(line.get("request_id").getAsString());
      }
      for (JsonObject line : feedbackLines) {
        assertTrue(requestIds.contains(line.get("request_id").getAsString()), line.toString());
        assertEquals(PRICED, line.get("model").getAsString());
      }
    }
  }

  @Test
  void aTokenProtectsTheFeedbackEndpoint() throws Exception {
    try (AgentJvm jvm = app().agentArg("feedback.token", "s3cret").start()) {
      jvm.awaitReady();
      String body = feedback(jvm.result("ids." + PRICED).split(",")[0], "1");

      HttpResponse<String> none = post(jvm, body, "application/json", null);
      HttpResponse<String> wrong = post(jvm, body, "application/json", "Bearer guess");
      HttpResponse<String> right = post(jvm, body, "application/json", "Bearer s3cret");

      MetricsSnapshot metrics = jvm.scrape();
      assertAll(
          () -> assertEquals(401, none.statusCode()),
          () -> assertEquals(401, wrong.statusCode()),
          () -> assertEquals(200, right.statusCode(), right.body()),
          () -> assertEquals(2, rejected(metrics, "unauthorized")),
          () -> assertEquals(1, metrics.sum("taskmaster_feedback_total")),
          () -> assertFalse(jvm.stderr().contains("s3cret"), "the token is never printed"),
          () -> assertHealthy(jvm, metrics));
    }
  }

  private static String feedback(String requestId, String score) {
    return "{\"request_id\": \"" + requestId + "\", \"score\": " + score + "}";
  }

  private static HttpResponse<String> post(
      AgentJvm jvm, String body, String contentType, String authorization)
      throws IOException, InterruptedException {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + jvm.port() + "/feedback"))
            .timeout(Duration.ofSeconds(10))
            .header("Content-Type", contentType)
            .POST(HttpRequest.BodyPublishers.ofString(body));
    if (authorization != null) {
      request.header("Authorization", authorization);
    }
    return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static double rejected(MetricsSnapshot metrics, String reason) {
    return metrics.value("taskmaster_feedback_rejected_total", "reason", reason);
  }

  private static String[] with(String[] labels, String verdict) {
    String[] all = java.util.Arrays.copyOf(labels, labels.length + 2);
    all[labels.length] = "verdict";
    all[labels.length + 1] = verdict;
    return all;
  }

  /** The log's lines of one event type, once there are {@code count}; the writer is a thread. */
  private static List<JsonObject> awaitLines(Path log, String eventType, int count)
      throws Exception {
    long deadline = System.nanoTime() + AgentJvm.TIMEOUT.toNanos();
    while (true) {
      List<JsonObject> lines = new ArrayList<>();
      if (Files.exists(log)) {
        for (String line : Files.readAllLines(log)) {
          JsonObject json = JsonParser.parseString(line).getAsJsonObject();
          if (eventType.equals(json.get("event_type").getAsString())) {
            lines.add(json);
          }
        }
      }
      if (lines.size() >= count || System.nanoTime() > deadline) {
        assertEquals(count, lines.size(), eventType + " lines in " + log);
        return lines;
      }
      Thread.sleep(50);
    }
  }
}
