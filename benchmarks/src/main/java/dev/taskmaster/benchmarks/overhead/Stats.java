package dev.taskmaster.benchmarks.overhead;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/** Medians and spreads of repeated measurements. */
final class Stats {

  private final List<Double> values = new ArrayList<>();

  void add(double value) {
    if (!Double.isNaN(value)) {
      values.add(value);
    }
  }

  int count() {
    return values.size();
  }

  boolean isEmpty() {
    return values.isEmpty();
  }

  /** The {@code p}-th percentile (0..100), linearly interpolated; NaN when empty. */
  double percentile(double p) {
    if (values.isEmpty()) {
      return Double.NaN;
    }
    List<Double> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    double rank = p / 100 * (sorted.size() - 1);
    int low = (int) Math.floor(rank);
    int high = (int) Math.ceil(rank);
    return sorted.get(low) + (sorted.get(high) - sorted.get(low)) * (rank - low);
  }

  double median() {
    return percentile(50);
  }

  /** {@code median (p10–p90 low–high)} with {@code decimals} decimals. */
  String format(int decimals) {
    if (values.isEmpty()) {
      return "n/a";
    }
    String pattern = "%." + decimals + "f";
    return String.format(Locale.ROOT, pattern, median())
        + " ("
        + String.format(Locale.ROOT, pattern, percentile(10))
        + "–"
        + String.format(Locale.ROOT, pattern, percentile(90))
        + ")";
  }

  /** The median alone. */
  String formatMedian(int decimals) {
    return values.isEmpty() ? "n/a" : String.format(Locale.ROOT, "%." + decimals + "f", median());
  }

  /** Differences of paired values, {@code a[i] - b[i]}, skipping pairs with a missing side. */
  static Stats differences(List<Double> a, List<Double> b) {
    Stats stats = new Stats();
    for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
      stats.add(a.get(i) - b.get(i));
    }
    return stats;
  }

  /** Ratios of paired values, {@code a[i] / b[i]}. */
  static Stats ratios(List<Double> a, List<Double> b) {
    Stats stats = new Stats();
    for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
      stats.add(a.get(i) / b.get(i));
    }
    return stats;
  }

  /** All values of the list as stats. */
  static Stats of(List<Double> list) {
    Stats stats = new Stats();
    for (double v : list) {
      stats.add(v);
    }
    return stats;
  }
}
