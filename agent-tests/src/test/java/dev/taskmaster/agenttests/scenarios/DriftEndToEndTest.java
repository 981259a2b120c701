package dev.taskmaster.agenttests.scenarios;

import static dev.taskmaster.agenttests.harness.AgentAssertions.assertHealthy;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.taskmaster.agenttests.fixtures.SteadyCallsApp;
import dev.taskmaster.agenttests.harness.AgentJvm;
import dev.taskmaster.agenttests.harness.MetricsSnapshot;
import dev.taskmaster.sample.server.Behaviour;
import dev.taskmaster.sample.server.ModelServer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Drift detection real in every layer: a child JVM on the shaded jar calls the sample model server
 * through the JDK's HttpClient, as many calls as the test asks for; the server answers from its
 * seeded traffic model, whose scenario the test switches through {@code POST /control}; the test
 * reads {@code /metrics}, the agent's log file and the baseline file, and re-learns the baseline
 * through {@code POST /drift/relearn}. The warm-up is 100 calls (the smallest allowed is 50), so
 * that each test takes seconds.
 */
class DriftEndToEndTest {

  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  /**
   * The traffic model's seconds (about 1.2 for a stable call) to real ones: about 60 ms a call, so
   * that the latency the agent sees is mostly the model's. At 35 ms a call a latency step went
   * undetected within 2,000 calls on a machine at load 12.
   */
  private static final double TIME_SCALE = 0.05;

  private static final int WARMUP = 100;

  private static final String TOKEN = "s3cret-relearn";

  /** The signals that every call of the fixture feeds: each learns over exactly the warm-up. */
  private static final List<String> FED =
      List.of(
          "latency",
          "output_tokens",
          "response_length",
          "quality",
          "empty_rate",
          "refusal_rate",
          "truncated_rate",
          "repetition_rate");

  /**
   * The signals the fixture never feeds: no stream (no time to first token), no JSON asked for, no
   * user feedback. They stay {@code learning}.
   */
  private static final List<String> NOT_FED =
      List.of("time_to_first_token", "invalid_json_rate", "satisfaction");

  @TempDir Path directory;

  private long calls;

  private AgentJvm.Builder app(ModelServer server, Path log) {
    return AgentJvm.builder(SteadyCallsApp.class)
        .args(server.baseUrl())
        .agentArg("drift.warmup", Integer.toString(WARMUP))
        .agentArg("drift.rate.warmup", Integer.toString(WARMUP))
        .agentArg("drift.baseline.file", baselineFile().toString())
        .agentArg("log.destination", "file")
        .agentArg("log.file", log.toString());
  }

  private Path baselineFile() {
    return directory.resolve("baseline.json");
  }

  private static ModelServer server() {
    return ModelServer.start(
        "127.0.0.1", 0, new Behaviour("stable", 11).timeScale(TIME_SCALE).traffic(true));
  }

