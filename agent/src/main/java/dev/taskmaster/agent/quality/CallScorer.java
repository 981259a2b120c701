package dev.taskmaster.agent.quality;

import dev.taskmaster.agent.core.ModelCall;

/**
 * Scores a call's response once for everything that wants its scores on the agent's background call
 * thread: the {@link QualityMonitor} and the {@code request} log line ({@link QualityLogFields})
 * share one, and whichever of them sees the call first scores it, so that the order of the
 * listeners does not matter.
 *
 * <p>Keeps the scores of the last call asked about, recognised by identity, until another call is
 * asked about (a call is handed to every listener before the next one). Not thread-safe: like the
 * listeners, it runs on the one background thread.
 */
public final class CallScorer {

  private final ResponseScorer scorer;
  private ModelCall lastCall;
  private QualityScores lastScores;
  private long scored;

  public CallScorer(QualitySettings settings) {
    this.scorer = new ResponseScorer(settings);
  }

  /**
   * The scores of the call's response, or {@code null} when its text was not captured; scored at
   * the first request for this call.
   */
  public QualityScores scores(ModelCall call) {
    if (call != lastCall) {
      String text = call.response;
      lastScores = text == null ? null : scorer.score(text, call.durationNanos);
      lastCall = call;
      scored++;
    }
    return lastScores;
  }

  /** How many calls it scored (or found without text); for tests. */
  long scoredCalls() {
    return scored;
  }
}
