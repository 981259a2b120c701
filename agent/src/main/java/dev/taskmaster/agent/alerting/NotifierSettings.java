package dev.taskmaster.agent.alerting;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Where alerts are sent besides the structured log, and how hard the agent tries. Immutable; build
 * with {@link #builder()}. Without a URL a notifier is off; the log notifier is always on.
 *
 * <pre>{@code
 * NotifierSettings settings =
 *     NotifierSettings.builder()
 *         .alertmanager(List.of(URI.create("http://alertmanager:9093")))
 *         .build();
 * }</pre>
 */
public final class NotifierSettings {

  private final URI webhookUrl;
  private final Map<String, String> webhookHeaders;
  private final URI slackUrl;
  private final List<URI> alertmanagerUrls;
  private final Map<String, String> alertmanagerHeaders;
  private final Duration resendInterval;
  private final Duration timeout;
  private final int retries;
  private final Duration backoff;
  private final int queueCapacity;

  private NotifierSettings(Builder builder) {
    this.webhookUrl = builder.webhookUrl;
    this.webhookHeaders = Collections.unmodifiableMap(new LinkedHashMap<>(builder.webhookHeaders));
    this.slackUrl = builder.slackUrl;
    this.alertmanagerUrls = List.copyOf(builder.alertmanagerUrls);
    this.alertmanagerHeaders =
        Collections.unmodifiableMap(new LinkedHashMap<>(builder.alertmanagerHeaders));
    this.resendInterval = builder.resendInterval;
    this.timeout = builder.timeout;
    this.retries = builder.retries;
    this.backoff = builder.backoff;
    this.queueCapacity = builder.queueCapacity;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Only the log notifier. */
  public static NotifierSettings defaults() {
    return builder().build();
  }

  /** {@code alerting.webhook.url}, or {@code null}. */
  public URI webhookUrl() {
    return webhookUrl;
  }

  public Map<String, String> webhookHeaders() {
    return webhookHeaders;
  }

  /** {@code alerting.slack.url}, or {@code null}. */
  public URI slackUrl() {
    return slackUrl;
  }

  /** {@code alerting.alertmanager.url}: base URLs, empty when off. */
  public List<URI> alertmanagerUrls() {
    return alertmanagerUrls;
  }

  public Map<String, String> alertmanagerHeaders() {
    return alertmanagerHeaders;
  }

  public Duration resendInterval() {
    return resendInterval;
  }

  public Duration timeout() {
    return timeout;
  }

  public int retries() {
    return retries;
  }

  public Duration backoff() {
    return backoff;
  }

  public int queueCapacity() {
    return queueCapacity;
  }

  /** Builds {@link NotifierSettings}; setters reject values outside their documented range. */
  public static final class Builder {
    private URI webhookUrl;
    private final Map<String, String> webhookHeaders = new LinkedHashMap<>();
    private URI slackUrl;
    private final List<URI> alertmanagerUrls = new ArrayList<>();
    private final Map<String, String> alertmanagerHeaders = new LinkedHashMap<>();
    private Duration resendInterval = Duration.ofMinutes(1);
    private Duration timeout = Duration.ofSeconds(5);
    private int retries = 3;
    private Duration backoff = Duration.ofSeconds(1);
    private int queueCapacity = 100;

    private Builder() {}

    /**
     * {@code alerting.webhook.url}: receives a JSON POST per alert that fires or resolves; default
     * none.
     */
    public Builder webhook(URI url) {
      webhookUrl = http("alerting.webhook.url", url);
      return this;
    }

    /** {@code alerting.webhook.headers}: headers of the webhook POST, such as Authorization. */
    public Builder webhookHeaders(Map<String, String> headers) {
      webhookHeaders.putAll(headers);
      return this;
    }

    /** {@code alerting.slack.url}: a Slack incoming-webhook URL; default none. */
    public Builder slack(URI url) {
      slackUrl = http("alerting.slack.url", url);
      return this;
    }

    /**
     * {@code alerting.alertmanager.url}: Alertmanager base URLs (every member of a cluster), such
     * as {@code http://alertmanager:9093}; alerts go to {@code /api/v2/alerts}. Default none.
     */
    public Builder alertmanager(List<URI> urls) {
      for (URI url : urls) {
        alertmanagerUrls.add(http("alerting.alertmanager.url", url));
      }
      return this;
    }

    /** {@code alerting.alertmanager.headers}: headers of the POST, such as Authorization. */
    public Builder alertmanagerHeaders(Map<String, String> headers) {
      alertmanagerHeaders.putAll(headers);
      return this;
    }

    /**
     * {@code alerting.alertmanager.resend-interval}: how often firing alerts are sent again, as
     * Alertmanager expects; 1 s to 1 h, default 1 min.
     */
    public Builder resendInterval(Duration value) {
      resendInterval =
          within(
              "alerting.alertmanager.resend-interval",
              value,
              Duration.ofSeconds(1),
              Duration.ofHours(1));
      return this;
    }

    /** {@code alerting.notify.timeout}: per attempt, to connect and to answer; default 5 s. */
    public Builder timeout(Duration value) {
      timeout =
          within("alerting.notify.timeout", value, Duration.ofMillis(100), Duration.ofMinutes(2));
      return this;
    }

    /** {@code alerting.notify.retries}: attempts after the first, 0 to 20; default 3. */
    public Builder retries(int value) {
      if (value < 0 || value > 20) {
        throw new IllegalArgumentException("alerting.notify.retries=" + value + ": 0 to 20");
      }
      retries = value;
      return this;
    }

    /**
     * {@code alerting.notify.backoff}: wait before the first retry, doubled for each further one up
     * to 30 s; default 1 s.
     */
    public Builder backoff(Duration value) {
      backoff = within("alerting.notify.backoff", value, Duration.ZERO, Duration.ofSeconds(30));
      return this;
    }

    /**
     * {@code alerting.notify.queue}: notifications that may wait per notifier, 1 to 10000; default
     * 100. More are dropped and counted as failed.
     */
    public Builder queueCapacity(int value) {
      if (value < 1 || value > 10_000) {
        throw new IllegalArgumentException("alerting.notify.queue=" + value + ": 1 to 10000");
      }
      queueCapacity = value;
      return this;
    }

    public NotifierSettings build() {
      return new NotifierSettings(this);
    }

    private static URI http(String key, URI url) {
      Objects.requireNonNull(url, key);
      String scheme = url.getScheme();
      if (!"http".equalsIgnoreCase(scheme) && !"https".equalsIgnoreCase(scheme)
          || url.getHost() == null) {
        throw new IllegalArgumentException(
            key + "=" + HttpDelivery.describe(url) + ": an http:// or https:// URL with a host");
      }
      return url;
    }

    private static Duration within(String key, Duration value, Duration min, Duration max) {
      if (value.compareTo(min) < 0 || value.compareTo(max) > 0) {
        throw new IllegalArgumentException(
            key
                + "="
                + PromDurations.format(value)
                + ": from "
                + PromDurations.format(min)
                + " to "
                + PromDurations.format(max));
      }
      return value;
    }
  }
}
