package dev.taskmaster.agent.alerting;

import java.net.http.HttpClient;
import java.time.Duration;

/**
 * POSTs one JSON object per alert that fires or resolves to {@code alerting.webhook.url}:
 *
 * <pre>{@code
 * {"version":"1","source":"taskmaster-agent","status":"firing",
 *  "alertname":"TaskMasterHighLatency","severity":"warning",
 *  "labels":{"alertname":"TaskMasterHighLatency","severity":"warning","instance":"web-1",
 *            "service":"checkout"},
 *  "annotations":{"summary":"...","description":"...","runbook":"...","value":"3.75s"},
 *  "value":3.75,"activeAt":"2025-01-31T12:00:00.000Z","startsAt":"2025-01-31T12:05:00.000Z",
 *  "endsAt":null}
 * }</pre>
 *
 * <p>With a time-out per attempt and retries with back-off ({@code alerting.notify.*}); a
 * notification given up on counts in {@code taskmaster_notifications_failed_total{notifier=
 * "webhook"}}.
 */
public final class WebhookNotifier implements AlertNotifier {

  private final HttpDelivery delivery;

  /**
   * @param metricPrefix metric name prefix, named in warnings
   */
  public WebhookNotifier(NotifierSettings settings, AlertMetrics metrics, String metricPrefix) {
    this(settings, metrics, metricPrefix, AgentHttp.client(settings.timeout()));
  }

  WebhookNotifier(
      NotifierSettings settings, AlertMetrics metrics, String metricPrefix, HttpClient client) {
    delivery =
        new HttpDelivery(
            "alerting.webhook.url",
            settings.webhookUrl(),
            settings.webhookHeaders(),
            client,
            settings,
            false,
            metrics,
            name(),
            metricPrefix);
  }

  @Override
  public String name() {
    return "webhook";
  }

  @Override
  public void notify(Alert alert) {
    delivery.submit(AlertJson.bytes(AlertJson.webhook(alert)));
  }

  @Override
  public void close(Duration timeout) {
    delivery.close(timeout);
  }
}
