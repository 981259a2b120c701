package dev.taskmaster.agent.quality;

import static dev.taskmaster.agent.drift.ScrapedMetrics.value;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.taskmaster.agent.core.ModelCall;
import dev.taskmaster.agent.drift.DriftMonitor;
import dev.taskmaster.agent.drift.DriftSettings;
import dev.taskmaster.agent.drift.DriftSignal;
import dev.taskmaster.agent.drift.DriftStatus;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import org.junit.jupiter.api.Test;

class QualityMonitorTest {

  private final PrometheusRegistry registry = new PrometheusRegistry();

  private static final String GOOD =
      "Here is the plan:\n- back up the database\n- apply the migration\n- check the logs";

  private static ModelCall success(String response, long millis) {
    return ModelCall.builder("chat", "gpt-x", ModelCall.SUCCESS)
        .response(response)
        .durationNanos(millis * 1_000_000)
        .outputTokens(20)
        .finishReason("stop")
        .build();
  }

  @Test
  void scoresEachResponseAndAveragesTheRecentWindow() {
    QualityMonitor monitor =
        new QualityMonitor(
            QualitySettings.builder().window(2).build(), registry, "taskmaster", null);
    monitor.onCall(success(GOOD, 100)); // 1.0
    monitor.onCall(success(GOOD, 1500)); // (1 + 0.6 + 1 + 1) / 4 = 0.9
    String[] labels = {"endpoint", "chat", "model", "gpt-x"};
    assertEquals(0.95, value(registry, "taskmaster_quality_score", labels), 1e-12);
    monitor.onCall(success(GOOD, 3000)); // 0.825; the window drops the first
    assertEquals((0.9 + 0.825) / 2, value(registry, "taskmaster_quality_score", labels), 1e-12);
    assertEquals(3, value(registry, "taskmaster_response_quality", labels));
  }

  @Test
  void countsEventsFromZero() {
    QualityMonitor monitor =
        new QualityMonitor(QualitySettings.defaults(), registry, "taskmaster", null);
    monitor.onCall(success(GOOD, 100));
    monitor.onCall(success("", 100));
    monitor.onCall(success("I'm sorry, but I can't help with that.", 100));
    String[] empty = {"endpoint", "chat", "model", "gpt-x", "event", "empty"};
    String[] refusal = {"endpoint", "chat", "model", "gpt-x", "event", "refusal"};
    String[] truncated = {"endpoint", "chat", "model", "gpt-x", "event", "truncated"};
    assertEquals(1, value(registry, "taskmaster_response_events", empty));
    assertEquals(1, value(registry, "taskmaster_response_events", refusal));
    assertEquals(0, value(registry, "taskmaster_response_events", truncated));
  }

  @Test
  void failedCallsAreNotScored() {
    QualityMonitor monitor =
        new QualityMonitor(QualitySettings.defaults(), registry, "taskmaster", null);
    monitor.onCall(
        ModelCall.builder("chat", "gpt-x", ModelCall.ERROR)
            .durationNanos(30_000_000_000L)
            .error("http_5xx", "503")
            .build());
    assertTrue(
        Double.isNaN(
            value(registry, "taskmaster_quality_score", "endpoint", "chat", "model", "gpt-x")));
  }

  @Test
  void callsWithoutTextAreNotScoredButStillCountForDrift() {
    DriftMonitor drift =
        new DriftMonitor(
            DriftSettings.builder().warmup(3).rateWarmup(3).build(),
            registry,
            "taskmaster",
            event -> {});
    QualityMonitor monitor =
        new QualityMonitor(QualitySettings.defaults(), registry, "taskmaster", drift);
    for (int i = 0; i < 3; i++) {
      monitor.onCall(
          ModelCall.builder("chat", "gpt-x", ModelCall.SUCCESS)
              .durationNanos(200_000_000)
              .outputTokens(0)
              .build());
    }
    String[] labels = {"endpoint", "chat", "model", "gpt-x"};
    assertTrue(Double.isNaN(value(registry, "taskmaster_quality_score", labels)));
    assertEquals(DriftStatus.OK, drift.status(DriftSignal.LATENCY));
    assertEquals(DriftStatus.OK, drift.status(DriftSignal.EMPTY_RATE));
    assertEquals(1.0, drift.baseline(DriftSignal.EMPTY_RATE));
    assertEquals(DriftStatus.LEARNING, drift.status(DriftSignal.QUALITY));
    assertEquals(DriftStatus.LEARNING, drift.status(DriftSignal.TRUNCATED_RATE));
  }

  @Test
  void feedsEverySignalOfAFullCall() {
    DriftMonitor drift =
        new DriftMonitor(
            DriftSettings.builder().warmup(1).rateWarmup(1).build(),
            registry,
            "taskmaster",
            event -> {});
    QualityMonitor monitor =
        new QualityMonitor(QualitySettings.defaults(), registry, "taskmaster", drift);
    monitor.onCall(
        ModelCall.builder("chat", "gpt-x", ModelCall.SUCCESS)
            .response("{\"answer\": 42}")
            .durationNanos(2_000_000_000L)
            .timeToFirstTokenNanos(500_000_000L)
            .outputTokens(7)
            .finishReason("stop")
            .jsonRequested(true)
            .build());
    for (DriftSignal signal : DriftSignal.values()) {
      if (signal != DriftSignal.SATISFACTION) { // fed by the users' feedback, not by calls
        assertEquals(DriftStatus.OK, drift.status(signal), signal.label());
      }
    }
    assertEquals(2.0, drift.baseline(DriftSignal.LATENCY), 1e-9);
    assertEquals(0.5, drift.baseline(DriftSignal.TIME_TO_FIRST_TOKEN), 1e-9);
    assertEquals(7, drift.baseline(DriftSignal.OUTPUT_TOKENS), 1e-9);
    assertEquals(14, drift.baseline(DriftSignal.RESPONSE_LENGTH), 1e-9);
    assertEquals(0, drift.baseline(DriftSignal.INVALID_JSON_RATE));
  }
}
