package dev.taskmaster.agent.drift;

/**
 * A per-call quantity whose distribution the drift detector follows, with the scale it is compared
 * on: durations on a log scale (a change is a factor), counts on a log scale of one plus the count,
 * the quality score as is, events as a rate.
 */
public enum DriftSignal {
  /** Call duration, seconds. */
  LATENCY("latency", Scale.LOG),
  /** Time to the first streamed token, seconds; only streamed calls. */
  TIME_TO_FIRST_TOKEN("time_to_first_token", Scale.LOG),
  /** Output tokens reported by the server; only calls that reported them. */
  OUTPUT_TOKENS("output_tokens", Scale.LOG_COUNT),
  /** Response length, characters; only calls whose text was read. */
  RESPONSE_LENGTH("response_length", Scale.LOG_COUNT),
  /** The overall quality score, 0 to 1. */
  QUALITY("quality", Scale.LINEAR),
  /** Share of empty answers. */
  EMPTY_RATE("empty_rate", Scale.RATE),
  /** Share of refusals. */
  REFUSAL_RATE("refusal_rate", Scale.RATE),
  /** Share of answers cut at the token limit; only calls that reported a finish reason. */
  TRUNCATED_RATE("truncated_rate", Scale.RATE),
  /** Share of answers with a repetition loop. */
  REPETITION_RATE("repetition_rate", Scale.RATE),
  /** Share of invalid JSON among answers to requests that asked for JSON. */
  INVALID_JSON_RATE("invalid_json_rate", Scale.RATE),
  /** The users' feedback score, 0 (bad) to 1 (good); only calls rated through POST /feedback. */
  SATISFACTION("satisfaction", Scale.LINEAR);

  /** How values of a signal are compared. */
  public enum Scale {
    /** {@code ln(x)}: a change is a ratio. */
    LOG,
    /** {@code ln(1 + x)}: a change is a ratio, and zero stays finite. */
    LOG_COUNT,
    /** As is: a change is a difference. */
    LINEAR,
    /** 0 or 1 per call: a change is a difference of rates. */
    RATE
  }

  private static final double MIN_LOG_ARGUMENT = 1e-6;
  private static final DriftSignal[] VALUES = values();

  private final String label;
  private final Scale scale;

  DriftSignal(String label, Scale scale) {
    this.label = label;
    this.scale = scale;
  }

  /** The {@code signal} label value, also the suffix of {@code drift.baseline.<signal>}. */
  public String label() {
    return label;
  }

  public Scale scale() {
    return scale;
  }

  /** Whether this signal is an event rate. */
  public boolean isRate() {
    return scale == Scale.RATE;
  }

  /** The signal whose label is {@code label}, or {@code null}. */
  public static DriftSignal forLabel(String label) {
    for (DriftSignal signal : VALUES) {
      if (signal.label.equals(label)) {
        return signal;
      }
    }
    return null;
  }

  /** A value in natural units, on the comparison scale. */
  double toScale(double value) {
    switch (scale) {
      case LOG:
        return Math.log(Math.max(value, MIN_LOG_ARGUMENT));
      case LOG_COUNT:
        return Math.log1p(Math.max(value, 0));
      default:
        return value;
    }
  }

  /** A value on the comparison scale, in natural units. */
  double fromScale(double scaled) {
    switch (scale) {
      case LOG:
        return Math.exp(scaled);
      case LOG_COUNT:
        return Math.expm1(scaled);
      default:
        return scaled;
    }
  }

  static DriftSignal[] all() {
    return VALUES;
  }
}
