package dev.taskmaster.agent;

import dev.taskmaster.agent.alerting.AlertSettings;
import dev.taskmaster.agent.alerting.HealthSettings;
import dev.taskmaster.agent.alerting.NotifierSettings;
import dev.taskmaster.agent.config.AgentConfig;
import dev.taskmaster.agent.config.ConfigKeys;
import dev.taskmaster.agent.drift.DriftMethod;
import dev.taskmaster.agent.drift.DriftSettings;
import dev.taskmaster.agent.drift.DriftSignal;
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
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Turns the configuration into the settings objects of the log, alerting and health components.
 * Values the components reject are reported once, naming the key, and left at their defaults.
 */
final class ComponentSettings {

  private ComponentSettings() {}

  static LogSettings log(AgentConfig config) {
    LogSettings.Builder builder =
        LogSettings.builder()
            .destination(
                LogSettings.Destination.valueOf(
                    config.get(ConfigKeys.LOG_DESTINATION).toUpperCase(Locale.ROOT)))
            .file(Path.of(config.get(ConfigKeys.LOG_FILE)))
            .maxBytes(config.get(ConfigKeys.LOG_FILE_MAX_BYTES))
            .keep(config.get(ConfigKeys.LOG_FILE_KEEP))
            .queueCapacity(config.get(ConfigKeys.LOG_QUEUE_CAPACITY))
            .shutdownTimeout(config.get(ConfigKeys.LOG_SHUTDOWN_TIMEOUT))
            .serviceName(config.serviceName())
            .captureContent(config.get(ConfigKeys.CAPTURE_CONTENT))
            .captureMaxChars(config.get(ConfigKeys.CAPTURE_MAX_CHARS))
            .defaultRedactions(config.get(ConfigKeys.CAPTURE_REDACT_DEFAULTS));
    List<Pattern> patterns = new ArrayList<>();
    for (String regex : config.get(ConfigKeys.CAPTURE_REDACT)) {
      try {
        patterns.add(Pattern.compile(regex));
      } catch (PatternSyntaxException bad) {
        warn(ConfigKeys.CAPTURE_REDACT.name(), regex, "a Java regular expression");
      }
    }
    return builder.redact(patterns).build();
  }

  static AlertSettings alerts(AgentConfig config) {
    AlertSettings.Builder builder =
        AlertSettings.builder()
            .enabled(config.get(ConfigKeys.ALERTING_ENABLED))
            .interval(config.get(ConfigKeys.ALERTING_INTERVAL))
            .latencyQuantile(config.get(ConfigKeys.ALERTING_LATENCY_QUANTILE))
            .latencyThreshold(config.get(ConfigKeys.ALERTING_LATENCY_THRESHOLD))
            .latencyWindow(config.get(ConfigKeys.ALERTING_LATENCY_WINDOW))
            .latencyFor(config.get(ConfigKeys.ALERTING_LATENCY_FOR))
            .errorRateThreshold(config.get(ConfigKeys.ALERTING_ERROR_RATE_THRESHOLD))
            .errorRateWindow(config.get(ConfigKeys.ALERTING_ERROR_RATE_WINDOW))
            .errorRateFor(config.get(ConfigKeys.ALERTING_ERROR_RATE_FOR))
            .modelDownFor(config.get(ConfigKeys.ALERTING_MODEL_DOWN_FOR))
            .qualityThreshold(config.get(ConfigKeys.ALERTING_QUALITY_THRESHOLD))
            .qualityFor(config.get(ConfigKeys.ALERTING_QUALITY_FOR))
            .satisfactionThreshold(config.get(ConfigKeys.ALERTING_SATISFACTION_THRESHOLD))
            .satisfactionFor(config.get(ConfigKeys.ALERTING_SATISFACTION_FOR))
            .noRequestsWindow(config.get(ConfigKeys.ALERTING_NO_REQUESTS_WINDOW))
            .noRequestsFor(config.get(ConfigKeys.ALERTING_NO_REQUESTS_FOR))
            .instance(config.get(ConfigKeys.ALERTING_INSTANCE));
    for (String rule : config.get(ConfigKeys.ALERTING_DISABLED)) {
      builder.disable(rule);
    }
    for (Map.Entry<String, String> label :
        pairs(ConfigKeys.ALERTING_LABELS.name(), config.get(ConfigKeys.ALERTING_LABELS))
            .entrySet()) {
      try {
        builder.label(label.getKey(), label.getValue());
      } catch (IllegalArgumentException bad) {
        warn(
            ConfigKeys.ALERTING_LABELS.name(),
            label.getKey(),
            "a Prometheus label name other than alertname and severity");
      }
    }
    return builder.build();
  }

