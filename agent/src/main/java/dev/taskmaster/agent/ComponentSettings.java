package dev.taskmaster.agent;

import dev.taskmaster.agent.alerting.AlertSettings;
import dev.taskmaster.agent.alerting.HealthSettings;
import dev.taskmaster.agent.alerting.NotifierSettings;
import dev.taskmaster.agent.alerting.TaskMasterRules;
import dev.taskmaster.agent.config.AgentConfig;
import dev.taskmaster.agent.config.ConfigKeys;
import dev.taskmaster.agent.config.Setting;
import dev.taskmaster.agent.drift.DriftMethod;
import dev.taskmaster.agent.drift.DriftSettings;
import dev.taskmaster.agent.drift.DriftSignal;
import dev.taskmaster.agent.drift.DriftStatus;
import dev.taskmaster.agent.feedback.FeedbackSettings;
import dev.taskmaster.agent.logging.LogSettings;
import dev.taskmaster.agent.quality.QualitySettings;
import dev.taskmaster.agent.util.AgentLog;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Turns the configuration into the settings objects of the log, alerting, health, quality, drift
 * and feedback components. A value a component rejects is reported once, naming the key, the value
 * and what is accepted, and left at its default; nothing here throws. The key's range in {@link
 * ConfigKeys} and the component's own check are meant to agree ({@code ComponentSettingsTest} feeds
 * every key's edges through), so such a report points at a bug.
 *
 * <p>Every method reports through {@link AgentLog#warn}, or through the given {@code problems}; a
 * command that collects them and stops (the {@code rules} command) wraps its own in {@link
 * #stopping}, so that they do not say what the agent would use instead.
 */
final class ComponentSettings {

  private ComponentSettings() {}

  /** Problems for a command that stops on them: worded without "ignored" or "using the default". */
  static Consumer<String> stopping(Consumer<String> problems) {
    return new Stopping(problems);
  }

  private static final class Stopping implements Consumer<String> {
    private final Consumer<String> problems;

    Stopping(Consumer<String> problems) {
      this.problems = problems;
    }

    @Override
    public void accept(String problem) {
      problems.accept(problem);
    }
  }

  static LogSettings log(AgentConfig config) {
    return log(config, AgentLog::warn);
  }

  static LogSettings log(AgentConfig config, Consumer<String> problems) {
    LogSettings.Builder builder =
        LogSettings.builder()
            .destination(
                LogSettings.Destination.valueOf(
                    config.get(ConfigKeys.LOG_DESTINATION).toUpperCase(Locale.ROOT)))
            .file(Path.of(config.get(ConfigKeys.LOG_FILE)))
            .serviceName(config.serviceName())
            .captureContent(config.get(ConfigKeys.CAPTURE_CONTENT))
            .defaultRedactions(config.get(ConfigKeys.CAPTURE_REDACT_DEFAULTS));
    set(problems, config, ConfigKeys.LOG_FILE_MAX_BYTES, builder::maxBytes);
    set(problems, config, ConfigKeys.LOG_FILE_KEEP, builder::keep);
    set(problems, config, ConfigKeys.LOG_QUEUE_CAPACITY, builder::queueCapacity);
    set(problems, config, ConfigKeys.LOG_SHUTDOWN_TIMEOUT, builder::shutdownTimeout);
    set(problems, config, ConfigKeys.CAPTURE_MAX_CHARS, builder::captureMaxChars);
    List<Pattern> patterns = new ArrayList<>();
    for (String regex : config.get(ConfigKeys.CAPTURE_REDACT)) {
      try {
        patterns.add(Pattern.compile(regex));
      } catch (PatternSyntaxException bad) {
        warn(problems, ConfigKeys.CAPTURE_REDACT.name(), regex, "a Java regular expression");
      }
    }
    return builder.redact(patterns).build();
  }

  static AlertSettings alerts(AgentConfig config) {
    return alerts(config, AgentLog::warn);
  }

  static AlertSettings alerts(AgentConfig config, Consumer<String> problems) {
    AlertSettings.Builder builder =
        AlertSettings.builder()
            .enabled(config.get(ConfigKeys.ALERTING_ENABLED))
            .instance(config.get(ConfigKeys.ALERTING_INSTANCE));
    set(problems, config, ConfigKeys.ALERTING_INTERVAL, builder::interval);
    set(problems, config, ConfigKeys.ALERTING_LATENCY_QUANTILE, builder::latencyQuantile);
    set(problems, config, ConfigKeys.ALERTING_LATENCY_THRESHOLD, builder::latencyThreshold);
    set(problems, config, ConfigKeys.ALERTING_LATENCY_WINDOW, builder::latencyWindow);
    set(problems, config, ConfigKeys.ALERTING_LATENCY_FOR, builder::latencyFor);
    set(problems, config, ConfigKeys.ALERTING_ERROR_RATE_THRESHOLD, builder::errorRateThreshold);
    set(problems, config, ConfigKeys.ALERTING_ERROR_RATE_WINDOW, builder::errorRateWindow);
    set(problems, config, ConfigKeys.ALERTING_ERROR_RATE_FOR, builder::errorRateFor);
    set(problems, config, ConfigKeys.ALERTING_MODEL_DOWN_FOR, builder::modelDownFor);
    set(problems, config, ConfigKeys.ALERTING_QUALITY_THRESHOLD, builder::qualityThreshold);
    set(problems, config, ConfigKeys.ALERTING_QUALITY_FOR, builder::qualityFor);
    set(
        problems,
        config,
        ConfigKeys.ALERTING_SATISFACTION_THRESHOLD,
        builder::satisfactionThreshold);
    set(problems, config, ConfigKeys.ALERTING_SATISFACTION_FOR, builder::satisfactionFor);
    set(problems, config, ConfigKeys.ALERTING_NO_REQUESTS_WINDOW, builder::noRequestsWindow);
    set(problems, config, ConfigKeys.ALERTING_NO_REQUESTS_FOR, builder::noRequestsFor);
    set(problems, config, ConfigKeys.ALERTING_DRIFT_FOR, builder::driftFor);
    List<String> rules = TaskMasterRules.names();
    for (String rule : config.get(ConfigKeys.ALERTING_DISABLED)) {
      if (rules.contains(rule)) {
        builder.disable(rule);
      } else {
        // A misspelt name would leave the rule on without a word.
        warn(
            problems,
            ConfigKeys.ALERTING_DISABLED.name(),
            rule,
            "rule names: "
                + String.join(
                    ", ",
                    rules.stream()
                        .filter(name -> !name.startsWith(TaskMasterRules.DRIFT_PREFIX))
                        .toList())
                + ", or TaskMasterDrift<Signal> and TaskMasterDrift<Signal>Critical, such as "
                + TaskMasterRules.driftRuleName(DriftSignal.LATENCY, DriftStatus.WARNING)
                + " or "
                + TaskMasterRules.driftRuleName(DriftSignal.REFUSAL_RATE, DriftStatus.CRITICAL));
      }
    }
    for (Map.Entry<String, String> label :
        pairs(problems, ConfigKeys.ALERTING_LABELS.name(), config.get(ConfigKeys.ALERTING_LABELS))
            .entrySet()) {
      try {
        builder.label(label.getKey(), label.getValue());
      } catch (IllegalArgumentException bad) {
        warn(
            problems,
            ConfigKeys.ALERTING_LABELS.name(),
            label.getKey(),
            "a Prometheus label name other than alertname and severity");
      }
    }
    return builder.build();
  }

  static NotifierSettings notifiers(AgentConfig config) {
    return notifiers(config, AgentLog::warn);
  }

  static NotifierSettings notifiers(AgentConfig config, Consumer<String> problems) {
    NotifierSettings.Builder builder =
        NotifierSettings.builder()
            .webhookHeaders(
                pairs(
                    problems,
                    ConfigKeys.ALERTING_WEBHOOK_HEADERS.name(),
                    config.get(ConfigKeys.ALERTING_WEBHOOK_HEADERS)))
            .alertmanagerHeaders(
                pairs(
                    problems,
                    ConfigKeys.ALERTING_ALERTMANAGER_HEADERS.name(),
                    config.get(ConfigKeys.ALERTING_ALERTMANAGER_HEADERS)));
    set(
        problems,
        config,
        ConfigKeys.ALERTING_ALERTMANAGER_RESEND_INTERVAL,
        builder::resendInterval);
    set(problems, config, ConfigKeys.ALERTING_NOTIFY_TIMEOUT, builder::timeout);
    set(problems, config, ConfigKeys.ALERTING_NOTIFY_RETRIES, builder::retries);
    set(problems, config, ConfigKeys.ALERTING_NOTIFY_BACKOFF, builder::backoff);
    set(problems, config, ConfigKeys.ALERTING_NOTIFY_QUEUE, builder::queueCapacity);
    URI webhook =
        uri(
            problems,
            ConfigKeys.ALERTING_WEBHOOK_URL.name(),
            config.get(ConfigKeys.ALERTING_WEBHOOK_URL),
            true);
    if (webhook != null) {
      builder.webhook(webhook);
    }
    // The Slack URL is itself a secret: a bad one is reported without its value.
    String slack = config.get(ConfigKeys.ALERTING_SLACK_URL);
    if (slack != null) {
      URI slackUri = uri(problems, ConfigKeys.ALERTING_SLACK_URL.name(), slack, false);
      if (slackUri != null) {
        builder.slack(slackUri);
      }
    }
    List<URI> alertmanagers = new ArrayList<>();
    for (String url : config.get(ConfigKeys.ALERTING_ALERTMANAGER_URL)) {
      URI parsed = uri(problems, ConfigKeys.ALERTING_ALERTMANAGER_URL.name(), url, true);
      if (parsed != null) {
        alertmanagers.add(parsed);
      }
    }
    return builder.alertmanager(alertmanagers).build();
  }

  static QualitySettings quality(AgentConfig config) {
    return quality(config, AgentLog::warn);
  }

  static QualitySettings quality(AgentConfig config, Consumer<String> problems) {
    List<String> phrases = new ArrayList<>(QualitySettings.DEFAULT_REFUSAL_PHRASES);
    phrases.addAll(config.get(ConfigKeys.QUALITY_REFUSAL_PHRASES));
    QualitySettings.Builder builder = QualitySettings.builder().refusalPhrases(phrases);
    set(problems, config, ConfigKeys.QUALITY_WINDOW, builder::window);
    return builder.build();
  }

  static DriftSettings drift(AgentConfig config) {
    return drift(config, AgentLog::warn);
  }

  static DriftSettings drift(AgentConfig config, Consumer<String> problems) {
    DriftSettings.Builder builder =
        DriftSettings.builder()
            .method(
                "deviation".equals(config.get(ConfigKeys.DRIFT_METHOD))
                    ? DriftMethod.DEVIATION
                    : DriftMethod.SEQUENTIAL)
            .baselineFile(config.get(ConfigKeys.DRIFT_BASELINE_FILE))
            .relearnOnStart(config.get(ConfigKeys.DRIFT_RELEARN));
    set(problems, config, ConfigKeys.DRIFT_WARMUP, builder::warmup);
    set(problems, config, ConfigKeys.DRIFT_RATE_WARMUP, builder::rateWarmup);
    for (Map.Entry<String, String> entry : config.rawValues().entrySet()) {
      String key = entry.getKey();
      if (key.startsWith(ConfigKeys.DRIFT_BASELINE_PREFIX) && ConfigKeys.find(key) == null) {
        baseline(problems, builder, key, entry.getValue());
      }
    }
    return builder.build();
  }

  /** Applies one {@code drift.baseline.<signal>=value}, or reports it and leaves it out. */
  private static void baseline(
      Consumer<String> problems, DriftSettings.Builder builder, String key, String value) {
    String label = key.substring(ConfigKeys.DRIFT_BASELINE_PREFIX.length());
    DriftSignal signal = DriftSignal.forLabel(label);
    if (signal == null) {
      List<String> labels = new ArrayList<>();
      for (DriftSignal known : DriftSignal.values()) {
        labels.add(known.label());
      }
      warn(problems, key, value, "a key drift.baseline.<signal> with a signal of " + labels);
      return;
    }
    try {
      builder.baseline(signal, Double.parseDouble(value.trim()));
    } catch (IllegalArgumentException bad) {
      warn(
          problems,
          key,
          value,
          signal.isRate()
              ? "a rate from 0 to 1, e.g. 0.01 for 1 %"
              : "a number >= 0, in " + unitsOf(signal));
    }
  }

  private static String unitsOf(DriftSignal signal) {
    switch (signal.scale()) {
      case LOG:
        return "seconds";
      case LOG_COUNT:
        return signal == DriftSignal.OUTPUT_TOKENS ? "tokens" : "characters";
      default:
        return "score units from 0 to 1";
    }
  }

  static FeedbackSettings feedback(AgentConfig config) {
    return feedback(config, AgentLog::warn);
  }

  static FeedbackSettings feedback(AgentConfig config, Consumer<String> problems) {
    FeedbackSettings.Builder builder =
        FeedbackSettings.builder().token(config.get(ConfigKeys.FEEDBACK_TOKEN));
    set(problems, config, ConfigKeys.FEEDBACK_MAX_CALLS, builder::maxCalls);
    set(problems, config, ConfigKeys.FEEDBACK_MAX_AGE, builder::maxAge);
    set(problems, config, ConfigKeys.FEEDBACK_WINDOW, builder::window);
    set(problems, config, ConfigKeys.FEEDBACK_MIN_COUNT, builder::minCount);
    return builder.build();
  }

  /** The health probe's settings, or {@code null} when no {@code health.url} is set. */
  static HealthSettings health(AgentConfig config) {
    return health(config, AgentLog::warn);
  }

  static HealthSettings health(AgentConfig config, Consumer<String> problems) {
    URI url = uri(problems, ConfigKeys.HEALTH_URL.name(), config.get(ConfigKeys.HEALTH_URL), true);
    if (url == null) {
      return null;
    }
    HealthSettings.Builder builder =
        HealthSettings.builder()
            .url(url)
            .headers(
                pairs(
                    problems,
                    ConfigKeys.HEALTH_HEADERS.name(),
                    config.get(ConfigKeys.HEALTH_HEADERS)))
            .model(config.get(ConfigKeys.HEALTH_MODEL));
    set(problems, config, ConfigKeys.HEALTH_INTERVAL, builder::interval);
    set(problems, config, ConfigKeys.HEALTH_TIMEOUT, builder::timeout);
    return builder.build();
  }

  /**
   * Hands a key's value to a component's setter; a value the setter rejects is reported and the
   * component keeps its default.
   */
  private static <T> void set(
      Consumer<String> problems, AgentConfig config, Setting<T> key, Consumer<T> setter) {
    T value = config.get(key);
    if (value == null) {
      return;
    }
    try {
      setter.accept(value);
    } catch (IllegalArgumentException rejected) {
      problems.accept(
          key.name()
              + "="
              + key.format(value)
              + " is not accepted ("
              + rejected.getMessage()
              + ")"
              + (problems instanceof Stopping
                  ? ""
                  : "; using the default " + key.format(key.defaultValue())));
    }
  }

  private static URI uri(Consumer<String> problems, String key, String value, boolean quoteValue) {
    if (value == null || value.isBlank()) {
      return null;
    }
    try {
      URI uri = new URI(value.trim());
      String scheme = uri.getScheme();
      if (uri.getHost() != null && ("http".equals(scheme) || "https".equals(scheme))) {
        return uri;
      }
    } catch (Exception unparsable) {
      // Reported below.
    }
    warn(
        problems,
        key,
        quoteValue ? shownUrl(value) : "(hidden)",
        "an http:// or https:// URL with a host");
    return null;
  }

  /**
   * A URL for a warning without the parts that may hold a credential: the user information and
   * everything from the query or fragment on ({@code ?key=...} is how some providers take an API
   * key).
   */
  static String shownUrl(String value) {
    String shown = value.trim().replaceFirst("^([^/?#]*//)[^/?#]*@", "$1...@");
    int query = indexOfAny(shown, '?', '#');
    return query < 0 ? shown : shown.substring(0, query) + shown.charAt(query) + "...";
  }

  /**
   * A {@code name:value} item without its colon, for a warning: only its first word, which is meant
   * to be a header name; the rest may be a credential ({@code X-Api-Key abc...}).
   */
  static String shownItem(String item) {
    String trimmed = item.trim();
    int space = indexOfAny(trimmed, ' ', '\t', '=');
    return space < 0 ? trimmed : trimmed.substring(0, space) + " ...";
  }

  private static int indexOfAny(String text, char... wanted) {
    for (int i = 0; i < text.length(); i++) {
      for (char c : wanted) {
        if (text.charAt(i) == c) {
          return i;
        }
      }
    }
    return -1;
  }

  /** Reads {@code name:value} items (a header may also use {@code name: value}). */
  private static Map<String, String> pairs(
      Consumer<String> problems, String key, List<String> items) {
    Map<String, String> pairs = new LinkedHashMap<>();
    for (String item : items) {
      int colon = item.indexOf(':');
      if (colon <= 0) {
        warn(problems, key, shownItem(item), "items name:value");
        continue;
      }
      pairs.put(item.substring(0, colon).trim(), item.substring(colon + 1).trim());
    }
    return pairs;
  }

  private static void warn(Consumer<String> problems, String key, String value, String accepted) {
    problems.accept(
        key
            + "=\""
            + value
            + "\" is not accepted: expected "
            + accepted
            + (problems instanceof Stopping ? "" : "; ignored"));
  }
}
