package dev.taskmaster.agent.drift;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.DataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;

/** Reads one value from a registry, as a scrape would see it. Test helper. */
public final class ScrapedMetrics {

  private ScrapedMetrics() {}

  /**
   * The value of a gauge or counter, or the count of a histogram.
   *
   * @param name the name without {@code _total}
   * @param labels name, value, name, value...
   * @return the value, or NaN when the series does not exist
   */
  public static double value(PrometheusRegistry registry, String name, String... labels) {
    Labels wanted = Labels.of(labels);
    for (MetricSnapshot snapshot : registry.scrape()) {
      if (!snapshot.getMetadata().getName().equals(name)) {
        continue;
      }
      for (DataPointSnapshot point : snapshot.getDataPoints()) {
        if (!point.getLabels().equals(wanted)) {
          continue;
        }
        if (point instanceof GaugeSnapshot.GaugeDataPointSnapshot) {
          return ((GaugeSnapshot.GaugeDataPointSnapshot) point).getValue();
        }
        if (point instanceof CounterSnapshot.CounterDataPointSnapshot) {
          return ((CounterSnapshot.CounterDataPointSnapshot) point).getValue();
        }
        if (point instanceof HistogramSnapshot.HistogramDataPointSnapshot) {
          return ((HistogramSnapshot.HistogramDataPointSnapshot) point).getCount();
        }
      }
    }
    return Double.NaN;
  }
}
