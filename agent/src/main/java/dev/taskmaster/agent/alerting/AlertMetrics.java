package dev.taskmaster.agent.alerting;

import io.prometheus.metrics.config.PrometheusProperties;
import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

/**
 * The alerting metrics, registered once in the agent's registry (names for the default prefix):
 *
 * <ul>
 *   <li>{@code taskmaster_alert_state{alertname,severity}}: 0 inactive, 1 pending, 2 firing;
 *   <li>{@code taskmaster_notifications_sent_total{notifier}}: notifications delivered;
 *   <li>{@code taskmaster_notifications_failed_total{notifier}}: notifications given up on, after
 *       retries, or dropped because the notifier's queue was full.
 * </ul>
 */
public final class AlertMetrics {

  private final Gauge state;
  private final Counter sent;
  private final Counter failed;

  /**
   * @param prefix metric name prefix, without a trailing underscore
   */
  public AlertMetrics(PrometheusRegistry registry, String prefix) {
    PrometheusProperties properties = PrometheusProperties.builder().build();
    state =
        Gauge.builder(properties)
            .name(prefix + "_alert_state")
            .help("State of each alert rule the agent evaluates: 0 inactive, 1 pending, 2 firing.")
            .labelNames("alertname", "severity")
            .withoutExemplars()
            .register(registry);
    sent =
        Counter.builder(properties)
            .name(prefix + "_notifications_sent")
            .help("Alert notifications delivered, by notifier.")
            .labelNames("notifier")
            .withoutExemplars()
            .register(registry);
    failed =
        Counter.builder(properties)
            .name(prefix + "_notifications_failed")
            .help(
                "Alert notifications given up on after retries, or dropped because the"
                    + " notifier's queue was full, by notifier.")
            .labelNames("notifier")
            .withoutExemplars()
            .register(registry);
  }

  void state(AlertRule rule, AlertState value) {
    state.labelValues(rule.name(), rule.severity().label()).set(value.gaugeValue());
  }

  /** The sent counter of one notifier; looking it up also exports it at 0. */
  CounterDataPoint sent(String notifier) {
    return sent.labelValues(notifier);
  }

  /** The failed counter of one notifier; looking it up also exports it at 0. */
  CounterDataPoint failed(String notifier) {
    return failed.labelValues(notifier);
  }
}
