package dev.taskmaster.agent;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.DataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import java.util.function.DoubleSupplier;

/**
 * The lowest {@code quality_score} over all endpoint and model series, read from the registry: what
 * the in-JVM {@code TaskMasterQualityDrift} rule watches, as Prometheus does per series. NaN while
 * no response has been scored.
 */
final class LowestQualityScore implements DoubleSupplier {

  private final PrometheusRegistry registry;
  private final String name;

  LowestQualityScore(PrometheusRegistry registry, String prefix) {
    this.registry = registry;
    this.name = prefix + "_quality_score";
  }

  @Override
  public double getAsDouble() {
    double lowest = Double.NaN;
    for (MetricSnapshot snapshot : registry.scrape(name::equals)) {
      for (DataPointSnapshot point : snapshot.getDataPoints()) {
        if (point instanceof GaugeSnapshot.GaugeDataPointSnapshot) {
          double value = ((GaugeSnapshot.GaugeDataPointSnapshot) point).getValue();
          if (!Double.isNaN(value) && (Double.isNaN(lowest) || value < lowest)) {
            lowest = value;
          }
        }
      }
    }
    return lowest;
  }
}
