package dev.taskmaster.agent.alerting;

import dev.taskmaster.agent.drift.DriftSignal;
import dev.taskmaster.agent.drift.DriftStatus;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.DoublePredicate;
import java.util.function.DoubleSupplier;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;

/**
 * The product's alert rules, defined once for both the agent's engine and the generated Prometheus
 * rules, with thresholds and durations from {@link AlertSettings}: six rules over calls, quality,
 * model health and feedback, and two per {@link DriftSignal} over the drift detector's state.
 *
 * <p>The Prometheus expressions aggregate away the agent's own labels ({@code endpoint}, {@code
 * model}, {@code status}) and keep the target's ({@code job}, {@code instance}): one alert per
 * monitored JVM, as the agent's engine sees it. {@code TaskMasterModelDown}, {@code
 * TaskMasterQualityDrift} and {@code TaskMasterLowSatisfaction} keep the labels of their gauges.
 *
 * <p>Drift rules: {@code TaskMasterDrift<Signal>} (warning) holds while {@code
 * taskmaster_drift_status{signal}} is 1 or 2, and {@code TaskMasterDrift<Signal>Critical}
 * (critical) while it is 2, each for {@code alerting.drift.for}; a learning signal (-1) holds
 * neither. Two rules with fixed severities rather than one with a severity taken from the status: a
 * label that changes makes a new alert in Prometheus, whose {@code for} would start again at the
 * escalation, and each rule keeps one {@code taskmaster_alert_state{alertname,severity}} series. A
 * critical drift so fires both; Alertmanager's inhibition can hide the warning. Their value is the
 * drift score ({@code taskmaster_drift_score}, 1 is the critical threshold).
 */
public final class TaskMasterRules {

  public static final String HIGH_LATENCY = "TaskMasterHighLatency";
  public static final String HIGH_ERROR_RATE = "TaskMasterHighErrorRate";
  public static final String MODEL_DOWN = "TaskMasterModelDown";
  public static final String QUALITY_DRIFT = "TaskMasterQualityDrift";
  public static final String NO_REQUESTS = "TaskMasterNoRequests";
  public static final String LOW_SATISFACTION = "TaskMasterLowSatisfaction";

  /** The start of every drift rule's name, followed by the signal in camel case. */
  public static final String DRIFT_PREFIX = "TaskMasterDrift";

  /** The end of the name of a signal's critical drift rule. */
  public static final String CRITICAL_SUFFIX = "Critical";

  private TaskMasterRules() {}

  /**
   * The enabled rules' definitions, in a fixed order: the six product rules, then two drift rules
   * per signal (warning, critical) in the order of {@link DriftSignal}.
   *
   * @param prefix metric name prefix, without a trailing underscore
   */
  public static List<AlertRule> definitions(AlertSettings settings, String prefix) {
    List<AlertRule> rules = productDefinitions(settings, prefix);
    rules.addAll(driftDefinitions(settings, prefix));
    return rules;
  }

  /** The six product rules that are enabled, without the drift rules. */
  static List<AlertRule> productDefinitions(AlertSettings settings, String prefix) {
    return enabled(
        settings,
        List.of(
            highLatency(settings, prefix),
            highErrorRate(settings, prefix),
            modelDown(settings, prefix),
            qualityDrift(settings, prefix),
            noRequests(settings, prefix),
            lowSatisfaction(settings, prefix)));
  }

  /** The enabled drift rules, warning then critical for each signal. */
  static List<AlertRule> driftDefinitions(AlertSettings settings, String prefix) {
    List<AlertRule> rules = new ArrayList<>();
    for (DriftSignal signal : DriftSignal.values()) {
      rules.add(drift(settings, prefix, signal, DriftStatus.WARNING));
      rules.add(drift(settings, prefix, signal, DriftStatus.CRITICAL));
    }
    return enabled(settings, rules);
  }

  /**
   * Every rule's name, enabled or not, in the order of {@link #definitions}: what {@code
   * alerting.disabled} accepts.
   */
  public static List<String> names() {
    List<String> names =
        new ArrayList<>(
            List.of(
                HIGH_LATENCY,
                HIGH_ERROR_RATE,
                MODEL_DOWN,
                QUALITY_DRIFT,
                NO_REQUESTS,
                LOW_SATISFACTION));
    for (DriftSignal signal : DriftSignal.values()) {
      names.add(driftRuleName(signal, DriftStatus.WARNING));
      names.add(driftRuleName(signal, DriftStatus.CRITICAL));
    }
    return names;
  }

