package dev.taskmaster.agent.metrics;

import dev.taskmaster.agent.export.TextBuffer;
import dev.taskmaster.agent.metrics.LlmMetrics.CallSeries;
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
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.function.Supplier;

/**
 * The families kept per {@code endpoint} and {@code model} pair (requests, latency, tokens,
 * response length, last success): 30 lines per pair, nearly all of {@code /metrics} when there are
 * many models. Written straight from the series' counters with label bytes escaped once per pair;
 * collecting them as snapshots and formatting those with the client library cost about 8 ms for 300
 * pairs, mostly validating and sorting label sets and writing them character by character.
 *
 * <p>The output is the same as the Prometheus client's for the same values (checked by {@code
 * SeriesExpositionTest}): families by name, data points sorted by label values.
 */
final class SeriesExposition implements FastMetrics.Part {

  private static final String TOTAL = "_total";

  private final Supplier<Collection<CallSeries>> series;
  private final String lastSuccess;
  private final String latency;
  private final String requests;
  private final String responseLength;
  private final String tokensInput;
  private final String tokensMissing;
  private final String tokensOutput;
  private final List<String> names;
  private final Bucketed latencyBuckets;
  private final Bucketed lengthBuckets;
  private volatile CallSeries[] sortedSeries = new CallSeries[0];

  SeriesExposition(String prefix, Supplier<Collection<CallSeries>> series) {
    this.series = series;
    lastSuccess = prefix + "_last_successful_request_timestamp_seconds";
    latency = prefix + "_request_latency_seconds";
    requests = prefix + "_requests";
    responseLength = prefix + "_response_length_chars";
    tokensInput = prefix + "_tokens_input";
    tokensMissing = prefix + "_tokens_missing";
    tokensOutput = prefix + "_tokens_output";
    names =
        List.of(
            lastSuccess,
            latency,
            requests,
            responseLength,
            tokensInput,
            tokensMissing,
            tokensOutput);
    latencyBuckets = new Bucketed(latency, LlmMetrics.LATENCY_BUCKETS);
    lengthBuckets = new Bucketed(responseLength, LlmMetrics.RESPONSE_LENGTH_BUCKETS);
  }

  static final String LAST_SUCCESS_HELP = "Unix time of the last successful model call.";
  static final String LATENCY_HELP =
      "Duration of model calls, to the end of the response, in seconds.";
  static final String REQUESTS_HELP = "Model calls, by outcome: success, error or cancelled.";
  static final String RESPONSE_LENGTH_HELP = "Length of the response text, in characters.";
  static final String TOKENS_INPUT_HELP = "Input (prompt) tokens, as reported by the model server.";
  static final String TOKENS_MISSING_HELP =
      "Successful calls whose input or output token count could not be read.";
  static final String TOKENS_OUTPUT_HELP =
      "Output (completion) tokens, as reported by the model server.";

  @Override
  public boolean covers(String prometheusName) {
    return names.contains(prometheusName)
        || (prometheusName.endsWith(TOTAL)
            && names.contains(
                prometheusName.substring(0, prometheusName.length() - TOTAL.length())));
  }

  @Override
  public List<String> getPrometheusNames() {
    return names;
  }

  private CallSeries[] sorted() {
    Collection<CallSeries> current = series.get();
    CallSeries[] cached = sortedSeries;
    // Series are never removed, so the order only changes when one is added.
    if (cached.length == current.size()) {
      return cached;
    }
    CallSeries[] all = current.toArray(new CallSeries[0]);
    // The client library's order: by label values, endpoint first (label names are the same).
    Arrays.sort(
        all,
        (a, b) -> {
          int byEndpoint = a.endpoint.compareTo(b.endpoint);
          return byEndpoint != 0 ? byEndpoint : a.model.compareTo(b.model);
        });
    sortedSeries = all;
    return all;
  }