  @Test
  void learnsOverTheWarmUpAlarmsOnceOnALatencyStepResolvesAndKeepsTheBaselineOverARestart()
      throws Exception {
    Path log = directory.resolve("agent.log");
    Map<String, Double> baselines = new LinkedHashMap<>();
    try (ModelServer server = server()) {
      try (AgentJvm jvm = app(server, log).start()) {
        jvm.awaitReady();
        calls = 0;
        MetricsSnapshot before = awaitMetrics(jvm, m -> m.has("taskmaster_drift_status"), "gauges");
        for (String signal : concat(FED, NOT_FED)) {
          assertEquals(-1, status(before, signal), signal + " learning before any call");
        }

        // One call short of the warm-up: every signal still learns, nothing is saved.
        call(jvm, WARMUP - 1);
        MetricsSnapshot almost = awaitScored(jvm, WARMUP - 1);
        for (String signal : FED) {
          assertEquals(-1, status(almost, signal), signal + " after " + (WARMUP - 1) + " calls");
        }
        assertFalse(Files.exists(baselineFile()), "no baseline saved while learning");

        // The warm-up's last call freezes every fed signal's baseline and saves it.
        call(jvm, 1);
        MetricsSnapshot learned =
            awaitMetrics(jvm, m -> allStatus(m, FED, 0), "every fed signal learned");
        for (String signal : FED) {
          baselines.put(signal, learned.value("taskmaster_drift_baseline", "signal", signal));
        }
        for (String signal : NOT_FED) {
          assertEquals(-1, status(learned, signal), signal + " is never fed");
        }
        assertEquals(new TreeSet<>(FED), savedSignals(), "the signals in the baseline file");

        // Unchanged traffic raises nothing.
        call(jvm, 200);
        MetricsSnapshot stable = awaitScored(jvm, calls);
        assertAll(
            () -> assertTrue(allStatus(stable, FED, 0), stable::text),
            () -> assertEquals(0, stable.sum("taskmaster_drift_alarms_total")),
            () -> assertEquals(List.of(), driftLines(log, null)));

        // Latency x3: one alarm, at most one escalation, up to critical.
        assertEquals(200, post(server.baseUrl() + "/control", "{\"scenario\":\"latency_step\"}"));
        MetricsSnapshot critical =
            callUntil(jvm, m -> status(m, "latency") == 2, 2000, "latency critical");
        // The log is written behind a queue: the lines may come a moment after the status.
        List<JsonObject> alarms = awaitDriftLines(log, "alarm", 1);
        assertEquals(1, alarms.size(), () -> "one alarm: " + alarms);
        JsonObject alarm = alarms.get(0);
        double baseline = baselines.get("latency");
        double current = alarm.get("current").getAsDouble();
        boolean startedAsWarning = "warning".equals(alarm.get("severity").getAsString());
        List<JsonObject> escalations = awaitDriftLines(log, "escalation", startedAsWarning ? 1 : 0);
        assertAll(
            () -> assertEquals("latency", alarm.get("signal").getAsString()),
            () -> assertEquals("WARN", alarm.get("level").getAsString()),
            () -> assertEquals(false, alarm.get("resolved").getAsBoolean()),
            () -> assertEquals("sequential", alarm.get("method").getAsString()),
            () -> assertTrue(Set.of("warning", "critical").contains(severity(alarm))),
            () -> assertEquals(baseline, alarm.get("baseline").getAsDouble()),
            () -> assertTrue(current > baseline * 1.25, alarm::toString),
            () -> assertEquals(current / baseline - 1, alarm.get("deviation").getAsDouble(), 1e-12),
            () -> assertEquals(startedAsWarning ? 1 : 0, escalations.size(), escalations::toString),
            () -> escalations.forEach(e -> assertEquals("critical", severity(e))),
            () ->
                assertEquals(
                    alarms.size() + escalations.size(),
                    critical.sum("taskmaster_drift_alarms_total", "signal", "latency")),
            () -> assertEquals(2, status(critical, "latency")),
            // The score is the evidence now; the status stays critical until the episode ends.
            () ->
                assertTrue(
                    critical.value("taskmaster_drift_score", "signal", "latency")
                        > stable.value("taskmaster_drift_score", "signal", "latency"),
                    critical::text));

        // Back to unchanged traffic: one resolution, and no new alarm.
        assertEquals(200, post(server.baseUrl() + "/control", "{\"scenario\":\"stable\"}"));
        MetricsSnapshot resolved =
            callUntil(jvm, m -> status(m, "latency") == 0, 4000, "latency resolved");
        List<JsonObject> resolutions = awaitDriftLines(log, "resolution", 1);
        assertEquals(1, resolutions.size(), () -> "one resolution: " + resolutions);
        JsonObject resolution = resolutions.get(0);
        assertAll(
            () -> assertEquals("latency", resolution.get("signal").getAsString()),
            () -> assertEquals("WARN", resolution.get("level").getAsString()),
            () -> assertEquals(true, resolution.get("resolved").getAsBoolean()),
            () -> assertEquals("critical", severity(resolution), "the episode's severity"),
            () -> assertEquals(baseline, resolution.get("baseline").getAsDouble()),
            () -> assertTrue(resolution.get("current").getAsDouble() < current),
            () -> assertEquals(1, driftLines(log, "alarm").size()),
            () -> assertEquals(List.of("latency"), signalsOf(driftLines(log, null))),
            () -> assertEquals(0, jvm.longResult("failed")));
        assertHealthy(jvm, resolved);
        assertEquals(0, jvm.finish());
      }

      // A restart reads the saved baseline: nothing learns, the values are the same.
      Path secondLog = directory.resolve("second.log");
      try (AgentJvm jvm = app(server, secondLog).start()) {
        jvm.awaitReady();
        calls = 0;
        MetricsSnapshot reloaded =
            awaitMetrics(jvm, m -> m.has("taskmaster_drift_status"), "gauges");
        for (String signal : FED) {
          assertEquals(0, status(reloaded, signal), signal + " reloaded, not learning");
          assertEquals(
              baselines.get(signal),
              reloaded.value("taskmaster_drift_baseline", "signal", signal),
              signal + " baseline");
        }
        for (String signal : NOT_FED) {
          assertEquals(-1, status(reloaded, signal), signal + " was not saved");
        }
        call(jvm, 50);
        MetricsSnapshot after = awaitScored(jvm, 50);
        assertTrue(allStatus(after, FED, 0), after::text);
        assertEquals(List.of(), driftLines(secondLog, null));
        assertHealthy(jvm, after);
      }
    }
  }