  static NotifierSettings notifiers(AgentConfig config) {
    NotifierSettings.Builder builder =
        NotifierSettings.builder()
            .resendInterval(config.get(ConfigKeys.ALERTING_ALERTMANAGER_RESEND_INTERVAL))
            .timeout(config.get(ConfigKeys.ALERTING_NOTIFY_TIMEOUT))
            .retries(config.get(ConfigKeys.ALERTING_NOTIFY_RETRIES))
            .backoff(config.get(ConfigKeys.ALERTING_NOTIFY_BACKOFF))
            .queueCapacity(config.get(ConfigKeys.ALERTING_NOTIFY_QUEUE))
            .webhookHeaders(
                pairs(
                    ConfigKeys.ALERTING_WEBHOOK_HEADERS.name(),
                    config.get(ConfigKeys.ALERTING_WEBHOOK_HEADERS)))
            .alertmanagerHeaders(
                pairs(
                    ConfigKeys.ALERTING_ALERTMANAGER_HEADERS.name(),
                    config.get(ConfigKeys.ALERTING_ALERTMANAGER_HEADERS)));
    URI webhook =
        uri(ConfigKeys.ALERTING_WEBHOOK_URL.name(), config.get(ConfigKeys.ALERTING_WEBHOOK_URL));
    if (webhook != null) {
      builder.webhook(webhook);
    }
    // The Slack URL is itself a secret: a bad one is reported without its value.
    String slack = config.get(ConfigKeys.ALERTING_SLACK_URL);
    if (slack != null) {
      URI slackUri = uri(ConfigKeys.ALERTING_SLACK_URL.name(), slack, false);
      if (slackUri != null) {
        builder.slack(slackUri);
      }
    }
    List<URI> alertmanagers = new ArrayList<>();
    for (String url : config.get(ConfigKeys.ALERTING_ALERTMANAGER_URL)) {
      URI parsed = uri(ConfigKeys.ALERTING_ALERTMANAGER_URL.name(), url);
      if (parsed != null) {
        alertmanagers.add(parsed);
      }
    }
    return builder.alertmanager(alertmanagers).build();
  }

  static QualitySettings quality(AgentConfig config) {
    List<String> phrases = new ArrayList<>(QualitySettings.DEFAULT_REFUSAL_PHRASES);
    phrases.addAll(config.get(ConfigKeys.QUALITY_REFUSAL_PHRASES));
    return QualitySettings.builder()
        .refusalPhrases(phrases)
        .window(config.get(ConfigKeys.QUALITY_WINDOW))
        .build();
  }

  static DriftSettings drift(AgentConfig config) {
    DriftSettings.Builder builder =
        DriftSettings.builder()
            .method(
                "deviation".equals(config.get(ConfigKeys.DRIFT_METHOD))
                    ? DriftMethod.DEVIATION
                    : DriftMethod.SEQUENTIAL)
            .warmup(config.get(ConfigKeys.DRIFT_WARMUP))
            .rateWarmup(config.get(ConfigKeys.DRIFT_RATE_WARMUP))
            .baselineFile(config.get(ConfigKeys.DRIFT_BASELINE_FILE))
            .relearnOnStart(config.get(ConfigKeys.DRIFT_RELEARN));
    for (Map.Entry<String, String> entry : config.rawValues().entrySet()) {
      String key = entry.getKey();
      if (key.startsWith(ConfigKeys.DRIFT_BASELINE_PREFIX) && ConfigKeys.find(key) == null) {
        baseline(builder, key, entry.getValue());
      }
    }
    return builder.build();
  }

  /** Applies one {@code drift.baseline.<signal>=value}, or reports it and leaves it out. */
  private static void baseline(DriftSettings.Builder builder, String key, String value) {
    String label = key.substring(ConfigKeys.DRIFT_BASELINE_PREFIX.length());
    DriftSignal signal = DriftSignal.forLabel(label);
    if (signal == null) {
      List<String> labels = new ArrayList<>();
      for (DriftSignal known : DriftSignal.values()) {
        labels.add(known.label());
      }
      warn(key, value, "a key drift.baseline.<signal> with a signal of " + labels);
      return;
    }
    try {
      builder.baseline(signal, Double.parseDouble(value.trim()));
    } catch (IllegalArgumentException bad) {
      warn(
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

  /** The health probe's settings, or {@code null} when no {@code health.url} is set. */
  static HealthSettings health(AgentConfig config) {
    URI url = uri(ConfigKeys.HEALTH_URL.name(), config.get(ConfigKeys.HEALTH_URL));
    if (url == null) {
      return null;
    }
    return HealthSettings.builder()
        .url(url)
        .interval(config.get(ConfigKeys.HEALTH_INTERVAL))
        .timeout(config.get(ConfigKeys.HEALTH_TIMEOUT))
        .headers(pairs(ConfigKeys.HEALTH_HEADERS.name(), config.get(ConfigKeys.HEALTH_HEADERS)))
        .model(config.get(ConfigKeys.HEALTH_MODEL))
        .build();
  }

  private static URI uri(String key, String value) {
    return uri(key, value, true);
  }

  private static URI uri(String key, String value, boolean quoteValue) {
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
    warn(key, quoteValue ? shownUrl(value) : "(hidden)", "an http:// or https:// URL with a host");
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
  private static Map<String, String> pairs(String key, List<String> items) {
    Map<String, String> pairs = new LinkedHashMap<>();
    for (String item : items) {
      int colon = item.indexOf(':');
      if (colon <= 0) {
        warn(key, shownItem(item), "items name:value");
        continue;
      }
      pairs.put(item.substring(0, colon).trim(), item.substring(colon + 1).trim());
    }
    return pairs;
  }

  private static void warn(String key, String value, String accepted) {
    AgentLog.warn(key + "=\"" + value + "\" is not accepted: expected " + accepted + "; ignored");
  }
}
