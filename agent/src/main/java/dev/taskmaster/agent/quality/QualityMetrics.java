package dev.taskmaster.agent.quality;

import io.prometheus.metrics.config.PrometheusProperties;
import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.datapoints.DistributionDataPoint;
import io.prometheus.metrics.core.datapoints.GaugeDataPoint;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.HashMap;
import java.util.Map;

/**
 * The quality metrics, per {@code endpoint} and {@code model} label pair (whose cardinality the
 * agent already bounds). Used from the agent's background thread only.
 */
final class QualityMetrics {

  private final QualitySettings settings;
  private final Gauge score;
  private final Histogram responseQuality;
  private final Counter events;
  private final Map<String, Map<String, Series>> seriesByEndpoint = new HashMap<>();

  QualityMetrics(QualitySettings settings, PrometheusRegistry registry, String prefix) {
    this.settings = settings;
    PrometheusProperties properties = PrometheusProperties.builder().build();
    score =
        Gauge.builder(properties)
            .name(prefix + "_quality_score")
            .help("Mean overall quality score (0 to 1) of the last responses (quality.window).")
            .labelNames("endpoint", "model")
            .withoutExemplars()
            .register(registry);
    responseQuality =
        Histogram.builder(properties)
            .name(prefix + "_response_quality")
            .help("Overall quality score (0 to 1) of each response.")
            .labelNames("endpoint", "model")
            .classicOnly()
            .classicUpperBounds(settings.histogramBuckets)
            .withoutExemplars()
            .register(registry);
    events =
        Counter.builder(properties)
            .name(prefix + "_response_events")
            .help(
                "Responses that were empty, refused, truncated, looped or invalid JSON, by event.")
            .labelNames("endpoint", "model", "event")
            .withoutExemplars()
            .register(registry);
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
    private GaugeDataPoint recentScore;
    private final DistributionDataPoint scores;
    private final CounterDataPoint[] eventCounts;
    private final double[] window = new double[settings.window];
    private int next;
    private int count;
    private double sum;

    private Series(String endpoint, String model) {
      this.endpoint = endpoint;
      this.model = model;
      scores = responseQuality.labelValues(endpoint, model);
      ResponseEvent[] all = ResponseEvent.all();
      eventCounts = new CounterDataPoint[all.length];
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
