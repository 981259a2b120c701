package dev.taskmaster.agent.web;

import io.prometheus.metrics.config.EscapingScheme;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** Reads a registry the way Prometheus scrapes it. */
final class Scrape {

  private Scrape() {}

  static String text(PrometheusRegistry registry) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      PrometheusTextFormatWriter.create().write(out, registry.scrape(), EscapingScheme.ALLOW_UTF8);
    } catch (IOException impossible) {
      throw new UncheckedIOException(impossible);
    }
    return out.toString(StandardCharsets.UTF_8);
  }

  /** The value of one sample, such as {@code taskmaster_log_dropped_total{reason="queue_full"}}. */
  static double value(PrometheusRegistry registry, String sample) {
    for (String line : text(registry).split("\n")) {
      if (line.startsWith(sample + " ")) {
        return Double.parseDouble(line.substring(sample.length() + 1).trim());
      }
    }
    throw new AssertionError("no sample " + sample + " in:\n" + text(registry));
  }

  /** Whether the registry exports a sample that starts with this text. */
  static boolean has(PrometheusRegistry registry, String samplePrefix) {
    for (String line : text(registry).split("\n")) {
      if (line.startsWith(samplePrefix)) {
        return true;
      }
    }
    return false;
  }
}
