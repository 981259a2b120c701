package dev.taskmaster.agent.quality;

import static dev.taskmaster.agent.drift.ScrapedMetrics.value;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.taskmaster.agent.core.ModelCall;
import dev.taskmaster.agent.logging.LogLine;
import dev.taskmaster.agent.logging.LogSettings;
import dev.taskmaster.agent.logging.StructuredLog;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import org.junit.jupiter.api.Test;

class CallScorerTest {

  private static final String TEXT = "Paris is the capital of France.\n\n- population: 2.1 million";

  private final CallScorer scorer = new CallScorer(QualitySettings.defaults());
  private final PrometheusRegistry registry = new PrometheusRegistry();
  private final QualityMonitor monitor =
      new QualityMonitor(QualitySettings.defaults(), scorer, registry, "taskmaster", null);
  private final QualityLogFields fields = new QualityLogFields(scorer);

  private static ModelCall call(String text) {
    return ModelCall.builder("chat", "gpt-4o-mini", ModelCall.SUCCESS)
        .durationNanos(1_200_000_000L)
        .response(text)
        .build();
  }

  @Test
  void theMonitorAndTheLogLineScoreACallOnceWhicheverComesFirst() {
    ModelCall first = call(TEXT);
    fields.addTo(first, line());
    monitor.onCall(first);
    assertEquals(1, scorer.scoredCalls());

    ModelCall second = call(TEXT);
    monitor.onCall(second);
    fields.addTo(second, line());
    assertEquals(2, scorer.scoredCalls());
    String[] labels = {"endpoint", "chat", "model", "gpt-4o-mini"};
    assertEquals(2, value(registry, "taskmaster_response_quality", labels));
  }

  @Test
  void scoresAreTheScorersForTheCallAtHandAndNewForAnotherCall() {
    ModelCall call = call(TEXT);
    QualityScores scores = scorer.scores(call);

    assertSame(scores, scorer.scores(call));
    QualityScores expected =
        new ResponseScorer(QualitySettings.defaults()).score(TEXT, call.durationNanos);
    assertEquals(expected.toString(), scores.toString());
    // An equal call is another call: scored again.
    ModelCall equal = call(TEXT);
    assertEquals(expected.toString(), scorer.scores(equal).toString());
    assertEquals(2, scorer.scoredCalls());
    assertNull(scorer.scores(call(null)));
  }

  @Test
  void theLogLineScoresByItselfWithoutAMonitor() {
    // As when nothing else shares the scorer: every call is scored for its line.
    QualityLogFields alone = new QualityLogFields(QualitySettings.defaults());
    LogLine line = line();

    alone.addTo(call(TEXT), line);

    assertTrue(line.has("quality_score"));
    assertTrue(line.has("coherence_score"));
  }

  private static LogLine line() {
    LogSettings off = LogSettings.builder().destination(LogSettings.Destination.NONE).build();
    return new StructuredLog(off, new PrometheusRegistry(), "taskmaster")
        .event(StructuredLog.REQUEST, StructuredLog.INFO, "call");
  }
}