  /**
   * The name of a signal's drift rule: {@code TaskMasterDriftRefusalRate} for the warning, {@code
   * TaskMasterDriftRefusalRateCritical} for the critical one.
   *
   * @param status {@link DriftStatus#WARNING} or {@link DriftStatus#CRITICAL}
   */
  public static String driftRuleName(DriftSignal signal, DriftStatus status) {
    StringBuilder name = new StringBuilder(DRIFT_PREFIX);
    for (String word : signal.label().split("_")) {
      name.append(Character.toUpperCase(word.charAt(0))).append(word.substring(1));
    }
    return status == DriftStatus.CRITICAL
        ? name.append(CRITICAL_SUFFIX).toString()
        : name.toString();
  }

  private static List<AlertRule> enabled(AlertSettings settings, List<AlertRule> all) {
    List<AlertRule> rules = new ArrayList<>();
    for (AlertRule rule : all) {
      if (!settings.disabledRules().contains(rule.name())) {
        rules.add(withLabels(rule, settings.labels()));
      }
    }
    return rules;
  }

  /**
   * Registers the enabled rules with their conditions over the agent's data.
   *
   * @param window recent calls, kept for at least {@link AlertSettings#longestWindow()}
   * @param availability the health probe's and the calls' view of the model
   * @param qualityScore the current quality score from 0 to 1, or NaN while there is none
   */
  public static void register(
      AlertEngine engine,
      AlertSettings settings,
      String prefix,
      CallWindow window,
      ModelAvailability availability,
      DoubleSupplier qualityScore) {
    register(engine, settings, prefix, window, availability, qualityScore, () -> Double.NaN);
  }

  /**
   * Registers the enabled rules, {@code TaskMasterLowSatisfaction} with the users' satisfaction.
   *
   * @param satisfaction the lowest satisfaction (mean feedback score, 0 to 1) of any endpoint and
   *     model with enough feedback, or NaN while there is none
   */
  public static void register(
      AlertEngine engine,
      AlertSettings settings,
      String prefix,
      CallWindow window,
      ModelAvailability availability,
      DoubleSupplier qualityScore,
      DoubleSupplier satisfaction) {
    for (AlertRule rule : productDefinitions(settings, prefix)) {
      engine.register(
          rule, condition(rule.name(), settings, window, availability, qualityScore, satisfaction));
    }
  }

  /**
   * Registers the enabled drift rules, evaluated from the drift detector's state: a signal's
   * warning rule holds at status 1 or 2, its critical rule at 2, never while it learns (-1).
   *
   * @param status the current status of a signal
   * @param score the current drift score of a signal (1 is the critical threshold), the alert's
   *     value
   */
  public static void registerDrift(
      AlertEngine engine,
      AlertSettings settings,
      String prefix,
      Function<DriftSignal, DriftStatus> status,
      ToDoubleFunction<DriftSignal> score) {
    for (DriftSignal signal : DriftSignal.values()) {
      for (DriftStatus level : List.of(DriftStatus.WARNING, DriftStatus.CRITICAL)) {
        String name = driftRuleName(signal, level);
        if (settings.disabledRules().contains(name)) {
          continue;
        }
        engine.register(
            withLabels(drift(settings, prefix, signal, level), settings.labels()),
            now -> {
              DriftStatus current = status.apply(signal);
              if (current == null || current == DriftStatus.LEARNING) {
                return AlertCondition.Result.noData();
              }
              return AlertCondition.Result.of(
                  current.value() >= level.value(), score.applyAsDouble(signal));
            });
      }
    }
  }