  @Test
  void relearningNeedsTheTokenWhenOneIsSetAndStartsLearningAfresh() throws Exception {
    Path log = directory.resolve("agent.log");
    try (ModelServer server = server();
        AgentJvm jvm = app(server, log).agentArg("drift.relearn.token", TOKEN).start()) {
      jvm.awaitReady();
      calls = 0;
      call(jvm, WARMUP);
      awaitMetrics(jvm, m -> allStatus(m, FED, 0), "every fed signal learned");
      assertTrue(Files.exists(baselineFile()));
      String relearn = "http://127.0.0.1:" + jvm.port() + "/drift/relearn";

      // Refused: no token, a wrong token, a GET, an unknown signal. Nothing changes.
      assertAll(
          () -> assertEquals(401, relearn(relearn, null).statusCode()),
          () -> assertEquals(401, relearn(relearn, "wrong").statusCode()),
          () -> assertEquals(405, get(relearn)),
          () -> assertEquals(400, relearn(relearn + "?signal=nope", TOKEN).statusCode()));
      MetricsSnapshot unchanged = jvm.scrape();
      assertTrue(allStatus(unchanged, FED, 0), unchanged::text);
      assertTrue(Files.exists(baselineFile()));

      // One signal: it learns, the others and their saved baselines stay.
      HttpResponse<String> one = relearn(relearn + "?signal=latency", TOKEN);
      assertEquals(200, one.statusCode());
      assertEquals(
          "{\"status\":\"relearning\",\"signals\":[\"latency\"]}", one.body(), "the answer");
      MetricsSnapshot latencyOnly =
          awaitMetrics(jvm, m -> status(m, "latency") == -1, "latency learning");
      assertTrue(allStatus(latencyOnly, FED.subList(1, FED.size()), 0), latencyOnly::text);
      assertEquals(new TreeSet<>(FED.subList(1, FED.size())), savedSignals());
      call(jvm, WARMUP);
      awaitMetrics(jvm, m -> allStatus(m, FED, 0), "latency learned again");
      assertEquals(new TreeSet<>(FED), savedSignals());

      // Every signal: all learn, the file goes, and comes back after the next warm-up.
      HttpResponse<String> all = relearn(relearn, TOKEN);
      assertEquals(200, all.statusCode());
      JsonArray named =
          JsonParser.parseString(all.body()).getAsJsonObject().getAsJsonArray("signals");
      assertEquals(FED.size() + NOT_FED.size(), named.size(), all.body());
      MetricsSnapshot learning =
          awaitMetrics(jvm, m -> allStatus(m, FED, -1), "every signal learning");
      assertFalse(Files.exists(baselineFile()), "the baseline file is deleted");
      call(jvm, WARMUP - 1);
      MetricsSnapshot almost = awaitScored(jvm, calls);
      assertTrue(allStatus(almost, FED, -1), almost::text);
      call(jvm, 1);
      MetricsSnapshot relearned = awaitMetrics(jvm, m -> allStatus(m, FED, 0), "learned again");
      assertEquals(new TreeSet<>(FED), savedSignals());

      List<JsonObject> requests = new ArrayList<>();
      for (JsonObject line : logLines(log)) {
        if ("relearn".equals(string(line, "action"))) {
          requests.add(line);
        }
      }
      assertEquals(
          List.of("latency", "all"), signalsOf(requests), "one log line per accepted request");
      assertAll(
          () -> assertEquals(0, learning.sum("taskmaster_drift_alarms_total")),
          () -> assertEquals(0, jvm.longResult("failed")),
          () -> assertHealthy(jvm, relearned));
    }
  }

  @Test
  void withoutATokenAnyPostRelearns() throws Exception {
    Path log = directory.resolve("agent.log");
    try (ModelServer server = server();
        AgentJvm jvm = app(server, log).start()) {
      jvm.awaitReady();
      calls = 0;
      call(jvm, WARMUP);
      awaitMetrics(jvm, m -> allStatus(m, FED, 0), "every fed signal learned");
      String relearn = "http://127.0.0.1:" + jvm.port() + "/drift/relearn";
      assertEquals(200, relearn(relearn, null).statusCode());
      MetricsSnapshot learning =
          awaitMetrics(jvm, m -> allStatus(m, FED, -1), "every signal learning");
      assertFalse(Files.exists(baselineFile()));
      assertHealthy(jvm, learning);
    }
  }

  /** Makes the fixture send {@code count} calls, one after another, and waits for the last. */
  private void call(AgentJvm jvm, int count) {
    calls += count;
    jvm.send("calls " + count).awaitLine("called=" + calls);
  }

