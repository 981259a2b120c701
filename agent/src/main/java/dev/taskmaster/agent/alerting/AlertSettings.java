package dev.taskmaster.agent.alerting;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Thresholds, windows and durations of the product's alert rules, and how often the agent evaluates
 * them. The same settings drive the agent's own engine and the generated Prometheus rules.
 * Immutable; build with {@link #builder()}, every option has the documented default.
 *
 * <pre>{@code
 * AlertSettings settings =
 *     AlertSettings.builder().latencyThreshold(Duration.ofSeconds(5)).build();
 * }</pre>
 */
public final class AlertSettings {

  private final boolean enabled;
  private final Duration interval;
  private final double latencyQuantile;
  private final Duration latencyThreshold;
  private final Duration latencyWindow;
  private final Duration latencyFor;
  private final double errorRateThreshold;
  private final Duration errorRateWindow;
  private final Duration errorRateFor;
  private final Duration modelDownFor;
  private final double qualityThreshold;
  private final Duration qualityFor;
  private final double satisfactionThreshold;
  private final Duration satisfactionFor;
  private final Duration noRequestsWindow;
  private final Duration noRequestsFor;
  private final Duration driftFor;
  private final Set<String> disabledRules;
  private final Map<String, String> labels;
  private final String instance;

  private AlertSettings(Builder builder) {
    this.enabled = builder.enabled;
    this.interval = builder.interval;
    this.latencyQuantile = builder.latencyQuantile;
    this.latencyThreshold = builder.latencyThreshold;
    this.latencyWindow = builder.latencyWindow;
    this.latencyFor = builder.latencyFor;
    this.errorRateThreshold = builder.errorRateThreshold;
    this.errorRateWindow = builder.errorRateWindow;
    this.errorRateFor = builder.errorRateFor;
    this.modelDownFor = builder.modelDownFor;
    this.qualityThreshold = builder.qualityThreshold;
    this.qualityFor = builder.qualityFor;
    this.satisfactionThreshold = builder.satisfactionThreshold;
    this.satisfactionFor = builder.satisfactionFor;
    this.noRequestsWindow = builder.noRequestsWindow;
    this.noRequestsFor = builder.noRequestsFor;
    this.driftFor = builder.driftFor;
    this.disabledRules = Collections.unmodifiableSet(new LinkedHashSet<>(builder.disabledRules));
    this.labels = Collections.unmodifiableMap(new LinkedHashMap<>(builder.labels));
    this.instance = builder.instance;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The settings with every default. */
  public static AlertSettings defaults() {
    return builder().build();
  }

  /** A builder holding these settings, to derive a changed copy. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.enabled = enabled;
    b.interval = interval;
    b.latencyQuantile = latencyQuantile;
    b.latencyThreshold = latencyThreshold;
    b.latencyWindow = latencyWindow;
    b.latencyFor = latencyFor;
    b.errorRateThreshold = errorRateThreshold;
    b.errorRateWindow = errorRateWindow;
    b.errorRateFor = errorRateFor;
    b.modelDownFor = modelDownFor;
    b.qualityThreshold = qualityThreshold;
    b.qualityFor = qualityFor;
    b.satisfactionThreshold = satisfactionThreshold;
    b.satisfactionFor = satisfactionFor;
    b.noRequestsWindow = noRequestsWindow;
    b.noRequestsFor = noRequestsFor;
    b.driftFor = driftFor;
    b.disabledRules.addAll(disabledRules);
    b.labels.putAll(labels);
    b.instance = instance;
    return b;
  }

  public boolean enabled() {
    return enabled;
  }

  public Duration interval() {
    return interval;
  }

  public double latencyQuantile() {
    return latencyQuantile;
  }

  public Duration latencyThreshold() {
    return latencyThreshold;
  }

  public Duration latencyWindow() {
    return latencyWindow;
  }

  public Duration latencyFor() {
    return latencyFor;
  }

  public double errorRateThreshold() {
    return errorRateThreshold;
  }

  public Duration errorRateWindow() {
    return errorRateWindow;
  }

  public Duration errorRateFor() {
    return errorRateFor;
  }

  public Duration modelDownFor() {
    return modelDownFor;
  }

  public double qualityThreshold() {
    return qualityThreshold;
  }

  public Duration qualityFor() {
    return qualityFor;
  }

  public double satisfactionThreshold() {
    return satisfactionThreshold;
  }

  public Duration satisfactionFor() {
    return satisfactionFor;
  }

  public Duration noRequestsWindow() {
    return noRequestsWindow;
  }

  public Duration noRequestsFor() {
    return noRequestsFor;
  }

  /** How long a drift status must hold before a drift rule fires. */
  public Duration driftFor() {
    return driftFor;
  }

  /** Names of rules that are neither evaluated nor generated. */
  public Set<String> disabledRules() {
    return disabledRules;
  }

  /** Labels added to every alert, by the agent and in the generated rules. */
  public Map<String, String> labels() {
    return labels;
  }

  /** The {@code instance} label of the agent's own alerts, or {@code null} for the host name. */
  public String instance() {
    return instance;
  }

  /** The longest window a rule looks back over, which the call window must keep. */
  public Duration longestWindow() {
    Duration longest = latencyWindow;
    if (errorRateWindow.compareTo(longest) > 0) {
      longest = errorRateWindow;
    }
    if (noRequestsWindow.compareTo(longest) > 0) {
      longest = noRequestsWindow;
    }
    return longest;
  }

  /** The shortest window a rule may look back over; see {@link Builder#latencyWindow}. */
  public static final Duration MIN_WINDOW = Duration.ofSeconds(30);

  /**
   * Builds {@link AlertSettings}; setters reject values outside the ranges of their configuration
   * keys.
   */
  public static final class Builder {
    private boolean enabled = true;
    private Duration interval = Duration.ofSeconds(15);
    private double latencyQuantile = 0.95;
    private Duration latencyThreshold = Duration.ofSeconds(2);
    private Duration latencyWindow = Duration.ofMinutes(5);
    private Duration latencyFor = Duration.ofMinutes(5);
    private double errorRateThreshold = 0.05;
    private Duration errorRateWindow = Duration.ofMinutes(5);
    private Duration errorRateFor = Duration.ofMinutes(2);
    private Duration modelDownFor = Duration.ofMinutes(1);
    private double qualityThreshold = 0.7;
    private Duration qualityFor = Duration.ofMinutes(15);
    private double satisfactionThreshold = 0.6;
    private Duration satisfactionFor = Duration.ofMinutes(15);
    private Duration noRequestsWindow = Duration.ofMinutes(10);
    private Duration noRequestsFor = Duration.ofMinutes(10);
    private Duration driftFor = Duration.ofMinutes(5);
    private final Set<String> disabledRules = new LinkedHashSet<>();
    private final Map<String, String> labels = new LinkedHashMap<>();
    private String instance;

    private Builder() {}

    /** {@code alerting.enabled}: whether the agent evaluates rules at all; default true. */
    public Builder enabled(boolean value) {
      enabled = value;
      return this;
    }

    /** {@code alerting.interval}: time between evaluations, 1 s to 10 min; default 15 s. */
    public Builder interval(Duration value) {
      interval = within("alerting.interval", value, Duration.ofSeconds(1), Duration.ofMinutes(10));
      return this;
    }

    /** {@code alerting.latency.quantile}: the latency quantile, 0.5 to 0.999; default 0.95. */
    public Builder latencyQuantile(double value) {
      latencyQuantile = fraction("alerting.latency.quantile", value, 0.5, 0.999);
      return this;
    }

    /** {@code alerting.latency.threshold}: latency above which the rule holds; default 2 s. */
    public Builder latencyThreshold(Duration value) {
      latencyThreshold =
          within("alerting.latency.threshold", value, Duration.ofMillis(1), Duration.ofHours(1));
      return this;
    }

    /** {@code alerting.latency.window}: window of the quantile, 30 s to 1 h; default 5 min. */
    public Builder latencyWindow(Duration value) {
      latencyWindow = window("alerting.latency.window", value, Duration.ofHours(1));
      return this;
    }

    /** {@code alerting.latency.for}: how long before firing; default 5 min. */
    public Builder latencyFor(Duration value) {
      latencyFor = forDuration("alerting.latency.for", value);
      return this;
    }

    /**
     * {@code alerting.error-rate.threshold}: error ratio (0 to 1) above which it holds; 0.05. One
     * turns the rule into one that never holds.
     */
    public Builder errorRateThreshold(double value) {
      errorRateThreshold = fraction("alerting.error-rate.threshold", value, 0, 1);
      return this;
    }

    /** {@code alerting.error-rate.window}: window of the ratio, 30 s to 1 h; default 5 min. */
    public Builder errorRateWindow(Duration value) {
      errorRateWindow = window("alerting.error-rate.window", value, Duration.ofHours(1));
      return this;
    }

    /** {@code alerting.error-rate.for}: how long before firing; default 2 min. */
    public Builder errorRateFor(Duration value) {
      errorRateFor = forDuration("alerting.error-rate.for", value);
      return this;
    }

    /** {@code alerting.model-down.for}: how long the model must be down; default 1 min. */
    public Builder modelDownFor(Duration value) {
      modelDownFor = forDuration("alerting.model-down.for", value);
      return this;
    }

    /**
     * {@code alerting.quality.threshold}: score (0 to 1) below which it holds; 0.7. Zero turns the
     * rule into one that never holds.
     */
    public Builder qualityThreshold(double value) {
      qualityThreshold = fraction("alerting.quality.threshold", value, 0, 1);
      return this;
    }

    /** {@code alerting.quality.for}: how long before firing; default 15 min. */
    public Builder qualityFor(Duration value) {
      qualityFor = forDuration("alerting.quality.for", value);
      return this;
    }

    /**
     * {@code alerting.satisfaction.threshold}: satisfaction below which it holds; 0.6. Zero turns
     * the rule into one that never holds.
     */
    public Builder satisfactionThreshold(double value) {
      satisfactionThreshold = fraction("alerting.satisfaction.threshold", value, 0, 1);
      return this;
    }

    /** {@code alerting.satisfaction.for}: how long before firing; default 15 min. */
    public Builder satisfactionFor(Duration value) {
      satisfactionFor = forDuration("alerting.satisfaction.for", value);
      return this;
    }

    /**
     * {@code alerting.no-requests.window}: silence that makes the rule hold, 30 s to 24 h; default
     * 10 min.
     */
    public Builder noRequestsWindow(Duration value) {
      noRequestsWindow = window("alerting.no-requests.window", value, Duration.ofHours(24));
      return this;
    }

    /** {@code alerting.no-requests.for}: how long before firing; default 10 min. */
    public Builder noRequestsFor(Duration value) {
      noRequestsFor = forDuration("alerting.no-requests.for", value);
      return this;
    }

    /**
     * {@code alerting.drift.for}: how long a signal's drift status must hold before its drift rule
     * fires; default 5 min.
     */
    public Builder driftFor(Duration value) {
      driftFor = forDuration("alerting.drift.for", value);
      return this;
    }

    /** Sets every rule's {@code for} duration, as the rules generator's override does. */
    public Builder allFor(Duration value) {
      return latencyFor(value)
          .errorRateFor(value)
          .modelDownFor(value)
          .qualityFor(value)
          .satisfactionFor(value)
          .noRequestsFor(value)
          .driftFor(value);
    }

    /** {@code alerting.disabled}: rule names that are neither evaluated nor generated. */
    public Builder disable(String ruleName) {
      disabledRules.add(Objects.requireNonNull(ruleName));
      return this;
    }

    /** {@code alerting.labels}: a label added to every alert, such as {@code team=search}. */
    public Builder label(String name, String value) {
      if (!name.matches("[a-zA-Z_][a-zA-Z0-9_]*")
          || name.startsWith("__")
          || name.equals("alertname")
          || name.equals("severity")) {
        throw new IllegalArgumentException(
            "alerting.labels: " + name + ": a label name other than alertname and severity");
      }
      labels.put(name, Objects.requireNonNull(value));
      return this;
    }

    /** {@code alerting.instance}: the {@code instance} label of the agent's alerts; host name. */
    public Builder instance(String value) {
      instance = value;
      return this;
    }

    public AlertSettings build() {
      return new AlertSettings(this);
    }

    /** {@code value} if it is from {@code min} to {@code max}; NaN is not. */
    private static double fraction(String key, double value, double min, double max) {
      if (!(value >= min && value <= max)) {
        throw new IllegalArgumentException(key + "=" + value + ": from " + min + " to " + max);
      }
      return value;
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

    /**
     * A window is at least 30 s: the agent counts calls in 10-second buckets, so a shorter window
     * would be one or two buckets and vary by half its length; and Prometheus's {@code rate()}
     * needs two samples in it, which a common 15 s scrape interval gives from 30 s on.
     */
    private static Duration window(String key, Duration value, Duration max) {
      return within(key, value, MIN_WINDOW, max);
    }

    private static Duration forDuration(String key, Duration value) {
      return within(key, value, Duration.ZERO, Duration.ofHours(24));
    }
  }
}