  private static AlertCondition condition(
      String name,
      AlertSettings settings,
      CallWindow window,
      ModelAvailability availability,
      DoubleSupplier qualityScore,
      DoubleSupplier satisfaction) {
    switch (name) {
      case HIGH_LATENCY:
        double threshold = settings.latencyThreshold().toNanos() / 1e9;
        return measured(
            now ->
                window
                    .summary(now.toEpochMilli(), settings.latencyWindow())
                    .quantile(settings.latencyQuantile()),
            latency -> latency > threshold);
      case HIGH_ERROR_RATE:
        return measured(
            now -> window.summary(now.toEpochMilli(), settings.errorRateWindow()).errorRatio(),
            ratio -> ratio > settings.errorRateThreshold());
      case MODEL_DOWN:
        return now -> AlertCondition.Result.of(availability.down(), availability.down() ? 0 : 1);
      case QUALITY_DRIFT:
        return measured(
            now -> qualityScore.getAsDouble(), score -> score < settings.qualityThreshold());
      case LOW_SATISFACTION:
        return measured(
            now -> satisfaction.getAsDouble(), mean -> mean < settings.satisfactionThreshold());
      case NO_REQUESTS:
        return now -> {
          if (window.lastCallMillis() < 0) {
            // Like Prometheus, which has no series to judge before the first call.
            return AlertCondition.Result.noData();
          }
          long calls = window.summary(now.toEpochMilli(), settings.noRequestsWindow()).count();
          return AlertCondition.Result.of(calls == 0, calls);
        };
      default:
        throw new IllegalArgumentException(name);
    }
  }

  /**
   * A condition over one measured value, which holds when {@code holds} says so; a NaN value (no
   * calls in the window, no score yet) is no data.
   */
  private static AlertCondition measured(ToDoubleFunction<Instant> value, DoublePredicate holds) {
    return now -> {
      double measured = value.applyAsDouble(now);
      return Double.isNaN(measured)
          ? AlertCondition.Result.noData()
          : AlertCondition.Result.of(holds.test(measured), measured);
    };
  }

  private static AlertRule highLatency(AlertSettings s, String p) {
    String quantile = number(s.latencyQuantile());
    String percentile = number(s.latencyQuantile() * 100);
    String threshold = number(s.latencyThreshold().toNanos() / 1e9);
    String window = PromDurations.format(s.latencyWindow());
    return AlertRule.builder(HIGH_LATENCY)
        .severity(Severity.WARNING)
        .forDuration(s.latencyFor())
        .expr(
            "histogram_quantile("
                + quantile
                + ", sum without (endpoint, model) (rate("
                + p
                + "_request_latency_seconds_bucket["
                + window
                + "]))) > "
                + threshold)
        .valueFormat(ValueFormat.SECONDS)
        .summary("Model calls are slow: p" + percentile + " latency above " + threshold + "s")
        .description(
            "The "
                + percentile
                + "th percentile of model call latency over "
                + window
                + " has stayed above "
                + threshold
                + "s for "
                + PromDurations.format(s.latencyFor())
                + ". Users wait longer for answers, and calls may hit client time-outs.")
        .runbook(
            "1. Find the slow endpoint and model: histogram_quantile("
                + quantile
                + ", sum by (endpoint, model, le) (rate("
                + p
                + "_request_latency_seconds_bucket["
                + window
                + "]))).\n"
                + "2. Check the model server: CPU/GPU load, request queue, memory, recent deploys;"
                + " for a hosted API, its status page and rate-limit headers.\n"
                + "3. Check whether prompts or answers grew: "
                + p
                + "_tokens_input_total, "
                + p
                + "_tokens_output_total, "
                + p
                + "_response_length_chars.\n"
                + "4. Mitigate: scale the model server, lower max tokens, move traffic to a faster"
                + " model, or raise client time-outs while you investigate.")
        .build();
  }

