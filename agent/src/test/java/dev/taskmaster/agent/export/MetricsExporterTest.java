package dev.taskmaster.agent.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.taskmaster.agent.feedback.FeedbackService;
import dev.taskmaster.agent.feedback.FeedbackSettings;
import dev.taskmaster.agent.logging.LogSettings;
import dev.taskmaster.agent.logging.StructuredLog;
import dev.taskmaster.agent.web.AgentWeb;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * The exporter's port while feedback waits for the agent's background thread (held by the test
 * until the end): {@code /metrics} is served at once, and a feedback beyond the two that may wait
 * is turned away at once.
 */
class MetricsExporterTest {

  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private final PrometheusRegistry registry = new PrometheusRegistry();
  private final List<Runnable> neverRun = new CopyOnWriteArrayList<>();
  private final List<Throwable> failures = new ArrayList<>();

  private static HttpRequest feedback(URI base) {
    return HttpRequest.newBuilder(base.resolve("/feedback"))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{\"request_id\": \"chatcmpl-1\", \"score\": 1}"))
        .build();
  }

  @Test
  void aScrapeDoesNotWaitBehindFeedbackThatWaitsForTheBackgroundThread() throws Exception {
    FeedbackService service =
        new FeedbackService(
            FeedbackSettings.builder().build(),
            registry,
            "taskmaster",
            new StructuredLog(
                LogSettings.builder().destination(LogSettings.Destination.NONE).build(),
                registry,
                "taskmaster"),
            LogSettings.defaults().redactor(),
            neverRun::add,
            System::currentTimeMillis,
            failures::add);
    AgentWeb web =
        AgentWeb.builder(registry, "taskmaster")
            .service("checkout", "1.2.3", System.currentTimeMillis())
            .feedback(service)
            .failures(failures::add)
            .build();
    MetricsExporter exporter = MetricsExporter.start("127.0.0.1", 0, null, registry, web.handler());
    try {
      URI base = URI.create("http://127.0.0.1:" + exporter.port());
      List<CompletableFuture<HttpResponse<String>>> waiting = new ArrayList<>();
      for (int i = 0; i < 2; i++) {
        waiting.add(HTTP.sendAsync(feedback(base), HttpResponse.BodyHandlers.ofString()));
      }
      long deadline = System.nanoTime() + 1_500_000_000L;
      while (neverRun.size() < 2 && System.nanoTime() < deadline) {
        Thread.sleep(5);
      }
      assertEquals(2, neverRun.size(), "both feedbacks are waiting for the background thread");

      HttpResponse<String> third = HTTP.send(feedback(base), HttpResponse.BodyHandlers.ofString());
      HttpResponse<String> metrics =
          HTTP.send(
              HttpRequest.newBuilder(base.resolve("/metrics")).build(),
              HttpResponse.BodyHandlers.ofString());

      assertEquals(503, third.statusCode(), third.body());
      assertTrue(third.body().contains("\"error\":\"busy\""), third.body());
      assertEquals(200, metrics.statusCode());
      assertTrue(metrics.body().contains("taskmaster_feedback_rejected_total{reason=\"busy\"} 1"));
      // Before, one thread served everything: the scrape was answered only after both feedbacks.
      for (CompletableFuture<HttpResponse<String>> answer : waiting) {
        assertFalse(answer.isDone(), "the scrape was answered after a waiting feedback");
      }
      // The background thread gets to them: the id is one the agent never saw.
      neverRun.forEach(Runnable::run);
      for (CompletableFuture<HttpResponse<String>> answer : waiting) {
        assertEquals(404, answer.get().statusCode(), answer.get().body());
      }
    } finally {
      exporter.stop();
    }
    assertEquals(List.of(), failures);
  }
}