  @Override
  public void writeText(TextBuffer out) {
    CallSeries[] all = sorted();
    if (all.length == 0) {
      return;
    }
    header(out, lastSuccess, LAST_SUCCESS_HELP, "gauge");
    byte[] name = ascii(lastSuccess + "{");
    for (CallSeries s : all) {
      out.append(name).append(s.labelText).append(CLOSE);
      s.lastSuccessText = out.appendDouble(s.lastSuccessSeconds, s.lastSuccessText);
      out.append('\n');
    }

    header(out, latency, LATENCY_HELP, "histogram");
    latencyBuckets.write(out, all, false);

    header(out, requests + TOTAL, REQUESTS_HELP, "counter");
    name = ascii(requests + TOTAL + "{");
    for (CallSeries s : all) {
      if (s.anyCancelled) {
        counterLine(out, name, s.labelText, STATUS_CANCELLED, s.cancelled.sum());
      }
      counterLine(out, name, s.labelText, STATUS_ERROR, s.error.sum());
      counterLine(out, name, s.labelText, STATUS_SUCCESS, s.success.sum());
    }

    header(out, responseLength, RESPONSE_LENGTH_HELP, "histogram");
    lengthBuckets.write(out, all, true);

    header(out, tokensInput + TOTAL, TOKENS_INPUT_HELP, "counter");
    name = ascii(tokensInput + TOTAL + "{");
    for (CallSeries s : all) {
      counterLine(out, name, s.labelText, null, s.inputTokens.sum());
    }

    header(out, tokensMissing + TOTAL, TOKENS_MISSING_HELP, "counter");
    // Labels sort by name, so "direction" comes first and orders the lines.
    byte[] input = ascii(tokensMissing + TOTAL + "{direction=\"input\",");
    for (CallSeries s : all) {
      counterLine(out, input, s.labelText, null, s.inputMissing.sum());
    }
    byte[] output = ascii(tokensMissing + TOTAL + "{direction=\"output\",");
    for (CallSeries s : all) {
      counterLine(out, output, s.labelText, null, s.outputMissing.sum());
    }

    header(out, tokensOutput + TOTAL, TOKENS_OUTPUT_HELP, "counter");
    name = ascii(tokensOutput + TOTAL + "{");
    for (CallSeries s : all) {
      counterLine(out, name, s.labelText, null, s.outputTokens.sum());
    }
  }

  private static final byte[] CLOSE = ascii("} ");
  private static final byte[] STATUS_CANCELLED = ascii(",status=\"cancelled\"");
  private static final byte[] STATUS_ERROR = ascii(",status=\"error\"");
  private static final byte[] STATUS_SUCCESS = ascii(",status=\"success\"");

  private static void counterLine(
      TextBuffer out, byte[] name, byte[] labels, byte[] extra, long value) {
    out.append(name).append(labels);
    if (extra != null) {
      out.append(extra);
    }
    out.append(CLOSE).appendDouble(value).append('\n');
  }

  private static void header(TextBuffer out, String name, String help, String type) {
    out.appendAscii("# HELP ")
        .appendAscii(name)
        .append(' ')
        .append(help.getBytes(StandardCharsets.UTF_8));
    out.append('\n');
    out.appendAscii("# TYPE ").appendAscii(name).append(' ').appendAscii(type).append('\n');
  }

  private static byte[] ascii(String text) {
    return text.getBytes(StandardCharsets.US_ASCII);
  }

  /** The lines of one histogram family, with the {@code le} parts formatted once. */
  private static final class Bucketed {
    private final double[] bounds;
    private final byte[] bucket;
    private final byte[][] le;
    private final byte[] count;
    private final byte[] sum;

    Bucketed(String name, double[] bounds) {
      this.bounds = bounds;
      bucket = ascii(name + "_bucket{");
      le = new byte[bounds.length + 1][];
      for (int i = 0; i < bounds.length; i++) {
        le[i] = ascii(",le=\"" + bounds[i] + "\"} ");
      }
      le[bounds.length] = ascii(",le=\"+Inf\"} ");
      count = ascii(name + "_count{");
      sum = ascii(name + "_sum{");
    }