  private static AlertRule highErrorRate(AlertSettings s, String p) {
    String threshold = number(s.errorRateThreshold());
    String percent = number(s.errorRateThreshold() * 100);
    String window = PromDurations.format(s.errorRateWindow());
    String errors =
        "sum without (endpoint, model, status) (rate("
            + p
            + "_requests_total{status=\"error\"}["
            + window
            + "]))";
    String all =
        "sum without (endpoint, model, status) (rate(" + p + "_requests_total[" + window + "]))";
    return AlertRule.builder(HIGH_ERROR_RATE)
        .severity(Severity.CRITICAL)
        .forDuration(s.errorRateFor())
        .expr(errors + " / " + all + " > " + threshold)
        .valueFormat(ValueFormat.PERCENT)
        .summary("More than " + percent + "% of model calls fail")
        .description(
            "Over "
                + window
                + ", more than "
                + percent
                + "% of model calls have ended in an error, for "
                + PromDurations.format(s.errorRateFor())
                + ". Users get errors or fallback answers.")
        .runbook(
            "1. Find the failing endpoint and model: sum by (endpoint, model) (rate("
                + p
                + "_requests_total{status=\"error\"}["
                + window
                + "])).\n"
                + "2. Read the cause in the agent's structured log: lines with"
                + " event_type=request and status=error carry error_kind and error.\n"
                + "3. HTTP 401 or 403: the API key expired or was revoked; rotate it. HTTP 429:"
                + " rate limit or quota; lower concurrency or raise the quota. HTTP 5xx or"
                + " time-outs: the model server is failing; see TaskMasterModelDown and the"
                + " server's logs.\n"
                + "4. Mitigate: fail over to a backup model or endpoint, or roll back the latest"
                + " change to prompts or client settings.")
        .build();
  }

  private static AlertRule modelDown(AlertSettings s, String p) {
    return AlertRule.builder(MODEL_DOWN)
        .severity(Severity.CRITICAL)
        .forDuration(s.modelDownFor())
        .expr(p + "_model_loaded == 0")
        .summary("The model is not loaded or not reachable")
        .description(
            "The model server's health check, or consecutive failed calls, have shown the model"
                + " as unavailable for "
                + PromDurations.format(s.modelDownFor())
                + ". Calls to it fail.")
        .runbook(
            "1. Query the URL the agent probes (health.url), such as the server's /v1/models or"
                + " Ollama's /api/tags, and check that the model is listed.\n"
                + "2. Check the model server process: is it running, out of (GPU) memory,"
                + " restarting, or out of disk while pulling the model?\n"
                + "3. Load the model again (pull or run it, restart the inference server), or"
                + " route traffic to a fallback model until it is back.")
        .build();
  }

  private static AlertRule qualityDrift(AlertSettings s, String p) {
    String threshold = number(s.qualityThreshold());
    return below(QUALITY_DRIFT, p + "_quality_score", threshold, s.qualityFor())
        .summary("Response quality score below " + threshold)
        .description(
            "The quality score of model responses has stayed below "
                + threshold
                + " for "
                + PromDurations.format(s.qualityFor())
                + ". Answers may be truncated, empty, malformed or off-topic more often than"
                + " usual.")
        .runbook(
            "1. See which score dropped, and since when: "
                + p
                + "_quality_score by its labels, and drift lines (event_type=drift) in the"
                + " agent's structured log.\n"
                + "2. Look for a change at that time: a new model version, prompt template,"
                + " system prompt, temperature or max tokens (finish_reason=length means cut-off"
                + " answers).\n"
                + "3. Compare recent answers with known good ones (capture.content=true for a"
                + " short while; redaction stays on).\n"
                + "4. Roll back the change or pin the previous model version.")
        .build();
  }

  /** A warning rule on a score from 0 to 1 (the alert's value) that holds below a threshold. */
  private static AlertRule.Builder below(
      String name, String metric, String threshold, Duration forDuration) {
    return AlertRule.builder(name)
        .severity(Severity.WARNING)
        .forDuration(forDuration)
        .expr(metric + " < " + threshold)
        .valueFormat(ValueFormat.DECIMAL);
  }

  private static AlertRule noRequests(AlertSettings s, String p) {
    String window = PromDurations.format(s.noRequestsWindow());
    return AlertRule.builder(NO_REQUESTS)
        .severity(Severity.WARNING)
        .forDuration(s.noRequestsFor())
        .expr(
            "sum without (endpoint, model, status) (rate("
                + p
                + "_requests_total["
                + window
                + "])) == 0")
        .summary("No model calls for " + window)
        .description(
            "The application has made no model call in the last "
                + window
                + ", and this has lasted "
                + PromDurations.format(s.noRequestsFor())
                + ", although it made calls before. The feature that calls the model may be"
                + " broken, or get no traffic.")
        .runbook(
            "1. Check the application's own traffic and errors: does it receive requests, is"
                + " the feature switched on?\n"
                + "2. Check that the agent still sees calls: the application may now use a client"
                + " or method the agent does not intercept (see the intercept settings), and "
                + p
                + "_agent_errors_total counts the agent's own failures.\n"
                + "3. If traffic is simply low at this hour, lengthen"
                + " alerting.no-requests.window or disable the rule with alerting.disabled.")
        .build();
  }

