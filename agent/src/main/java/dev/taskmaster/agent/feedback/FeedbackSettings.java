package dev.taskmaster.agent.feedback;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;

/**
 * Settings of the user-feedback loop; every value has the default of its configuration key.
 * Immutable.
 */
public final class FeedbackSettings {

  private final boolean enabled;
  private final String token;
  private final int maxCalls;
  private final Duration maxAge;
  private final Duration window;
  private final int minCount;

  private FeedbackSettings(Builder builder) {
    this.enabled = builder.enabled;
    this.token = builder.token == null || builder.token.isEmpty() ? null : builder.token;
    this.maxCalls = builder.maxCalls;
    this.maxAge = builder.maxAge;
    this.window = builder.window;
    this.minCount = builder.minCount;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** {@code feedback.enabled}: whether {@code POST /feedback} accepts feedback. */
  public boolean enabled() {
    return enabled;
  }

  /** Whether {@code feedback.token} is set, so that senders must present it. */
  public boolean requiresToken() {
    return token != null;
  }

  /**
   * Whether an {@code Authorization} header value carries the token ({@code Bearer <token>}); true
   * when no token is required. Compared in constant time.
   */
  public boolean authorizes(String authorization) {
    if (token == null) {
      return true;
    }
    if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return false;
    }
    byte[] given = authorization.substring(7).trim().getBytes(StandardCharsets.UTF_8);
    return MessageDigest.isEqual(given, token.getBytes(StandardCharsets.UTF_8));
  }

  /** {@code feedback.max-calls}: how many recent request ids can receive feedback. */
  public int maxCalls() {
    return maxCalls;
  }

  /** {@code feedback.max-age}: how long after its call a request id can receive feedback. */
  public Duration maxAge() {
    return maxAge;
  }

  /** {@code feedback.window}: the window of {@code taskmaster_user_satisfaction}. */
  public Duration window() {
    return window;
  }

  /** {@code feedback.min-count}: feedback needed in the window before satisfaction is shown. */
  public int minCount() {
    return minCount;
  }

  /** Builds {@link FeedbackSettings}. */
  public static final class Builder {
    private boolean enabled = true;
    private String token;
    private int maxCalls = 10_000;
    private Duration maxAge = Duration.ofHours(24);
    private Duration window = Duration.ofHours(1);
    private int minCount = 5;

    private Builder() {}

    /** Default true. */
    public Builder enabled(boolean value) {
      enabled = value;
      return this;
    }

    /** Default none: no token is asked for. */
    public Builder token(String value) {
      token = value;
      return this;
    }

    /** At least 1 (the key: 100 to 10,000,000); default 10,000. */
    public Builder maxCalls(int value) {
      maxCalls = atLeastOne("feedback.max-calls", value);
      return this;
    }

    /** Longer than zero (the key: 1 minute to 30 days); default 24 hours. */
    public Builder maxAge(Duration value) {
      maxAge = positive("feedback.max-age", value);
      return this;
    }

    /** Longer than zero (the key: 1 minute to 24 hours); default 1 hour. */
    public Builder window(Duration value) {
      window = positive("feedback.window", value);
      return this;
    }

    /** At least 1 (the key: 1 to 100,000); default 5. */
    public Builder minCount(int value) {
      minCount = atLeastOne("feedback.min-count", value);
      return this;
    }

    public FeedbackSettings build() {
      return new FeedbackSettings(this);
    }

    // Tests use fewer calls and shorter times than the keys allow; only nonsense is refused.
    private static int atLeastOne(String key, int value) {
      if (value < 1) {
        throw new IllegalArgumentException(key + "=" + value + ": at least 1");
      }
      return value;
    }

    private static Duration positive(String key, Duration value) {
      if (value.isNegative() || value.isZero()) {
        throw new IllegalArgumentException(key + "=" + value + ": longer than zero");
      }
      return value;
    }
  }
}
