package dev.taskmaster.agent.feedback;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.taskmaster.agent.core.ModelCall;
import dev.taskmaster.agent.logging.LogSettings;
import dev.taskmaster.agent.logging.StructuredLog;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FeedbackServiceTest {

  private static final long T0 = 1_767_225_600_000L;

  @TempDir Path directory;

  private final PrometheusRegistry registry = new PrometheusRegistry();
  private final AtomicLong clock = new AtomicLong(T0);
  private final List<Throwable> failures = new ArrayList<>();
  private StructuredLog log;

  private FeedbackService service(FeedbackSettings settings) {
    return service(settings, Runnable::run);
  }

  private FeedbackService service(
      FeedbackSettings settings, java.util.function.Consumer<Runnable> thread) {
    LogSettings logSettings =
        LogSettings.builder()
            .destination(LogSettings.Destination.FILE)
            .file(directory.resolve("agent.log"))
            .serviceName("svc")
            .build();
    log = new StructuredLog(logSettings, registry, "taskmaster");
    return new FeedbackService(
        settings,
        registry,
        "taskmaster",
        log,
        logSettings.redactor(),
        thread,
        clock::get,
        failures::add);
  }

  @AfterEach
  void noListenerFailed() {
    if (log != null) {
      log.shutdown(Duration.ofSeconds(2));
    }
    assertEquals(List.of(), failures);
  }

  private static ModelCall call(String id, String model) {
    return ModelCall.builder("chat", model, ModelCall.SUCCESS)
        .requestId(id)
        .startEpochMillis(T0 - 1000)
        .durationNanos(500_000_000)
        .build();
  }

  private static FeedbackRequest feedback(String id, double score, String comment) {
    return new FeedbackRequest(id, score, comment);
  }

  private double sample(String sample) {
    return Scrape.value(registry, sample);
  }

  @Test
  void acceptsOneScorePerRememberedCallAndCountsEveryRefusal() throws Exception {
    FeedbackService service = service(FeedbackSettings.builder().minCount(1).build());
    service.onCall(call("chatcmpl-1", "gpt-4o-mini"));
    service.onCall(call("chatcmpl-2", "gpt-4o-mini"));
    service.onCall(call("tm-3", "llama3.2"));

    FeedbackService.Accepted up = service.submit(feedback("chatcmpl-1", 1, "great"));
    service.submit(feedback("chatcmpl-2", 0, null));
    service.submit(feedback("tm-3", 0.5, null));
    FeedbackRejected twice =
        assertThrows(FeedbackRejected.class, () -> service.submit(feedback("chatcmpl-1", 0, null)));
    FeedbackRejected unknown =
        assertThrows(FeedbackRejected.class, () -> service.submit(feedback("nope", 1, null)));

    assertEquals("gpt-4o-mini", up.model);
    assertEquals(Verdict.POSITIVE, up.verdict);
    assertEquals(409, twice.status());
    assertEquals("duplicate_feedback", twice.reason());
    assertEquals(404, unknown.status());
    assertEquals("unknown_request_id", unknown.reason());
    String chat = "endpoint=\"chat\",model=\"gpt-4o-mini\"";
    assertEquals(1, sample("taskmaster_feedback_total{" + chat + ",verdict=\"positive\"}"));
    assertEquals(1, sample("taskmaster_feedback_total{" + chat + ",verdict=\"negative\"}"));
    assertEquals(
        1,
        sample(
            "taskmaster_feedback_total{endpoint=\"chat\",model=\"llama3.2\",verdict=\"neutral\"}"));
    assertEquals(1, sample("taskmaster_feedback_rejected_total{reason=\"duplicate_feedback\"}"));
    assertEquals(1, sample("taskmaster_feedback_rejected_total{reason=\"unknown_request_id\"}"));
    assertEquals(0.5, sample("taskmaster_user_satisfaction{" + chat + "}"));
  }

  @Test
  void writesOneFeedbackLineJoinedToTheCallByItsRequestIdWithTheCommentRedacted() throws Exception {
    FeedbackService service = service(FeedbackSettings.builder().build());
    service.onCall(call("chatcmpl-9", "gpt-4o-mini"));
    clock.addAndGet(2_500);

    service.submit(feedback("chatcmpl-9", 0, "wrong, write to me at ann@example.com"));
    assertTrue(log.flush(Duration.ofSeconds(5)));

    List<String> lines = Files.readAllLines(directory.resolve("agent.log"));
    assertEquals(
        List.of(
            "{\"timestamp\":\"2026-01-01T00:00:02.500Z\",\"level\":\"INFO\",\"service\":\"svc\","
                + "\"message\":\"feedback 0.00 (negative) on a chat call to gpt-4o-mini\","
                + "\"event_type\":\"feedback\",\"request_id\":\"chatcmpl-9\",\"endpoint\":\"chat\","
                + "\"model\":\"gpt-4o-mini\",\"score\":0.0,\"verdict\":\"negative\","
                + "\"comment\":\"wrong, write to me at [REDACTED]\",\"delay_ms\":3000}"),
        lines);
  }

  @Test
  void forgetsTheOldestIdsAndRefusesIdsOlderThanTheMaximumAge() {
    FeedbackService service =
        service(FeedbackSettings.builder().maxCalls(2).maxAge(Duration.ofMinutes(10)).build());
    service.onCall(call("a", "m"));
    service.onCall(call("b", "m"));
    service.onCall(call("c", "m"));

    FeedbackRejected forgotten =
        assertThrows(FeedbackRejected.class, () -> service.submit(feedback("a", 1, null)));
    clock.addAndGet(Duration.ofMinutes(11).toMillis());
    FeedbackRejected expired =
        assertThrows(FeedbackRejected.class, () -> service.submit(feedback("c", 1, null)));

    assertEquals("unknown_request_id", forgotten.reason());
    assertEquals(410, expired.status());
    assertEquals("expired_request_id", expired.reason());
    assertFalse(Scrape.has(registry, "taskmaster_feedback_total{"));
  }

  @Test
  void satisfactionNeedsTheMinimumCountAndForgetsScoresPastTheWindow() throws Exception {
    FeedbackService service =
        service(FeedbackSettings.builder().minCount(3).window(Duration.ofMinutes(60)).build());
    for (int i = 0; i < 6; i++) {
      service.onCall(call("id-" + i, "m"));
    }

    service.submit(feedback("id-0", 1, null));
    service.submit(feedback("id-1", 0, null));
    assertFalse(Scrape.has(registry, "taskmaster_user_satisfaction{"), "two scores of three");
    assertTrue(Double.isNaN(service.lowestSatisfaction()));
    service.submit(feedback("id-2", 0.5, null));
    assertEquals(0.5, sample("taskmaster_user_satisfaction{endpoint=\"chat\",model=\"m\"}"));

    clock.addAndGet(Duration.ofMinutes(40).toMillis());
    service.submit(feedback("id-3", 0, null));
    service.submit(feedback("id-4", 0, null));
    assertEquals(0.3, service.lowestSatisfaction(), 1e-12);

    // The first three leave the window; the two zeros stay, below the minimum count.
    clock.addAndGet(Duration.ofMinutes(30).toMillis());
    assertTrue(Double.isNaN(service.lowestSatisfaction()));
    service.submit(feedback("id-5", 0.25, null));
    assertEquals(0.25 / 3, service.lowestSatisfaction(), 1e-12);
  }

  @Test
  void feedbackWaitsForTheCallsQueuedBeforeIt() throws Exception {
    ExecutorService callThread = Executors.newSingleThreadExecutor();
    try {
      FeedbackService service = service(FeedbackSettings.builder().build(), callThread::execute);
      CountDownLatch release = new CountDownLatch(1);
      callThread.execute(
          () -> {
            try {
              release.await(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
            service.onCall(call("late", "m"));
          });
      release.countDown();

      assertEquals("late", service.submit(feedback("late", 1, null)).requestId);
    } finally {
      callThread.shutdownNow();
    }
  }

  @Test
  void aCallThreadThatNeverGetsToTheFeedbackAnswersBusyAndRecordsNothing() throws Exception {
    List<Runnable> neverRun = new ArrayList<>();
    FeedbackService service = service(FeedbackSettings.builder().build(), neverRun::add);

    FeedbackRejected busy =
        assertThrows(FeedbackRejected.class, () -> service.submit(feedback("x", 1, null)));
    neverRun.get(0).run();

    assertEquals(503, busy.status());
    assertEquals("busy", busy.reason());
    assertEquals(1, sample("taskmaster_feedback_rejected_total{reason=\"busy\"}"));
    assertFalse(Scrape.has(registry, "taskmaster_feedback_rejected_total{reason=\"unknown"));
  }

  @Test
  void theTokenIsRequiredWhenSetAndComparedExactly() {
    FeedbackSettings open = FeedbackSettings.builder().build();
    FeedbackSettings closed = FeedbackSettings.builder().token("s3cret").build();

    assertTrue(open.authorizes(null));
    assertFalse(closed.authorizes(null));
    assertFalse(closed.authorizes("s3cret"));
    assertFalse(closed.authorizes("Bearer s3cre"));
    assertFalse(closed.authorizes("Basic s3cret"));
    assertTrue(closed.authorizes("Bearer s3cret"));
    assertTrue(closed.authorizes("bearer  s3cret "));
  }
}