    void write(TextBuffer out, CallSeries[] all, boolean responseLength) {
      long[] counts = new long[bounds.length + 1];
      for (CallSeries s : all) {
        SeriesHistogram histogram = responseLength ? s.responseChars : s.latencySeconds;
        histogram.read(counts);
        long cumulative = 0;
        for (int i = 0; i < counts.length; i++) {
          cumulative += counts[i];
          out.append(bucket).append(s.labelText).append(le[i]).appendLong(cumulative);
          out.append('\n');
        }
        out.append(count).append(s.labelText).append(CLOSE).appendLong(cumulative).append('\n');
        out.append(sum).append(s.labelText).append(CLOSE);
        if (responseLength) {
          s.responseCharsSumText = out.appendDouble(histogram.sum(), s.responseCharsSumText);
        } else {
          s.latencySumText = out.appendDouble(histogram.sum(), s.latencySumText);
        }
        out.append('\n');
      }
    }
  }

  /** The same values as snapshots, for the other formats and for readers of the registry. */
  @Override
  public MetricSnapshots collect() {
    CallSeries[] all = sorted();
    List<MetricSnapshot> snapshots = new ArrayList<>();
    if (all.length == 0) {
      return new MetricSnapshots(snapshots);
    }
    GaugeSnapshot.Builder last = GaugeSnapshot.builder().name(lastSuccess).help(LAST_SUCCESS_HELP);
    HistogramSnapshot.Builder latencies =
        HistogramSnapshot.builder().name(latency).help(LATENCY_HELP);
    CounterSnapshot.Builder calls = CounterSnapshot.builder().name(requests).help(REQUESTS_HELP);
    HistogramSnapshot.Builder lengths =
        HistogramSnapshot.builder().name(responseLength).help(RESPONSE_LENGTH_HELP);
    CounterSnapshot.Builder input =
        CounterSnapshot.builder().name(tokensInput).help(TOKENS_INPUT_HELP);
    CounterSnapshot.Builder missing =
        CounterSnapshot.builder().name(tokensMissing).help(TOKENS_MISSING_HELP);
    CounterSnapshot.Builder output =
        CounterSnapshot.builder().name(tokensOutput).help(TOKENS_OUTPUT_HELP);
    for (CallSeries s : all) {
      Labels labels = Labels.of("endpoint", s.endpoint, "model", s.model);
      last.dataPoint(
          GaugeDataPointSnapshot.builder().labels(labels).value(s.lastSuccessSeconds).build());
      latencies.dataPoint(histogram(labels, LlmMetrics.LATENCY_BUCKETS, s.latencySeconds));
      if (s.anyCancelled) {
        calls.dataPoint(counter(labels.add("status", "cancelled"), s.cancelled.sum()));
      }
      calls.dataPoint(counter(labels.add("status", "error"), s.error.sum()));
      calls.dataPoint(counter(labels.add("status", "success"), s.success.sum()));
      lengths.dataPoint(histogram(labels, LlmMetrics.RESPONSE_LENGTH_BUCKETS, s.responseChars));
      input.dataPoint(counter(labels, s.inputTokens.sum()));
      missing.dataPoint(counter(labels.add("direction", "input"), s.inputMissing.sum()));
      missing.dataPoint(counter(labels.add("direction", "output"), s.outputMissing.sum()));
      output.dataPoint(counter(labels, s.outputTokens.sum()));
    }
    snapshots.add(last.build());
    snapshots.add(latencies.build());
    snapshots.add(calls.build());
    snapshots.add(lengths.build());
    snapshots.add(input.build());
    snapshots.add(missing.build());
    snapshots.add(output.build());
    return new MetricSnapshots(snapshots);
  }

  private static CounterDataPointSnapshot counter(Labels labels, long value) {
    return CounterDataPointSnapshot.builder().labels(labels).value(value).build();
  }

  private static HistogramDataPointSnapshot histogram(
      Labels labels, double[] bounds, SeriesHistogram histogram) {
    long[] counts = new long[bounds.length + 1];
    histogram.read(counts);
    double[] withInf = Arrays.copyOf(bounds, bounds.length + 1);
    withInf[bounds.length] = Double.POSITIVE_INFINITY;
    return HistogramDataPointSnapshot.builder()
        .labels(labels)
        .classicHistogramBuckets(ClassicHistogramBuckets.of(withInf, counts))
        .sum(histogram.sum())
        .build();
  }
}
