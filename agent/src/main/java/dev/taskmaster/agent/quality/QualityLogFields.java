package dev.taskmaster.agent.quality;

import dev.taskmaster.agent.core.ModelCall;
import dev.taskmaster.agent.logging.CallLogFields;
import dev.taskmaster.agent.logging.LogLine;

/**
 * The quality scores of a successful call on its {@code request} log line: {@code quality_score}
 * (the mean) and {@code length_score}, {@code latency_score}, {@code format_score} and {@code
 * coherence_score}, as {@link ResponseScorer} gives them. A call without response text gets none.
 *
 * <p>Runs on the agent's background call thread, like its scorer; not thread-safe.
 */
public final class QualityLogFields implements CallLogFields {

  private final CallScorer scorer;

  /** Fields from a scorer of their own. */
  public QualityLogFields(QualitySettings settings) {
    this(new CallScorer(settings));
  }

  /**
   * Fields from a scorer shared with the {@link QualityMonitor}, so that each call is scored once
   * whichever of the two sees it first.
   */
  public QualityLogFields(CallScorer scorer) {
    this.scorer = scorer;
  }

  @Override
  public void addTo(ModelCall call, LogLine line) {
    if (!ModelCall.SUCCESS.equals(call.status) || call.response == null) {
      return;
    }
    QualityScores scores = scorer.scores(call);
    line.put("quality_score", scores.overall)
        .put("length_score", scores.length)
        .put("latency_score", scores.latency)
        .put("format_score", scores.format)
        .put("coherence_score", scores.coherence);
  }
}
