package dev.taskmaster.agent.alerting;

import java.net.http.HttpClient;
import java.time.Duration;
import java.util.Map;

/**
 * Posts a message to a Slack incoming webhook ({@code alerting.slack.url}) for each alert that
 * fires or resolves: a headline, then the description, value and, while firing, the runbook, in an
 * attachment coloured by severity. The URL is a secret and is never logged.
 */
public final class SlackNotifier implements AlertNotifier {

  private final HttpDelivery delivery;

  /**
   * @param metricPrefix metric name prefix, named in warnings
   */
  public SlackNotifier(NotifierSettings settings, AlertMetrics metrics, String metricPrefix) {
    this(settings, metrics, metricPrefix, AgentHttp.client(settings.timeout()));
  }

  SlackNotifier(
      NotifierSettings settings, AlertMetrics metrics, String metricPrefix, HttpClient client) {
    delivery =
        new HttpDelivery(
            "alerting.slack.url",
            settings.slackUrl(),
            Map.of(),
            client,
            settings,
            false,
            metrics,
            name(),
            metricPrefix);
  }

  @Override
  public String name() {
    return "slack";
  }

  @Override
  public void notify(Alert alert) {
    delivery.submit(AlertJson.bytes(AlertJson.slack(alert)));
  }

  @Override
  public void close(Duration timeout) {
    delivery.close(timeout);
  }
}
