package dev.taskmaster.agent.logging;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.taskmaster.agent.core.CallListener;
import dev.taskmaster.agent.core.ModelCall;
import dev.taskmaster.agent.cost.CostTracker;
import dev.taskmaster.agent.cost.PriceTable;
import dev.taskmaster.agent.quality.CallScorer;
import dev.taskmaster.agent.quality.QualityLogFields;
import dev.taskmaster.agent.quality.QualityMonitor;
import dev.taskmaster.agent.quality.QualitySettings;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The {@code request} line of a call with the quality and cost fields, as the agent wires them (a
 * scorer shared with the quality monitor, the cost tracker's own price), byte for byte as the agent
 * wrote it when each scored and priced the call on its own: the expected lines were written by that
 * version (main at 38b5a03) for the same calls.
 */
class RequestLineBytesTest {

  private static final String SUCCESS_LINE =
      "{\"timestamp\":\"2023-11-14T22:13:21.500Z\",\"level\":\"INFO\","
          + "\"service\":\"checkout\","
          + "\"message\":\"chat call to gpt-4o-mini succeeded in 1500 ms\","
          + "\"event_type\":\"request\",\"request_id\":\"chatcmpl-123\","
          + "\"endpoint\":\"chat\",\"model\":\"gpt-4o-mini\",\"status\":\"success\","
          + "\"prompt_length\":42,\"response_length\":91,"
          + "\"latency_ms\":1500.123,\"tokens_in\":1234,\"tokens_out\":567,"
          + "\"ttft_ms\":250.001,\"finish_reason\":\"stop\","
          + "\"quality_score\":0.9,\"length_score\":1.0,\"latency_score\":0.6,"
          + "\"format_score\":1.0,\"coherence_score\":1.0,"
          + "\"cost_usd\":4.953E-4}";

  private static final String ERROR_LINE =
      "{\"timestamp\":\"2024-03-01T00:00:29.999Z\",\"level\":\"ERROR\","
          + "\"service\":\"checkout\","
          + "\"message\":\"chat call to gpt-4o-mini failed after 30000 ms (http_5xx)\","
          + "\"event_type\":\"request\",\"request_id\":\"tm-00000000000000ff\","
          + "\"endpoint\":\"chat\",\"model\":\"gpt-4o-mini\",\"status\":\"error\","
          + "\"prompt_length\":10,\"response_length\":null,"
          + "\"latency_ms\":30000.0,\"tokens_in\":null,\"tokens_out\":null,"
          + "\"error_kind\":\"http_5xx\",\"error\":\"HTTP 503: key [REDACTED]\","
          + "\"cost_usd\":null}";

  private static final String NO_RESPONSE_LINE =
      "{\"timestamp\":\"2000-02-29T00:00:00.000Z\",\"level\":\"INFO\","
          + "\"service\":\"checkout\","
          + "\"message\":\"embeddings call to mystery-model succeeded in 1 ms\","
          + "\"event_type\":\"request\",\"request_id\":\"r-1\","
          + "\"endpoint\":\"embeddings\",\"model\":\"mystery-model\","
          + "\"status\":\"success\",\"prompt_length\":null,"
          + "\"response_length\":null,\"latency_ms\":1.0,\"tokens_in\":100,"
          + "\"tokens_out\":null,\"cost_usd\":null}";

  private static final String CANCELLED_LINE =
      "{\"timestamp\":\"2099-12-31T23:59:59.001Z\",\"level\":\"INFO\","
          + "\"service\":\"checkout\","
          + "\"message\":\"chat call to gpt-4o cancelled after 1 ms\","
          + "\"event_type\":\"request\",\"request_id\":\"r-2\",\"endpoint\":\"chat\","
          + "\"model\":\"gpt-4o\",\"status\":\"cancelled\",\"prompt_length\":null,"
          + "\"response_length\":null,\"latency_ms\":1.0,\"tokens_in\":null,"
          + "\"tokens_out\":null,\"cost_usd\":null}";

  private static final String RESPONSE =
      "The quarterly report shows revenue growth in every region.\n\n- costs: lower\n- margin:"
          + " higher";

  private final List<Throwable> failures = new ArrayList<>();
  private final PrometheusRegistry registry = new PrometheusRegistry();
  private final LogSettings settings = LogSettings.builder().serviceName("checkout").build();
  private final CallLogListener callLog =
      new CallLogListener(
          new StructuredLog(
              settings, registry, "taskmaster", Clock.systemUTC(), new RecordingSink()),
          settings,
          failures::add);
  private final CallScorer scorer = new CallScorer(QualitySettings.defaults());
  private final QualityMonitor quality =
      new QualityMonitor(QualitySettings.defaults(), scorer, registry, "taskmaster", null);
  private final CostTracker costs = new CostTracker(PriceTable.defaults(), registry, "taskmaster");

  RequestLineBytesTest() {
    callLog.addFields(new QualityLogFields(scorer));
    callLog.addFields(costs);
  }

  private static List<ModelCall> calls() {
    return List.of(
        ModelCall.builder("chat", "gpt-4o-mini", ModelCall.SUCCESS)
            .requestId("chatcmpl-123")
            .startEpochMillis(1_700_000_000_000L)
            .durationNanos(1_500_123_456L)
            .promptLength(42)
            .response(RESPONSE)
            .inputTokens(1234)
            .outputTokens(567)
            .cachedInputTokens(400)
            .finishReason("stop")
            .timeToFirstTokenNanos(250_000_999L)
            .build(),
        ModelCall.builder("chat", "gpt-4o-mini", ModelCall.ERROR)
            .requestId("tm-00000000000000ff")
            .startEpochMillis(1_709_251_199_999L)
            .durationNanos(30_000_000_000L)
            .promptLength(10)
            .error("http_5xx", "HTTP 503: key sk-live0123456789abcdef")
            .build(),
        ModelCall.builder("embeddings", "mystery-model", ModelCall.SUCCESS)
            .requestId("r-1")
            .startEpochMillis(951_782_400_000L)
            .durationNanos(999_999L)
            .inputTokens(100)
            .build(),
        ModelCall.builder("chat", "gpt-4o", ModelCall.CANCELLED)
            .requestId("r-2")
            .startEpochMillis(4_102_444_799_000L)
            .durationNanos(1_000_000L)
            .build());
  }

  private List<String> lines(boolean logFirst) {
    List<String> lines = new ArrayList<>();
    for (ModelCall call : calls()) {
      List<CallListener> others = List.of(quality, costs);
      if (!logFirst) {
        others.forEach(listener -> listener.onCall(call));
      }
      lines.add(callLog.line(call).toJson());
      if (logFirst) {
        others.forEach(listener -> listener.onCall(call));
      }
    }
    return lines;
  }

  @Test
  void linesAreTheSameWhenTheLogSeesACallFirst() {
    assertEquals(List.of(SUCCESS_LINE, ERROR_LINE, NO_RESPONSE_LINE, CANCELLED_LINE), lines(true));
    assertEquals(List.of(), failures);
  }

  @Test
  void linesAreTheSameWhenTheQualityMonitorAndCostTrackerSeeACallFirst() {
    assertEquals(List.of(SUCCESS_LINE, ERROR_LINE, NO_RESPONSE_LINE, CANCELLED_LINE), lines(false));
    assertEquals(List.of(), failures);
  }
}
