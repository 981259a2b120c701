package dev.taskmaster.agent.alerting;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.taskmaster.agent.logging.LogSettings;
import dev.taskmaster.agent.logging.StructuredLog;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class AlertingRuntimeTest {

  private final PrometheusRegistry registry = new PrometheusRegistry();
  private final StructuredLog log =
      new StructuredLog(
          LogSettings.builder().destination(LogSettings.Destination.NONE).build(),
          registry,
          "taskmaster");

  @Test
  void exportsEveryRuleAndConfiguredNotifierAtZero() {
    AlertingRuntime runtime =
        AlertingRuntime.create(
            AlertSettings.defaults(),
            NotifierSettings.builder()
                .webhook(URI.create("http://127.0.0.1:9/hook"))
                .alertmanager(List.of(URI.create("http://127.0.0.1:9")))
                .build(),
            "checkout",
            3,
            registry,
            "taskmaster",
            log,
            failure -> {
              throw new AssertionError(failure);
            });

    String text = Scrape.text(registry);
    for (String sample :
        List.of(
            "taskmaster_alert_state{alertname=\"TaskMasterHighLatency\",severity=\"warning\"} 0.0",
            "taskmaster_alert_state{alertname=\"TaskMasterHighErrorRate\",severity=\"critical\"} 0.0",
            "taskmaster_alert_state{alertname=\"TaskMasterModelDown\",severity=\"critical\"} 0.0",
            "taskmaster_alert_state{alertname=\"TaskMasterQualityDrift\",severity=\"warning\"} 0.0",
            "taskmaster_alert_state{alertname=\"TaskMasterNoRequests\",severity=\"warning\"} 0.0",
            "taskmaster_alert_state{alertname=\"TaskMasterLowSatisfaction\",severity=\"warning\"} 0.0",
            "taskmaster_notifications_failed_total{notifier=\"webhook\"} 0.0",
            "taskmaster_notifications_failed_total{notifier=\"alertmanager\"} 0.0")) {
      assertTrue(text.contains(sample + "\n"), sample + " missing from\n" + text);
    }
    assertEquals(2, runtime.callListeners().size());
    runtime.shutdown(Duration.ZERO);
  }

  @Test
  void theQualityRuleReadsTheScoreSetLater() {
    AlertingRuntime runtime =
        AlertingRuntime.create(
            AlertSettings.builder().qualityFor(Duration.ZERO).build(),
            NotifierSettings.defaults(),
            "checkout",
            3,
            registry,
            "taskmaster",
            log,
            failure -> {
              throw new AssertionError(failure);
            });

    runtime.engine().evaluate();
    assertEquals(AlertState.INACTIVE, runtime.engine().alert("TaskMasterQualityDrift").state());
    runtime.qualityScore(() -> 0.4);
    runtime.engine().evaluate();

    assertEquals(AlertState.FIRING, runtime.engine().alert("TaskMasterQualityDrift").state());
  }

  @Test
  void theSatisfactionRuleReadsTheSatisfactionSetLater() {
    AlertingRuntime runtime =
        AlertingRuntime.create(
            AlertSettings.builder().satisfactionFor(Duration.ZERO).build(),
            NotifierSettings.defaults(),
            "checkout",
            3,
            registry,
            "taskmaster",
            log,
            failure -> {
              throw new AssertionError(failure);
            });

    runtime.engine().evaluate();
    assertEquals(AlertState.INACTIVE, runtime.engine().alert("TaskMasterLowSatisfaction").state());
    runtime.satisfaction(() -> 0.3);
    runtime.engine().evaluate();

    assertEquals(AlertState.FIRING, runtime.engine().alert("TaskMasterLowSatisfaction").state());
  }

  @Test
  void disabledAlertingRegistersNoRuleAndListensToNoCall() {
    AlertingRuntime runtime =
        AlertingRuntime.create(
            AlertSettings.builder().enabled(false).build(),
            NotifierSettings.defaults(),
            "checkout",
            3,
            registry,
            "taskmaster",
            log,
            failure -> {});

    runtime.start();

    assertTrue(runtime.engine().alerts().isEmpty());
    assertTrue(runtime.callListeners().isEmpty());
  }
}
