package dev.taskmaster.agent.export;

/**
 * Metric families that write their own text exposition, faster than collecting snapshots and
 * formatting them with the Prometheus client. They are also registered as a collector, so that
 * every other format and reader sees them; {@code /metrics} in the text format takes them from here
 * and everything else from the registry.
 */
public interface TextFamilies {

  /** Whether {@code prometheusName} (as the registry's name filter sees it) is one of these. */
  boolean covers(String prometheusName);

  /** Writes these families in the Prometheus text format 0.0.4. */
  void writeText(TextBuffer out);
}
