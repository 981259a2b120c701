package dev.taskmaster.agent.quality;

import dev.taskmaster.agent.core.CallListener;
import dev.taskmaster.agent.core.ModelCall;
import dev.taskmaster.agent.drift.DriftMonitor;
import dev.taskmaster.agent.drift.DriftSignal;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

/**
 * Scores each successful model call, counts its events, and feeds the drift monitor. Calls that
 * failed or were cancelled are left out: their count and latency are recorded elsewhere, and a
 * timeout's duration says nothing about the model's answers.
 *
 * <p>Metrics (prefix {@code taskmaster}):
 *
 * <ul>
 *   <li>{@code taskmaster_quality_score{endpoint,model}}: mean overall score of the last {@code
 *       quality.window} scored responses;
 *   <li>{@code taskmaster_response_quality{endpoint,model}}: histogram of each response's overall
 *       score;
 *   <li>{@code taskmaster_response_events_total{endpoint,model,event}}: {@code empty}, {@code
 *       refusal}, {@code truncated}, {@code repetition}, {@code invalid_json}.
 * </ul>
 *
 * <p>A response whose text was not captured gets no score; only what the server reported (finish
 * reason, a zero token count) counts for its events.
 *
 * <p>Runs on the agent's one background thread (see {@link CallListener}); not thread-safe.
 */
public final class QualityMonitor implements CallListener {

  private static final String UNKNOWN = "unknown";

  private final CallScorer scorer;
  private final ResponseEventDetector detector;
  private final QualityMetrics metrics;
  private final DriftMonitor drift;

  /**
   * @param prefix metric name prefix, without a trailing underscore
   * @param drift receives the per-call signals, or {@code null} for no drift detection
   */
  public QualityMonitor(
      QualitySettings settings, PrometheusRegistry registry, String prefix, DriftMonitor drift) {
    this(settings, new CallScorer(settings), registry, prefix, drift);
  }

  /**
   * A monitor that takes each call's scores from {@code scorer}, which others (the call log) may
   * share so that a call is scored once.
   *
   * @param scorer scores with the same {@code settings}
   * @param prefix metric name prefix, without a trailing underscore
   * @param drift receives the per-call signals, or {@code null} for no drift detection
   */
  public QualityMonitor(
      QualitySettings settings,
      CallScorer scorer,
      PrometheusRegistry registry,
      String prefix,
      DriftMonitor drift) {
    this.scorer = scorer;
    this.detector = new ResponseEventDetector(settings);
    this.metrics = new QualityMetrics(settings, registry, prefix);
    this.drift = drift;
  }

  /**
   * Creates a monitor whose metrics go to a registry of its own that nothing exports: for tools,
   * tests and benchmarks, which then need no Prometheus type.
   */
  public QualityMonitor(QualitySettings settings, DriftMonitor drift) {
    this(settings, new PrometheusRegistry(), "taskmaster", drift);
  }

  @Override
  public void onCall(ModelCall call) {
    if (!ModelCall.SUCCESS.equals(call.status)) {
      return;
    }
    QualityMetrics.Series series =
        metrics.series(
            call.endpoint == null ? UNKNOWN : call.endpoint,
            call.model == null ? UNKNOWN : call.model);
    QualityScores scores = scorer.scores(call);
    int events = detector.detect(call);
    if (scores != null) {
      series.recordScore(scores.overall);
    }
    series.recordEvents(events);
    if (drift != null) {
      observeDrift(call, scores, events);
    }
  }

  private void observeDrift(ModelCall call, QualityScores scores, int events) {
    drift.observe(DriftSignal.LATENCY, call.durationNanos / 1e9);
    if (call.timeToFirstTokenNanos >= 0) {
      drift.observe(DriftSignal.TIME_TO_FIRST_TOKEN, call.timeToFirstTokenNanos / 1e9);
    }
    if (call.outputTokens >= 0) {
      drift.observe(DriftSignal.OUTPUT_TOKENS, call.outputTokens);
    }
    if (scores != null) {
      drift.observe(DriftSignal.RESPONSE_LENGTH, scores.lengthChars);
      drift.observe(DriftSignal.QUALITY, scores.overall);
      drift.observe(DriftSignal.REFUSAL_RATE, flag(events, ResponseEvent.REFUSAL));
      drift.observe(DriftSignal.REPETITION_RATE, flag(events, ResponseEvent.REPETITION));
      if (call.jsonRequested) {
        drift.observe(DriftSignal.INVALID_JSON_RATE, flag(events, ResponseEvent.INVALID_JSON));
      }
    }
    if (scores != null || call.outputTokens >= 0) {
      drift.observe(DriftSignal.EMPTY_RATE, flag(events, ResponseEvent.EMPTY));
    }
    if (call.finishReason != null) {
      drift.observe(DriftSignal.TRUNCATED_RATE, flag(events, ResponseEvent.TRUNCATED));
    }
  }

  private static double flag(int events, ResponseEvent event) {
    return event.in(events) ? 1 : 0;
  }
}
