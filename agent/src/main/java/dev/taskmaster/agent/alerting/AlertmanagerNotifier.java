package dev.taskmaster.agent.alerting;

import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Sends alerts to Alertmanager's v2 API ({@code POST /api/v2/alerts}), which then does the routing,
 * grouping, silencing and inhibition, as it does for Prometheus. Behaves like Prometheus's
 * notifier:
 *
 * <ul>
 *   <li>every firing alert is sent when it fires and again every {@code
 *       alerting.alertmanager.resend-interval}, with {@code startsAt} the time it fired and {@code
 *       endsAt} four resend (or evaluation) intervals ahead, so that Alertmanager resolves it by
 *       itself if this JVM stops;
 *   <li>a resolved alert is sent at once with {@code endsAt} the time it resolved, and again at
 *       each resend for 15 minutes, in case an Alertmanager missed it;
 *   <li>each send carries the full current state to every configured Alertmanager; one still
 *       waiting or being retried is replaced by a newer one.
 * </ul>
 */
public final class AlertmanagerNotifier implements AlertNotifier {

  /** How long a resolved alert is still sent. */
  static final Duration RESOLVED_RETENTION = Duration.ofMinutes(15);

  private final List<HttpDelivery> deliveries = new ArrayList<>();
  private final Duration resendInterval;
  private final Duration validFor;
  private Instant lastSent;
  private boolean changed;

  /**
   * @param evaluationInterval the engine's {@code alerting.interval}
   * @param metricPrefix metric name prefix, named in warnings
   */
  public AlertmanagerNotifier(
      NotifierSettings settings,
      Duration evaluationInterval,
      AlertMetrics metrics,
      String metricPrefix) {
    this(settings, evaluationInterval, metrics, metricPrefix, AgentHttp.client(settings.timeout()));
  }

  AlertmanagerNotifier(
      NotifierSettings settings,
      Duration evaluationInterval,
      AlertMetrics metrics,
      String metricPrefix,
      HttpClient client) {
    this.resendInterval = settings.resendInterval();
    Duration longer =
        evaluationInterval.compareTo(resendInterval) > 0 ? evaluationInterval : resendInterval;
    this.validFor = longer.multipliedBy(4);
    for (URI base : settings.alertmanagerUrls()) {
      deliveries.add(
          new HttpDelivery(
              "alerting.alertmanager.url",
              alertsEndpoint(base),
              settings.alertmanagerHeaders(),
              client,
              settings,
              true,
              metrics,
              name(),
              metricPrefix));
    }
  }

  /** {@code base/api/v2/alerts}, unless the URL already ends so. */
  static URI alertsEndpoint(URI base) {
    String text = base.toString();
    if (text.endsWith("/api/v2/alerts")) {
      return base;
    }
    return URI.create(text.replaceAll("/+$", "") + "/api/v2/alerts");
  }

  @Override
  public String name() {
    return "alertmanager";
  }

  @Override
  public synchronized void notify(Alert alert) {
    changed = true;
  }

  @Override
  public synchronized void evaluated(List<Alert> alerts, Instant now) {
    List<Alert> current = new ArrayList<>();
    for (Alert alert : alerts) {
      if (alert.state() == AlertState.FIRING
          || alert.state() == AlertState.RESOLVED
              && alert.resolvedAt().plus(RESOLVED_RETENTION).isAfter(now)) {
        current.add(alert);
      }
    }
    boolean resendDue = lastSent == null || !now.isBefore(lastSent.plus(resendInterval));
    if (current.isEmpty() || !changed && !resendDue) {
      return;
    }
    byte[] body = AlertJson.bytes(AlertJson.alertmanager(current, now, validFor));
    for (HttpDelivery delivery : deliveries) {
      delivery.submit(body);
    }
    lastSent = now;
    changed = false;
  }

  @Override
  public void close(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    for (HttpDelivery delivery : deliveries) {
      delivery.close(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
    }
  }
}
