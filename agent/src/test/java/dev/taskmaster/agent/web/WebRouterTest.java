package dev.taskmaster.agent.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.sun.net.httpserver.HttpServer;
import dev.taskmaster.agent.core.ModelCall;
import dev.taskmaster.agent.cost.CostTracker;
import dev.taskmaster.agent.cost.PriceTable;
import dev.taskmaster.agent.feedback.FeedbackService;
import dev.taskmaster.agent.feedback.FeedbackSettings;
import dev.taskmaster.agent.logging.LogSettings;
import dev.taskmaster.agent.logging.StructuredLog;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The agent's web paths, served by a JDK HTTP server as the exporter serves them. */
class WebRouterTest {

  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final long NOW = System.currentTimeMillis();

  private final PrometheusRegistry registry = new PrometheusRegistry();
  private final List<Throwable> failures = new ArrayList<>();
  private HttpServer server;
  private FeedbackService feedback;
  private AgentWeb web;
  private final List<String> relearned = new ArrayList<>();

  private void start(FeedbackSettings settings, boolean statusEnabled) throws Exception {
    CostTracker costs = new CostTracker(PriceTable.defaults(), registry, "taskmaster");
    feedback =
        new FeedbackService(
            settings,
            registry,
            "taskmaster",
            new StructuredLog(
                LogSettings.builder().destination(LogSettings.Destination.NONE).build(),
                registry,
                "taskmaster"),
            LogSettings.defaults().redactor(),
            Runnable::run,
            System::currentTimeMillis,
            failures::add);
    web =
        AgentWeb.builder(registry, "taskmaster")
            .service("checkout", "1.2.3", NOW - 5_000)
            // A still clock: the status history's slots do not move under the test.
            .clock(() -> NOW)
            .cost(costs::costOf)
            .feedback(feedback)
            .statusEnabled(statusEnabled)
            .httpRecognition(true, List.of("jdk"))
            .interception(
                new HealthReport.Interception("chat", "com.example.Llm", "complete", () -> 1))
            .driftRelearn(
                signal -> relearned.add(signal == null ? "all" : signal.label()), "r3learn")
            .failures(failures::add)
            .build();
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", web.handler());
    server.start();
    ModelCall call =
        ModelCall.builder("chat", "gpt-4o-mini", ModelCall.SUCCESS)
            .requestId("chatcmpl-1")
            .durationNanos(250_000_000)
            .inputTokens(1000)
            .outputTokens(500)
            .build();
    costs.onCall(call);
    feedback.onCall(call);
    if (web.callListener() != null) {
      web.callListener().onCall(call);
    }
  }

  @AfterEach
  void stop() {
    if (server != null) {
      server.stop(0);
    }
    assertEquals(List.of(), failures);
  }

  private HttpResponse<String> get(String path) throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(uri(path)).GET().build(), HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> post(String body, String type, String authorization)
      throws Exception {
    return post(body.getBytes(StandardCharsets.UTF_8), type, authorization);
  }

  private HttpResponse<String> post(byte[] body, String type, String authorization)
      throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(uri("/feedback")).POST(HttpRequest.BodyPublishers.ofByteArray(body));
    if (type != null) {
      request.header("Content-Type", type);
    }
    if (authorization != null) {
      request.header("Authorization", authorization);
    }
    return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private URI uri(String path) {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
  }

  private static JsonObject json(HttpResponse<String> response) {
    assertTrue(
        response.headers().firstValue("Content-Type").orElse("").startsWith("application/json"));
    return JsonParser.parseString(response.body()).getAsJsonObject();
  }

  @Test
  void servesThePageItsFilesAndTheBundledChartLibraryFromTheJar() throws Exception {
    start(FeedbackSettings.builder().build(), true);

    HttpResponse<String> page = get("/");
    assertEquals(200, page.statusCode());
    assertTrue(page.body().contains("<script src=\"vendor/uPlot.iife.min.js\"></script>"));
    assertTrue(page.headers().firstValue("Content-Security-Policy").orElse("").contains("'self'"));
    assertTrue(!page.body().contains("http://") && !page.body().contains("https://"), "no CDN");
    for (String path :
        List.of(
            "/status.js", "/status.css", "/vendor/uPlot.iife.min.js", "/vendor/uPlot.min.css")) {
      HttpResponse<String> file = get(path);
      assertEquals(200, file.statusCode(), path);
      assertTrue(file.body().length() > 1000, path);
    }
    assertTrue(get("/vendor/uPlot.iife.min.js").body().contains("uPlot"));
    assertEquals(404, get("/vendor/LICENSE").statusCode(), "only the listed files");
    assertEquals("not_found", json(get("/nothing")).get("error").getAsString());
  }

  @Test
  void apiStatusCarriesTheSeriesCostFeedbackAndTheLastCalls() throws Exception {
    start(FeedbackSettings.builder().minCount(1).build(), true);
    assertEquals(
        200,
        post("{\"request_id\":\"chatcmpl-1\",\"score\":1}", "application/json", null).statusCode());

    JsonObject status = json(get("/api/status"));

    assertEquals("checkout", status.get("service").getAsString());
    // One sample per history tick; a slow machine may have ticked once more meanwhile.
    assertTrue(
        status
                .getAsJsonObject("series")
                .getAsJsonObject("requests")
                .getAsJsonArray("success")
                .size()
            >= 1);
    assertEquals(0.00045, status.getAsJsonObject("cost").get("total_usd").getAsDouble());
    assertEquals(
        0.00045,
        status
            .getAsJsonObject("cost")
            .getAsJsonObject("by_model")
            .get("gpt-4o-mini")
            .getAsDouble());
    assertEquals(1, status.getAsJsonObject("feedback").get("accepted").getAsLong());
    JsonObject recent = status.getAsJsonArray("recent").get(0).getAsJsonObject();
    assertEquals("chatcmpl-1", recent.get("request_id").getAsString());
    assertEquals("positive", recent.get("feedback").getAsString());
    assertEquals(250.0, recent.get("latency_ms").getAsDouble());
  }