  private static AlertRule lowSatisfaction(AlertSettings s, String p) {
    String threshold = number(s.satisfactionThreshold());
    return below(LOW_SATISFACTION, p + "_user_satisfaction", threshold, s.satisfactionFor())
        .summary("Users rate the answers poorly: satisfaction below " + threshold)
        .description(
            "The mean feedback score that users gave the answers (0 bad, 1 good, sent to the"
                + " agent's POST /feedback) has stayed below "
                + threshold
                + " for "
                + PromDurations.format(s.satisfactionFor())
                + ". Users find the answers wrong or unhelpful more often than usual.")
        .runbook(
            "1. See which endpoint and model, and since when: "
                + p
                + "_user_satisfaction and "
                + p
                + "_feedback_total{verdict=\"negative\"} by their labels.\n"
                + "2. Read what users said: feedback lines (event_type=feedback) in the agent's"
                + " structured log carry the comment, and their request_id joins the request line"
                + " of the call (latency, tokens, finish_reason).\n"
                + "3. Look for a change at that time: the quality score and the drift state,"
                + " a new model version, prompt template or retrieval source; also a change of"
                + " the feedback buttons themselves, which moves scores without the answers"
                + " changing.\n"
                + "4. Roll back the change or pin the previous model version.")
        .build();
  }

  private static AlertRule drift(AlertSettings s, String p, DriftSignal signal, DriftStatus level) {
    String label = signal.label();
    String selector = "{signal=\"" + label + "\"}";
    boolean critical = level == DriftStatus.CRITICAL;
    String what = driftWhat(signal);
    String forText = PromDurations.format(s.driftFor());
    return AlertRule.builder(driftRuleName(signal, level))
        .severity(critical ? Severity.CRITICAL : Severity.WARNING)
        .forDuration(s.driftFor())
        .label("signal", label)
        .expr(
            p
                + "_drift_score"
                + selector
                + " and "
                + p
                + "_drift_status"
                + selector
                + (critical ? " >= 2" : " >= 1"))
        .valueFormat(ValueFormat.DECIMAL)
        .summary(
            capitalized(what)
                + (critical
                    ? " has drifted far from its baseline"
                    : " has drifted from its baseline"))
        .description(
            "The agent's drift detector has seen a lasting change of "
                + what
                + " against the baseline it learned from the first calls: "
                + p
                + "_drift_status"
                + selector
                + " has been "
                + (critical ? "2 (critical)" : "1 (warning) or 2 (critical)")
                + " for "
                + forText
                + ". The value is the drift score; 1 is the critical threshold.")
        .runbook(
            "1. See how far and since when: "
                + p
                + "_drift_current"
                + selector
                + " against "
                + p
                + "_drift_baseline"
                + selector
                + ", and the drift lines (event_type=drift, signal="
                + label
                + ") in the agent's structured log, which carry the time, baseline and current"
                + " value.\n"
                + "2. "
                + driftCheck(signal, p)
                + "\n"
                + "3. Look for a change at that time: a deploy, a new model or model version, a"
                + " prompt template or system prompt, client settings (temperature, max tokens),"
                + " or a new kind of traffic.\n"
                + "4. If the change is a mistake, roll it back; the alert resolves once the signal"
                + " is back near its baseline. If it is intended (a new model, a new prompt),"
                + " learn a new baseline: POST /drift/relearn on the agent's port (curl -X POST"
                + " http://HOST:9470/drift/relearn), or restart with drift.relearn=true; the"
                + " signal then learns (status -1) for drift.warmup calls and the alert"
                + " resolves.")
        .build();
  }

  /** What a drift signal measures, as the object of a sentence. */
  private static String driftWhat(DriftSignal signal) {
    switch (signal) {
      case LATENCY:
        return "model call latency";
      case TIME_TO_FIRST_TOKEN:
        return "the time to the first streamed token";
      case OUTPUT_TOKENS:
        return "the number of output tokens per answer";
      case RESPONSE_LENGTH:
        return "the length of the answers";
      case QUALITY:
        return "the answers' quality score";
      case EMPTY_RATE:
        return "the share of empty answers";
      case REFUSAL_RATE:
        return "the share of refusals";
      case TRUNCATED_RATE:
        return "the share of answers cut off at the token limit";
      case REPETITION_RATE:
        return "the share of answers caught in a repetition loop";
      case INVALID_JSON_RATE:
        return "the share of invalid JSON answers to requests that asked for JSON";
      case SATISFACTION:
        return "the users' feedback score";
      default:
        return signal.label().replace('_', ' ');
    }
  }

