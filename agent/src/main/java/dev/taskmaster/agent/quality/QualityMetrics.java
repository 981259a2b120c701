package dev.taskmaster.agent.quality;

import dev.taskmaster.agent.metrics.FastFamily;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.HashMap;
import java.util.Map;

/**
 * The quality metrics, per {@code endpoint} and {@code model} label pair (whose cardinality the
 * agent already bounds). Used from the agent's background thread only.
 */
final class QualityMetrics {

  private final QualitySettings settings;
  // Written straight to /metrics (FastMetrics): per series, they are a third of its lines.
  private final FastFamily score;
  private final FastFamily responseQuality;
  private final FastFamily events;
  private final Map<String, Map<String, Series>> seriesByEndpoint = new HashMap<>();

  QualityMetrics(QualitySettings settings, PrometheusRegistry registry, String prefix) {
    this.settings = settings;
    score =
        FastFamily.gauge(
            registry,
            prefix + "_quality_score",
            "Mean overall quality score (0 to 1) of the last responses (quality.window).",
            "endpoint",
            "model");
    responseQuality =
        FastFamily.histogram(
            registry,
            prefix + "_response_quality",
            "Overall quality score (0 to 1) of each response.",
            settings.histogramBuckets,
            "endpoint",
            "model");
    events =
        FastFamily.counter(
            registry,
            prefix + "_response_events",
            "Responses that were empty, refused, truncated, looped or invalid JSON, by event.",
            "endpoint",
            "model",
            "event");
  }

  Series series(String endpoint, String model) {
    Map<String, Series> byModel = seriesByEndpoint.computeIfAbsent(endpoint, e -> new HashMap<>());
    Series series = byModel.get(model);
    if (series == null) {
      series = new Series(endpoint, model);
      byModel.put(model, series);
    }
    return series;
  }

  /** The data points of one label pair, and its window of recent scores. */
  final class Series {
    private final String endpoint;
    private final String model;
    private FastFamily.Child recentScore;
    private final FastFamily.Child scores;
    private final FastFamily.Child[] eventCounts;
    private final double[] window = new double[settings.window];
    private int next;
    private int count;
    private double sum;

    private Series(String endpoint, String model) {
      this.endpoint = endpoint;
      this.model = model;
      scores = responseQuality.labelValues(endpoint, model);
      ResponseEvent[] all = ResponseEvent.all();
      eventCounts = new FastFamily.Child[all.length];
      for (ResponseEvent event : all) {
        // Created at zero, so that a rate over them exists before the first event.
        eventCounts[event.ordinal()] = events.labelValues(endpoint, model, event.label());
      }
    }

    void recordScore(double overall) {
      scores.observe(overall);
      sum += overall - window[next];
      window[next] = overall;
      if (++next == window.length) {
        next = 0;
        // Recomputed once per window so that rounding errors cannot pile up.
        sum = 0;
        for (double v : window) {
          sum += v;
        }
      }
      if (count < window.length) {
        count++;
      }
      if (recentScore == null) {
        // Created on the first score: a series of calls without text must not show 0.
        recentScore = score.labelValues(endpoint, model);
      }
      recentScore.set(sum / count);
    }

    void recordEvents(int mask) {
      if (mask == 0) {
        return;
      }
      for (ResponseEvent event : ResponseEvent.all()) {
        if (event.in(mask)) {
          eventCounts[event.ordinal()].inc();
        }
      }
    }
  }
}
