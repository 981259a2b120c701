package dev.taskmaster.agent.web;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.DataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads the current values of some of the agent's own gauges and counters from its registry, by
 * name: the status page and {@code /health} show what other components export (quality, drift,
 * model availability, the agent's errors) without depending on their classes.
 */
final class GaugeReader {

  /** One data point: its labels and its value. */
  static final class Point {
    final Labels labels;
    final double value;

    Point(Labels labels, double value) {
      this.labels = labels;
      this.value = value;
    }

    String label(String name) {
      return labels.get(name);
    }
  }

  private final PrometheusRegistry registry;
  private final String prefix;

  /**
   * @param prefix metric name prefix, without a trailing underscore
   */
  GaugeReader(PrometheusRegistry registry, String prefix) {
    this.registry = registry;
    this.prefix = prefix;
  }

  /**
   * The data points of the named gauges and counters, each name without the prefix and without
   * {@code _total} ({@code "quality_score"}, {@code "agent_errors"}); absent names give nothing.
   */
  Map<String, List<Point>> read(Set<String> names) {
    Map<String, List<Point>> byName = new HashMap<>();
    Set<String> wanted = new HashSet<>();
    for (String name : names) {
      wanted.add(prefix + "_" + name);
      wanted.add(prefix + "_" + name + "_total");
    }
    MetricSnapshots snapshots = registry.scrape(wanted::contains);
    for (MetricSnapshot snapshot : snapshots) {
      String name = snapshot.getMetadata().getName();
      if (!name.startsWith(prefix + "_")) {
        continue;
      }
      String shortName = name.substring(prefix.length() + 1);
      if (!names.contains(shortName)) {
        continue;
      }
      List<Point> points = new ArrayList<>();
      for (DataPointSnapshot point : snapshot.getDataPoints()) {
        if (point instanceof GaugeSnapshot.GaugeDataPointSnapshot) {
          points.add(
              new Point(
                  point.getLabels(), ((GaugeSnapshot.GaugeDataPointSnapshot) point).getValue()));
        } else if (point instanceof CounterSnapshot.CounterDataPointSnapshot) {
          points.add(
              new Point(
                  point.getLabels(),
                  ((CounterSnapshot.CounterDataPointSnapshot) point).getValue()));
        }
      }
      byName.put(shortName, points);
    }
    return byName;
  }

  /** The mean of a list of points' values, NaN when none is a number. */
  static double mean(List<Point> points) {
    if (points == null) {
      return Double.NaN;
    }
    double sum = 0;
    int n = 0;
    for (Point point : points) {
      if (!Double.isNaN(point.value)) {
        sum += point.value;
        n++;
      }
    }
    return n == 0 ? Double.NaN : sum / n;
  }

  /** The sum of a list of points' values, 0 when there are none. */
  static double sum(List<Point> points) {
    double sum = 0;
    if (points != null) {
      for (Point point : points) {
        if (!Double.isNaN(point.value)) {
          sum += point.value;
        }
      }
    }
    return sum;
  }
}
