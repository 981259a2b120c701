package dev.taskmaster.agent.alerting;

import java.net.URI;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The model health probe's settings. Without {@code health.url} there is no probe. Immutable; build
 * with {@link #builder()}.
 *
 * <pre>{@code
 * HealthSettings settings =
 *     HealthSettings.builder()
 *         .url(URI.create("http://localhost:11434/api/tags"))
 *         .model("llama3.2")
 *         .build();
 * }</pre>
 */
public final class HealthSettings {

  private final URI url;
  private final Duration interval;
  private final Duration timeout;
  private final Map<String, String> headers;
  private final String model;

  private HealthSettings(Builder builder) {
    this.url = builder.url;
    this.interval = builder.interval;
    this.timeout = builder.timeout;
    this.headers = Collections.unmodifiableMap(new LinkedHashMap<>(builder.headers));
    this.model = builder.model;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** {@code health.url}, or {@code null} when there is no probe. */
  public URI url() {
    return url;
  }

  public Duration interval() {
    return interval;
  }

  public Duration timeout() {
    return timeout;
  }

  /** Headers sent with each probe; empty by default, so no {@code Authorization} is sent. */
  public Map<String, String> headers() {
    return headers;
  }

  /** The model that must be listed for "up", or {@code null} when any 2xx answer is "up". */
  public String model() {
    return model;
  }

  /** Builds {@link HealthSettings}; setters reject values outside their documented range. */
  public static final class Builder {
    private URI url;
    private Duration interval = Duration.ofSeconds(30);
    private Duration timeout = Duration.ofSeconds(5);
    private final Map<String, String> headers = new LinkedHashMap<>();
    private String model;

    private Builder() {}

    /**
     * {@code health.url}: a GET that answers 2xx while the model server is up, such as {@code
     * http://localhost:8000/v1/models} or Ollama's {@code http://localhost:11434/api/tags}; default
     * none (no probe).
     */
    public Builder url(URI value) {
      if (value != null
          && (!("http".equalsIgnoreCase(value.getScheme())
                  || "https".equalsIgnoreCase(value.getScheme()))
              || value.getHost() == null)) {
        throw new IllegalArgumentException(
            "health.url=" + HttpDelivery.describe(value) + ": an http:// or https:// URL");
      }
      url = value;
      return this;
    }

    /** {@code health.interval}: time between probes, 1 s to 1 h; default 30 s. */
    public Builder interval(Duration value) {
      if (value.compareTo(Duration.ofSeconds(1)) < 0 || value.compareTo(Duration.ofHours(1)) > 0) {
        throw new IllegalArgumentException(
            "health.interval=" + PromDurations.format(value) + ": from 1s to 1h");
      }
      interval = value;
      return this;
    }

    /** {@code health.timeout}: per probe, to connect and to answer; default 5 s. */
    public Builder timeout(Duration value) {
      if (value.compareTo(Duration.ofMillis(100)) < 0
          || value.compareTo(Duration.ofMinutes(1)) > 0) {
        throw new IllegalArgumentException(
            "health.timeout=" + PromDurations.format(value) + ": from 100ms to 1m");
      }
      timeout = value;
      return this;
    }

    /**
     * {@code health.headers}: headers of the probe, such as {@code Authorization=Bearer ...} for a
     * hosted API; default none. Their values are never logged.
     */
    public Builder headers(Map<String, String> value) {
      headers.putAll(value);
      return this;
    }

    /**
     * {@code health.model}: when set, "up" also needs this model in the answer (as an {@code id} or
     * {@code name}; Ollama's {@code :latest} tag may be left out); default none.
     */
    public Builder model(String value) {
      model = value == null || value.isEmpty() ? null : value;
      return this;
    }

    public HealthSettings build() {
      return new HealthSettings(this);
    }
  }
}
