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

/** Our families read exactly as the client library's counters, gauges and histograms. */
class FastFamilyTest {

  private static final double[] BOUNDS = {0.2, 0.5, 1};

  private static String clientText(MetricSnapshots snapshots) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    PrometheusTextFormatWriter.create().write(out, snapshots);
    return out.toString(StandardCharsets.UTF_8);
  }

  @Test
  void sameLinesAsTheClientLibrary() throws IOException {
    PrometheusRegistry ours = new PrometheusRegistry();
    FastFamily events =
        FastFamily.counter(ours, "t_events", "Events \\ by\nkind.", "model", "event");
    FastFamily score = FastFamily.gauge(ours, "t_score", "Score.", "model");
    FastFamily quality = FastFamily.histogram(ours, "t_quality", "Quality.", BOUNDS, "model");

    PrometheusRegistry theirs = new PrometheusRegistry();
    PrometheusProperties properties = PrometheusProperties.builder().build();
    Counter clientEvents =
        Counter.builder(properties)
            .name("t_events")
            .help("Events \\ by\nkind.")
            .labelNames("model", "event")
            .withoutExemplars()
            .register(theirs);
    Gauge clientScore =
        Gauge.builder(properties)
            .name("t_score")
            .help("Score.")
            .labelNames("model")
            .withoutExemplars()
            .register(theirs);
    Histogram clientQuality =
        Histogram.builder(properties)
            .name("t_quality")
            .help("Quality.")
            .labelNames("model")
            .classicOnly()
            .classicUpperBounds(BOUNDS)
            .withoutExemplars()
            .register(theirs);

    String[] models = {"zeta", "a\"b\\c\nd", "alpha"};
    // Written once before: the order and the values it keeps must follow later changes.
    score.labelValues("beta").set(0.7);
    clientScore.labelValues("beta").set(0.7);
    FastMetrics.of(ours).writeText(new TextBuffer(16));
    score.labelValues("beta").set(0.9);
    clientScore.labelValues("beta").set(0.9);
    String[] kinds = {"refusal", "empty"};
    for (int i = 0; i < models.length; i++) {
      for (String kind : kinds) {
        events.labelValues(models[i], kind);
        clientEvents.labelValues(models[i], kind);
      }
      for (int n = 0; n <= i; n++) {
        events.labelValues(models[i], "empty").inc();
        clientEvents.labelValues(models[i], "empty").inc();
        quality.labelValues(models[i]).observe(0.5 * n);
        clientQuality.labelValues(models[i]).observe(0.5 * n);
      }
      score.labelValues(models[i]).set(i / 3.0);
      clientScore.labelValues(models[i]).set(i / 3.0);
    }

    String expected = clientText(theirs.scrape());
    assertTrue(expected.contains("event=\"empty\",model=\"alpha\"} 3.0"), expected);
    TextBuffer buffer = new TextBuffer(16);
    FastMetrics.of(ours).writeText(buffer);
    // Ours are written in the order they were made, the client's by name: compare family sets.
    assertEquals(
        sortedFamilies(expected),
        sortedFamilies(new String(buffer.toByteArray(), StandardCharsets.UTF_8)));
    assertEquals(expected, clientText(ours.scrape()));
    assertEquals(
        clientText(theirs.scrape("t_score"::equals)), clientText(ours.scrape("t_score"::equals)));
    assertEquals(
        clientText(theirs.scrape("t_events_total"::equals)),
        clientText(ours.scrape("t_events_total"::equals)));
  }

  private static java.util.List<String> sortedFamilies(String body) {
    java.util.List<String> blocks = new java.util.ArrayList<>();
    for (String block : ("\n" + body).split("\n(?=# HELP )")) {
      if (!block.trim().isEmpty()) {
        blocks.add(block.trim());
      }
    }
    java.util.Collections.sort(blocks);
    return blocks;
  }
}
