package dev.taskmaster.agent.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.taskmaster.agent.export.TextBuffer;
import io.prometheus.metrics.config.PrometheusProperties;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * The per-series families written by our own text writer must read exactly as the Prometheus
 * client's counters and histograms did for the same calls, and as the client's writer renders our
 * snapshots.
 */
class SeriesExpositionTest {

  private static final double LAST_SUCCESS = 1_764_842_222.125;

  /** The same families with the client library's own metrics, as LlmMetrics had them. */
  private static final class Reference {
    final PrometheusRegistry registry = new PrometheusRegistry();
    final PrometheusProperties properties = PrometheusProperties.builder().build();
    final Counter requests =
        counter("taskmaster_requests", SeriesExposition.REQUESTS_HELP, "status");
    final Histogram latency =
        histogram(
            "taskmaster_request_latency_seconds",
            SeriesExposition.LATENCY_HELP,
            LlmMetrics.LATENCY_BUCKETS);
    final Counter input = counter("taskmaster_tokens_input", SeriesExposition.TOKENS_INPUT_HELP);
    final Counter output = counter("taskmaster_tokens_output", SeriesExposition.TOKENS_OUTPUT_HELP);
    final Counter missing =
        counter("taskmaster_tokens_missing", SeriesExposition.TOKENS_MISSING_HELP, "direction");
    final Histogram length =
        histogram(
            "taskmaster_response_length_chars",
            SeriesExposition.RESPONSE_LENGTH_HELP,
            LlmMetrics.RESPONSE_LENGTH_BUCKETS);
    final Gauge last =
        Gauge.builder(properties)
            .name("taskmaster_last_successful_request_timestamp_seconds")
            .help(SeriesExposition.LAST_SUCCESS_HELP)
            .labelNames("endpoint", "model")
            .withoutExemplars()
            .register(registry);

    private Counter counter(String name, String help, String... extra) {
      String[] labels = new String[2 + extra.length];
      labels[0] = "endpoint";
      labels[1] = "model";
      System.arraycopy(extra, 0, labels, 2, extra.length);
      return Counter.builder(properties)
          .name(name)
          .help(help)
          .labelNames(labels)
          .withoutExemplars()
          .register(registry);
    }

    private Histogram histogram(String name, String help, double[] bounds) {
      return Histogram.builder(properties)
          .name(name)
          .help(help)
          .labelNames("endpoint", "model")
          .classicOnly()
          .classicUpperBounds(bounds)
          .withoutExemplars()
          .register(registry);
    }

    void series(String endpoint, String model) {
      requests.labelValues(endpoint, model, "success");
      requests.labelValues(endpoint, model, "error");
      latency.labelValues(endpoint, model);
      input.labelValues(endpoint, model);
      output.labelValues(endpoint, model);
      missing.labelValues(endpoint, model, "input");
      missing.labelValues(endpoint, model, "output");
      length.labelValues(endpoint, model);
      last.labelValues(endpoint, model);
    }

    void success(String endpoint, String model, long nanos, long in, long out, int chars) {
      requests.labelValues(endpoint, model, "success").inc();
      latency.labelValues(endpoint, model).observe(nanos / 1e9);
      last.labelValues(endpoint, model).set(LAST_SUCCESS);
      if (in >= 0) {
        input.labelValues(endpoint, model).inc(in);
      } else {
        missing.labelValues(endpoint, model, "input").inc();
      }
      if (out >= 0) {
        output.labelValues(endpoint, model).inc(out);
      } else {
        missing.labelValues(endpoint, model, "output").inc();
      }
      length.labelValues(endpoint, model).observe(chars);
    }
  }

  private static LlmMetrics metrics() {
    return new LlmMetrics("taskmaster", new ModelLabelLimiter(50, "k"), 3, "svc", "1");
  }

  private static void success(
      LlmMetrics metrics,
      Reference reference,
      String endpoint,
      String model,
      long nanos,
      long in,
      long out,
      int chars) {
    LlmMetrics.CallSeries series = metrics.series(endpoint, model);
    series.recordSuccess(nanos);
    series.lastSuccessSeconds = LAST_SUCCESS;
    series.recordTokens(in, out);
    series.recordResponseLength(chars);
    reference.series(endpoint, model);
    reference.success(endpoint, model, nanos, in, out, chars);
  }

  private static String clientText(MetricSnapshots snapshots) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    PrometheusTextFormatWriter.create().write(out, snapshots);
    return out.toString(StandardCharsets.UTF_8);
  }

  private static String ourText(LlmMetrics metrics) {
    TextBuffer buffer = new TextBuffer(16);
    metrics.seriesFamilies().writeText(buffer);
    return new String(buffer.toByteArray(), StandardCharsets.UTF_8);
  }

  @Test
  void readsAsTheClientLibrarysMetricsDid() throws IOException {
    LlmMetrics metrics = metrics();
    Reference reference = new Reference();
    // Out of order, with label values that need escaping, a value on a bucket bound (0.25 s),
    // missing token counts, large counts (Double.toString turns 2e7 into 2.0E7).
    success(metrics, reference, "chat", "zeta", 250_000_000L, 20, 100, 600);
    success(metrics, reference, "chat", "alpha \"q\" \\ \n é", 1_200_000_000L, -1, 7, 50);
    // A scrape in between: what it keeps (the order of the series, formatted values) must follow
    // the series and values that come after it.
    ourText(metrics);
    success(metrics, reference, "embed", "alpha", 31_000_000_000L, 20_000_000, -1, 9_999);
    success(metrics, reference, "chat", "zeta", 90_000_000L, 3, 5, 0);
    metrics.series("chat", "zeta").recordError(400_000_000L);
    reference.requests.labelValues("chat", "zeta", "error").inc();
    reference.latency.labelValues("chat", "zeta").observe(0.4);
    metrics.series("embed", "alpha").recordCancelled(2_000_000_000L);
    reference.requests.labelValues("embed", "alpha", "cancelled").inc();
    reference.latency.labelValues("embed", "alpha").observe(2.0);

    String expected = clientText(reference.registry.scrape());
    assertTrue(expected.contains("le=\"+Inf\"} 2"), expected);
    assertEquals(expected, ourText(metrics));
    assertEquals(expected, clientText(metrics.registry().scrape(metrics.seriesFamilies()::covers)));
  }

  @Test
  void noSeriesNoLines() throws IOException {
    LlmMetrics metrics = metrics();
    assertEquals("", ourText(metrics));
    assertEquals("", clientText(metrics.registry().scrape(metrics.seriesFamilies()::covers)));
  }

  @Test
  void coversTheFamiliesWithAndWithoutTotal() {
    LlmMetrics metrics = metrics();
    assertTrue(metrics.seriesFamilies().covers("taskmaster_requests"));
    assertTrue(metrics.seriesFamilies().covers("taskmaster_requests_total"));
    assertTrue(metrics.seriesFamilies().covers("taskmaster_request_latency_seconds"));
    assertTrue(!metrics.seriesFamilies().covers("taskmaster_model_loaded"));
    assertTrue(!metrics.seriesFamilies().covers("taskmaster_errors_total"));
  }
}