  /** The runbook step that is particular to a drift signal. */
  private static String driftCheck(DriftSignal signal, String p) {
    switch (signal) {
      case LATENCY:
        return "Check the model server (CPU/GPU load, request queue, recent deploys; for a"
            + " hosted API its status page and rate limits) and whether prompts or answers grew ("
            + p
            + "_tokens_input_total, "
            + p
            + "_tokens_output_total); TaskMasterHighLatency shows whether users are hurt yet.";
      case TIME_TO_FIRST_TOKEN:
        return "Check queueing at the model server (the first token waits for a free slot and"
            + " for the whole prompt to be read), longer prompts ("
            + p
            + "_tokens_input_total), and the provider's status page.";
      case OUTPUT_TOKENS:
        return "Check max tokens and the prompt template (a change that asks for more or less"
            + " detail moves it), and the model version; more tokens also cost more ("
            + p
            + "_cost_usd_total) and take longer.";
      case RESPONSE_LENGTH:
        return "Check the prompt template, max tokens and the model version, and whether the"
            + " answers are now cut off, empty or repetitive ("
            + p
            + "_response_events_total by event).";
      case QUALITY:
        return "See which event drives it ("
            + p
            + "_response_events_total by event: empty, refusal, truncated, repetition,"
            + " invalid_json) and whether latency or length moved; TaskMasterQualityDrift fires"
            + " when the score itself is low.";
      case EMPTY_RATE:
        return "Check for content filtering by the provider, a max tokens too low for the"
            + " prompt, answers that are only tool calls, and errors the client turns into empty"
            + " text.";
      case REFUSAL_RATE:
        return "Check for a new model version or provider safety policy, a changed system"
            + " prompt, and new kinds of user requests; read a few refused answers"
            + " (capture.content=true for a short while; redaction stays on); add phrases to"
            + " quality.refusal.phrases only if the detection is wrong.";
      case TRUNCATED_RATE:
        return "Check max tokens (finish_reason=length in the request log lines), prompts that"
            + " grew close to the context window ("
            + p
            + "_tokens_input_total), and a model that has become more verbose.";
      case REPETITION_RATE:
        return "Check the sampling settings (temperature, frequency or repetition penalty), a"
            + " new or quantized local model, and prompts that overflow the context window.";
      case INVALID_JSON_RATE:
        return "Check that the requests still ask for JSON (response_format or JSON mode), that"
            + " the schema or the prompt's example did not change, and whether the JSON answers"
            + " are cut off at the token limit.";
      case SATISFACTION:
        return "Read what users said: feedback lines (event_type=feedback) carry the comment,"
            + " and their request_id joins the call's request line; also check a change of the"
            + " feedback buttons themselves. TaskMasterLowSatisfaction fires when the mean itself"
            + " is low.";
      default:
        return "Check what changed in the calls of this signal.";
    }
  }

  private static String capitalized(String text) {
    return text.substring(0, 1).toUpperCase(Locale.ROOT) + text.substring(1);
  }

  private static AlertRule withLabels(AlertRule rule, Map<String, String> labels) {
    if (labels.isEmpty()) {
      return rule;
    }
    AlertRule.Builder builder = rule.toBuilder();
    labels.forEach(builder::label);
    return builder.build();
  }

  /** A threshold as written in PromQL and texts: {@code 2}, {@code 0.05}, {@code 95}. */
  static String number(double value) {
    BigDecimal exact = new BigDecimal(Double.toString(value));
    // 0.95 * 100 is 94.99999999999999 in binary; twelve digits hide that.
    BigDecimal rounded = exact.setScale(12, java.math.RoundingMode.HALF_UP).stripTrailingZeros();
    return rounded.scale() < 0 ? rounded.setScale(0).toPlainString() : rounded.toPlainString();
  }
}