  /**
   * Waits until the agent scored {@code count} calls. The drift signals of a call are fed right
   * after its score, so at that point drift has seen {@code count - 1} or {@code count} calls.
   */
  private static MetricsSnapshot awaitScored(AgentJvm jvm, long count) throws Exception {
    return awaitMetrics(
        jvm, m -> m.sum("taskmaster_response_quality_count") == count, count + " scored calls");
  }

  /** Sends calls in batches of 50 until the condition holds, at most {@code max} of them. */
  private MetricsSnapshot callUntil(
      AgentJvm jvm, Predicate<MetricsSnapshot> condition, int max, String what) throws Exception {
    long start = calls;
    while (calls - start < max) {
      call(jvm, 50);
      MetricsSnapshot metrics = awaitScored(jvm, calls);
      if (condition.test(metrics)) {
        return metrics;
      }
    }
    throw jvm.failure("no " + what + " within " + max + " calls:\n" + jvm.scrape().text());
  }

  private static double status(MetricsSnapshot metrics, String signal) {
    // -2 until the agent's background start has registered the drift gauges.
    return metrics.find("taskmaster_drift_status", "signal", signal).orElse(-2);
  }

  private static boolean allStatus(MetricsSnapshot metrics, List<String> signals, int status) {
    return signals.stream().allMatch(signal -> status(metrics, signal) == status);
  }

  private static MetricsSnapshot awaitMetrics(
      AgentJvm jvm, Predicate<MetricsSnapshot> condition, String what) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    MetricsSnapshot metrics = jvm.scrape();
    while (!condition.test(metrics)) {
      if (System.nanoTime() > deadline) {
        throw jvm.failure("no " + what + " within 30 s:\n" + metrics.text());
      }
      Thread.sleep(20);
      metrics = jvm.scrape();
    }
    return metrics;
  }

  /** The signals saved in the baseline file. */
  private Set<String> savedSignals() throws IOException {
    JsonObject saved = JsonParser.parseString(Files.readString(baselineFile())).getAsJsonObject();
    return new TreeSet<>(saved.getAsJsonObject("signals").keySet());
  }

  private static List<JsonObject> logLines(Path log) throws IOException {
    List<JsonObject> lines = new ArrayList<>();
    if (Files.exists(log)) {
      for (String line : Files.readAllLines(log)) {
        lines.add(JsonParser.parseString(line).getAsJsonObject());
      }
    }
    return lines;
  }

  /**
   * The drift episode lines (alarm, escalation, resolution) of the agent's log; of one action, or
   * all of them for {@code null}.
   */
  private static List<JsonObject> driftLines(Path log, String action) throws IOException {
    List<JsonObject> lines = new ArrayList<>();
    for (JsonObject line : logLines(log)) {
      String lineAction = string(line, "action");
      if ("drift".equals(string(line, "event_type"))
          && !"relearn".equals(lineAction)
          && (action == null || action.equals(lineAction))) {
        lines.add(line);
      }
    }
    return lines;
  }

  /** The drift lines of one action, once there are {@code count} of them (or the time is up). */
  private static List<JsonObject> awaitDriftLines(Path log, String action, int count)
      throws Exception {
    long deadline = System.nanoTime() + AgentJvm.SETTLE_TIMEOUT.toNanos();
    List<JsonObject> lines = driftLines(log, action);
    while (lines.size() < count && System.nanoTime() < deadline) {
      Thread.sleep(20);
      lines = driftLines(log, action);
    }
    return lines;
  }

  private static List<String> signalsOf(List<JsonObject> lines) {
    return lines.stream().map(line -> string(line, "signal")).distinct().toList();
  }

  private static String severity(JsonObject line) {
    return string(line, "severity");
  }

  private static String string(JsonObject line, String field) {
    JsonElement value = line.get(field);
    return value == null || value.isJsonNull() ? null : value.getAsString();
  }

  private static List<String> concat(List<String> a, List<String> b) {
    List<String> all = new ArrayList<>(a);
    all.addAll(b);
    return all;
  }

  private static HttpResponse<String> relearn(String url, String token) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(url)).POST(HttpRequest.BodyPublishers.noBody());
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static int post(String url, String json) throws Exception {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(url))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(json))
            .build();
    return HTTP.send(request, HttpResponse.BodyHandlers.ofString()).statusCode();
  }

  private static int get(String url) throws Exception {
    return HTTP.send(
            HttpRequest.newBuilder(URI.create(url)).GET().build(),
            HttpResponse.BodyHandlers.ofString())
        .statusCode();
  }
}
