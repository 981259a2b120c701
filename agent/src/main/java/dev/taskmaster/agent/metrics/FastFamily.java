package dev.taskmaster.agent.metrics;

import dev.taskmaster.agent.export.TextBuffer;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.ClassicHistogramBuckets;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.CounterSnapshot.CounterDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot.HistogramDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * One labelled counter, gauge or classic histogram family of {@link FastMetrics}: the same lines as
 * the Prometheus client's {@code Counter}, {@code Gauge} or {@code Histogram} with the same
 * settings (no exemplars, classic buckets only), written with each label set's text escaped once. A
 * label set exists from its first {@link #labelValues} on, at zero.
 */
public final class FastFamily implements FastMetrics.Part {

  private enum Type {
    COUNTER,
    GAUGE,
    HISTOGRAM
  }

  private final Type type;
  private final String name;
  private final String textName;
  private final String help;
  private final String textHelp;
  private final String[] labelNames;
  // Label names in the exposition's (sorted) order, and where each comes from in labelValues().
  private final String[] sortedNames;
  private final int[] source;
  private final double[] bounds;
  private final byte[][] le;
  private final byte[] line;
  private final byte[] count;
  private final byte[] sum;
  private final ConcurrentHashMap<List<String>, Child> children = new ConcurrentHashMap<>();
  // Label sets are never removed, so the sorted order only changes when one is added.
  private volatile Child[] sortedChildren = new Child[0];

  private FastFamily(
      PrometheusRegistry registry,
      Type type,
      String name,
      String help,
      double[] bounds,
      String... labelNames) {
    this.type = type;
    this.name = name;
    this.help = help;
    // Escaped as the text format wants, as the client does.
    textHelp = help.replace("\\", "\\\\").replace("\n", "\\n");
    this.labelNames = labelNames.clone();
    this.bounds = bounds;
    textName = type == Type.COUNTER ? name + "_total" : name;
    Integer[] order = new Integer[labelNames.length];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    Arrays.sort(order, (a, b) -> labelNames[a].compareTo(labelNames[b]));
    sortedNames = new String[order.length];
    source = new int[order.length];
    for (int i = 0; i < order.length; i++) {
      source[i] = order[i];
      sortedNames[i] = labelNames[order[i]];
    }
    if (bounds != null) {
      le = new byte[bounds.length + 1][];
      for (int i = 0; i < bounds.length; i++) {
        le[i] = ascii(",le=\"" + bounds[i] + "\"} ");
      }
      le[bounds.length] = ascii(",le=\"+Inf\"} ");
      line = ascii(name + "_bucket{");
      count = ascii(name + "_count{");
      sum = ascii(name + "_sum{");
    } else {
      le = null;
      line = ascii(textName + "{");
      count = null;
      sum = null;
    }
    FastMetrics.of(registry).add(this);
  }

  /** A counter family; {@code name} without {@code _total}. */
  public static FastFamily counter(
      PrometheusRegistry registry, String name, String help, String... labelNames) {
    return new FastFamily(registry, Type.COUNTER, name, help, null, labelNames);
  }

  /** A gauge family. */
  public static FastFamily gauge(
      PrometheusRegistry registry, String name, String help, String... labelNames) {
    return new FastFamily(registry, Type.GAUGE, name, help, null, labelNames);
  }

  /** A classic histogram family with these finite upper bounds, ascending. */
  public static FastFamily histogram(
      PrometheusRegistry registry,
      String name,
      String help,
      double[] upperBounds,
      String... labelNames) {
    return new FastFamily(registry, Type.HISTOGRAM, name, help, upperBounds.clone(), labelNames);
  }

  /** The label set with these values, in the order of the label names given at creation. */
  public Child labelValues(String... values) {
    if (values.length != labelNames.length) {
      throw new IllegalArgumentException(
          name + ": " + labelNames.length + " label values expected, got " + values.length);
    }
    List<String> key = Arrays.asList(values.clone());
    Child child = children.get(key);
    if (child == null) {
      child = children.computeIfAbsent(key, k -> new Child(values));
    }
    return child;
  }

  /** One label set's value: use {@link #inc}, {@link #set} or {@link #observe} by family type. */
  public final class Child {
    private final String[] sortedValues;
    private final byte[] labelText;
    private final LongAdder counter = type == Type.COUNTER ? new LongAdder() : null;
    private final SeriesHistogram histogram =
        type == Type.HISTOGRAM ? new SeriesHistogram(bounds) : null;
    private volatile double gauge;
    // The value's text from the last scrape (see TextBuffer.FormattedDouble).
    private volatile TextBuffer.FormattedDouble formatted;

    private Child(String[] values) {
      sortedValues = new String[values.length];
      TextBuffer text = new TextBuffer(64);
      for (int i = 0; i < values.length; i++) {
        sortedValues[i] = values[source[i]];
        if (i > 0) {
          text.append(',');
        }
        text.appendAscii(sortedNames[i]).appendAscii("=\"");
        text.append(TextBuffer.escapeLabelValue(sortedValues[i])).append('"');
      }
      labelText = text.toByteArray();
    }

    /** Adds one to a counter. */
    public void inc() {
      counter.increment();
    }

    /** Sets a gauge. */
    public void set(double value) {
      gauge = value;
    }

    /** Observes a value in a histogram. */
    public void observe(double value) {
      histogram.observe(value);
    }
  }

  private Child[] sorted() {
    Child[] cached = sortedChildren;
    if (cached.length == children.size()) {
      return cached;
    }
    Child[] all = children.values().toArray(new Child[0]);
    Arrays.sort(
        all,
        (a, b) -> {
          for (int i = 0; i < a.sortedValues.length; i++) {
            int c = a.sortedValues[i].compareTo(b.sortedValues[i]);
            if (c != 0) {
              return c;
            }
          }
          return 0;
        });
    sortedChildren = all;
    return all;
  }

  @Override
  public boolean covers(String prometheusName) {
    return name.equals(prometheusName) || textName.equals(prometheusName);
  }

  @Override
  public List<String> getPrometheusNames() {
    return List.of(name);
  }

  private static final byte[] CLOSE = ascii("} ");

  @Override
  public void writeText(TextBuffer out) {
    Child[] all = sorted();
    if (all.length == 0) {
      return;
    }
    out.appendAscii("# HELP ")
        .appendAscii(textName)
        .append(' ')
        .append(textHelp.getBytes(StandardCharsets.UTF_8))
        .append('\n');
    out.appendAscii("# TYPE ").appendAscii(textName).append(' ');
    out.appendAscii(type.name().toLowerCase(java.util.Locale.ROOT)).append('\n');
    long[] counts = bounds == null ? null : new long[bounds.length + 1];
    for (Child child : all) {
      if (type == Type.HISTOGRAM) {
        child.histogram.read(counts);
        long cumulative = 0;
        for (int i = 0; i < counts.length; i++) {
          cumulative += counts[i];
          out.append(line).append(child.labelText).append(le[i]).appendLong(cumulative);
          out.append('\n');
        }
        out.append(count).append(child.labelText).append(CLOSE).appendLong(cumulative);
        out.append('\n');
        out.append(sum).append(child.labelText).append(CLOSE);
        child.formatted = out.appendDouble(child.histogram.sum(), child.formatted);
        out.append('\n');
      } else {
        out.append(line).append(child.labelText).append(CLOSE);
        if (type == Type.COUNTER) {
          out.appendDouble(child.counter.sum());
        } else {
          child.formatted = out.appendDouble(child.gauge, child.formatted);
        }
        out.append('\n');
      }
    }
  }

  @Override
  public MetricSnapshots collect() {
    Child[] all = sorted();
    if (all.length == 0) {
      return new MetricSnapshots();
    }
    MetricSnapshot snapshot;
    if (type == Type.COUNTER) {
      CounterSnapshot.Builder builder = CounterSnapshot.builder().name(name).help(help);
      for (Child child : all) {
        builder.dataPoint(
            CounterDataPointSnapshot.builder()
                .labels(Labels.of(sortedNames, child.sortedValues))
                .value(child.counter.sum())
                .build());
      }
      snapshot = builder.build();
    } else if (type == Type.GAUGE) {
      GaugeSnapshot.Builder builder = GaugeSnapshot.builder().name(name).help(help);
      for (Child child : all) {
        builder.dataPoint(
            GaugeDataPointSnapshot.builder()
                .labels(Labels.of(sortedNames, child.sortedValues))
                .value(child.gauge)
                .build());
      }
      snapshot = builder.build();
    } else {
      HistogramSnapshot.Builder builder = HistogramSnapshot.builder().name(name).help(help);
      double[] withInf = Arrays.copyOf(bounds, bounds.length + 1);
      withInf[bounds.length] = Double.POSITIVE_INFINITY;
      for (Child child : all) {
        long[] counts = new long[withInf.length];
        child.histogram.read(counts);
        builder.dataPoint(
            HistogramDataPointSnapshot.builder()
                .labels(Labels.of(sortedNames, child.sortedValues))
                .classicHistogramBuckets(ClassicHistogramBuckets.of(withInf, counts))
                .sum(child.histogram.sum())
                .build());
      }
      snapshot = builder.build();
    }
    return new MetricSnapshots(snapshot);
  }

  private static byte[] ascii(String text) {
    return text.getBytes(StandardCharsets.US_ASCII);
  }
}
