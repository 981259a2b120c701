package dev.taskmaster.agent.alerting;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The builder takes the ranges of the configuration keys, and says which key a value broke. */
class AlertSettingsTest {

  @Test
  void theQuantileTakesTheKeysRange() {
    assertEquals(0.5, AlertSettings.builder().latencyQuantile(0.5).build().latencyQuantile());
    assertEquals(0.999, AlertSettings.builder().latencyQuantile(0.999).build().latencyQuantile());
    IllegalArgumentException low =
        assertThrows(
            IllegalArgumentException.class, () -> AlertSettings.builder().latencyQuantile(0.3));
    assertEquals("alerting.latency.quantile=0.3: from 0.5 to 0.999", low.getMessage());
    assertThrows(
        IllegalArgumentException.class, () -> AlertSettings.builder().latencyQuantile(1.0));
  }

  @Test
  void thresholdsAreFromZeroToOneAndNotANumberIsNone() {
    AlertSettings edges =
        AlertSettings.builder()
            .errorRateThreshold(1)
            .qualityThreshold(0)
            .satisfactionThreshold(0)
            .build();
    assertEquals(1.0, edges.errorRateThreshold());
    assertEquals(0.0, edges.qualityThreshold());
    assertEquals(0.0, edges.satisfactionThreshold());
    assertEquals(
        "alerting.quality.threshold=NaN: from 0.0 to 1.0",
        assertThrows(
                IllegalArgumentException.class,
                () -> AlertSettings.builder().qualityThreshold(Double.NaN))
            .getMessage());
    assertEquals(
        "alerting.satisfaction.threshold=1.01: from 0.0 to 1.0",
        assertThrows(
                IllegalArgumentException.class,
                () -> AlertSettings.builder().satisfactionThreshold(1.01))
            .getMessage());
    assertThrows(
        IllegalArgumentException.class, () -> AlertSettings.builder().errorRateThreshold(-0.01));
  }

  @Test
  void windowsStartAtThirtySeconds() {
    assertEquals(
        "alerting.error-rate.window=29s: from 30s to 1h",
        assertThrows(
                IllegalArgumentException.class,
                () -> AlertSettings.builder().errorRateWindow(Duration.ofSeconds(29)))
            .getMessage());
  }
}