  @Test
  void healthNamesVersionUptimeExporterInstrumentationAndModel() throws Exception {
    start(FeedbackSettings.builder().build(), false);

    JsonObject health = json(get("/health"));

    assertEquals("ok", health.get("status").getAsString());
    assertEquals("1.2.3", health.get("version").getAsString());
    assertTrue(health.get("uptime_seconds").getAsDouble() >= 5);
    assertEquals(
        server.getAddress().getPort(), health.getAsJsonObject("exporter").get("port").getAsInt());
    JsonObject instrumentation = health.getAsJsonObject("instrumentation");
    assertEquals("active", instrumentation.get("state").getAsString());
    assertEquals(
        1,
        instrumentation
            .getAsJsonArray("interceptions")
            .get(0)
            .getAsJsonObject()
            .get("classes_matched")
            .getAsInt());
    assertTrue(health.getAsJsonObject("model").get("up").isJsonNull(), "no model seen yet");
    assertEquals(404, get("/").statusCode(), "status.enabled=false");
    assertEquals(404, get("/api/status").statusCode());
  }

  @Test
  void feedbackRefusalsAreClearJsonAndChangeNothing() throws Exception {
    start(FeedbackSettings.builder().build(), true);
    String ok = "{\"request_id\":\"chatcmpl-1\",\"score\":0}";

    assertEquals(415, post(ok, "text/plain", null).statusCode());
    assertEquals(415, post(ok, null, null).statusCode());
    HttpResponse<String> large =
        post(
            "{\"request_id\":\"chatcmpl-1\",\"score\":0,\"comment\":\"" + "x".repeat(9000) + "\"}",
            "application/json",
            null);
    assertEquals(413, large.statusCode());
    assertEquals("too_large", json(large).get("error").getAsString());
    HttpResponse<String> get = get("/feedback");
    assertEquals(405, get.statusCode());
    assertEquals("POST", get.headers().firstValue("Allow").orElse(""));
    assertEquals(400, post("{\"request_id\":", "application/json", null).statusCode());
    assertEquals(
        404, post("{\"request_id\":\"x\",\"score\":0}", "application/json", null).statusCode());
    assertEquals(
        "malformed_json",
        json(post(new byte[] {'{', (byte) 0xff, '}'}, "application/json", null))
            .get("error")
            .getAsString());
    assertEquals(0, feedback.satisfaction().size(), "nothing recorded");

    HttpResponse<String> accepted = post(ok, "application/json; charset=utf-8", null);
    assertEquals(200, accepted.statusCode());
    assertEquals("negative", json(accepted).get("verdict").getAsString());
  }

  @Test
  void aTokenProtectsFeedback() throws Exception {
    start(FeedbackSettings.builder().token("s3cret").build(), true);
    String ok = "{\"request_id\":\"chatcmpl-1\",\"score\":1}";

    HttpResponse<String> none = post(ok, "application/json", null);
    assertEquals(401, none.statusCode());
    assertEquals("unauthorized", json(none).get("error").getAsString());
    assertTrue(none.headers().firstValue("WWW-Authenticate").orElse("").startsWith("Bearer"));
    assertEquals(401, post(ok, "application/json", "Bearer wrong").statusCode());
    assertEquals(200, post(ok, "application/json", "Bearer s3cret").statusCode());
    assertEquals(
        2.0, Scrape.value(registry, "taskmaster_feedback_rejected_total{reason=\"unauthorized\"}"));
  }

  private HttpResponse<String> relearn(String method, String query, String... headers)
      throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(uri("/drift/relearn" + query))
            .method(method, HttpRequest.BodyPublishers.noBody());
    if (headers.length > 0) {
      request.headers(headers);
    }
    return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void driftRelearnNeedsPostAndTheTokenAndNamesTheSignals() throws Exception {
    start(FeedbackSettings.builder().build(), true);
    String token = "Bearer r3learn";

    HttpResponse<String> get = relearn("GET", "", "Authorization", token);
    assertEquals(405, get.statusCode());
    assertEquals("POST", get.headers().firstValue("Allow").orElse(""));
    assertEquals(401, relearn("POST", "").statusCode());
    assertEquals(401, relearn("POST", "", "Authorization", "Bearer wrong").statusCode());
    HttpResponse<String> fromPage =
        relearn("POST", "", "Authorization", token, "Origin", "https://evil.example");
    assertEquals(403, fromPage.statusCode());
    HttpResponse<String> unknown = relearn("POST", "?signal=latncy", "Authorization", token);
    assertEquals(400, unknown.statusCode());
    assertEquals("unknown_signal", json(unknown).get("error").getAsString());
    assertEquals(List.of(), relearned);

    HttpResponse<String> one = relearn("POST", "?signal=latency", "Authorization", token);
    assertEquals(200, one.statusCode());
    assertEquals("{\"status\":\"relearning\",\"signals\":[\"latency\"]}", one.body());
    HttpResponse<String> all = relearn("POST", "", "Authorization", token);
    assertEquals(200, all.statusCode());
    assertEquals(11, json(all).getAsJsonArray("signals").size());
    assertEquals(List.of("latency", "all"), relearned);
  }
}
