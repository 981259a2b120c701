package dev.taskmaster.agenttests.harness;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** The scrape parser, on its own: the other tests are only as exact as it is. */
class MetricsSnapshotTest {

  private static final String TEXT =
      "# HELP x_requests_total Calls.\n"
          + "# TYPE x_requests_total counter\n"
          + "x_requests_total{endpoint=\"chat\",model=\"a\\\"b\\\\c\\nd\",status=\"success\"} 7.0\n"
          + "x_requests_total{endpoint=\"chat\",model=\"m, {x}\",status=\"error\"} 2\n"
          + "x_latency_seconds_bucket{endpoint=\"chat\",le=\"+Inf\"} 9\n"
          + "x_latency_seconds_sum{endpoint=\"chat\"} 3.0E-4\n"
          + "x_up 1 1700000000000\n"
          + "x_nan NaN\n";

  @Test
  void parsesLabelsEscapesSpecialValuesAndTimestamps() {
    MetricsSnapshot metrics = MetricsSnapshot.parse(TEXT);
    assertAll(
        () -> assertEquals(6, metrics.samples().size()),
        () ->
            assertEquals(
                Map.of("endpoint", "chat", "model", "a\"b\\c\nd", "status", "success"),
                metrics.samples("x_requests_total", "status", "success").get(0).labels()),
        () -> assertEquals(2, metrics.value("x_requests_total", "model", "m, {x}")),
        () -> assertEquals(9, metrics.sum("x_requests_total")),
        () -> assertEquals(9, metrics.value("x_latency_seconds_bucket", "le", "+Inf")),
        () -> assertEquals(3.0e-4, metrics.value("x_latency_seconds_sum")),
        () -> assertEquals(1, metrics.value("x_up")),
        () -> assertTrue(Double.isNaN(metrics.value("x_nan"))),
        () -> assertEquals(0, metrics.sum("x_absent")),
        () -> assertTrue(metrics.find("x_absent").isEmpty()));
  }

  @Test
  void valueFailsUnlessExactlyOneSampleMatches() {
    MetricsSnapshot metrics = MetricsSnapshot.parse(TEXT);
    assertThrows(AssertionError.class, () -> metrics.value("x_requests_total"));
    assertThrows(AssertionError.class, () -> metrics.value("x_absent"));
  }

  @Test
  void rejectsMalformedLines() {
    assertThrows(IllegalArgumentException.class, () -> MetricsSnapshot.parse("x{a=\"1\" 2\n"));
    assertThrows(IllegalArgumentException.class, () -> MetricsSnapshot.parse("x{a=\"1\"}\n"));
    assertThrows(IllegalArgumentException.class, () -> MetricsSnapshot.parse("x abc\n"));
  }
}
