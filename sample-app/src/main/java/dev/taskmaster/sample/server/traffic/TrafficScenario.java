package dev.taskmaster.sample.server.traffic;

/**
 * A named traffic scenario of {@link TrafficModel}: stable traffic that changes in one way from a
 * known call on. The same scenarios drive the model server ({@code --scenario}, {@code POST
 * /control}) and the agent's drift benchmark.
 */
public enum TrafficScenario {
  STABLE("stable", "no change"),
  LATENCY_STEP("latency_step", "latency x3 (first token and generation speed)"),
  LATENCY_CREEP("latency_creep", "latency +1 % per 100 calls, compounding"),
  VERBOSE("verbose", "answers 3x longer (tokens, length and latency follow)"),
  REPETITION(
      "repetition",
      "20 % of answers fall into a repetition loop (half of them run to the token limit)"),
  REFUSAL_RISE("refusal_rise", "refusals rise from 1 % to 10 % over 2,000 calls"),
  EMPTY("empty", "5 % of answers empty"),
  TRUNCATIONS("truncations", "20 % of answers cut at a lower token limit (finish_reason length)"),
  SLOW_TAIL_10(
      "slow_tail_10", "extra: 10 % of calls 4x slower (a change of shape more than of the median)"),
  SLOW_TAIL_25("slow_tail_25", "extra: 25 % of calls 4x slower"),
  NOISY_STABLE(
      "noisy_stable",
      "control: bursts of load (1 call in 100 starts ~10 calls, at most 40, 1.5x to 3x slower),"
          + " wide latency spread (sigma 0.8 on first token, 0.35 on speed), 0.5 % outliers 5x"
          + " to 20x; no change"),
  NOISY_LONG_BURSTS(
      "noisy_long_bursts",
      "harder control: as noisy_stable, but bursts of ~30 calls (at most 120), 1.3x to 2.5x"
          + " slower; no change");

  /** The name used on the command line, in {@code /control} and in the benchmark's table. */
  public final String label;

  /** What changes. */
  public final String description;

  TrafficScenario(String label, String description) {
    this.label = label;
    this.description = description;
  }

  /** Whether the traffic is noisy (bursts, wide spread, outliers). */
  public boolean noisy() {
    return this == NOISY_STABLE || this == NOISY_LONG_BURSTS;
  }

  /** The scenario named {@code label}, or {@code null}. */
  public static TrafficScenario forLabel(String label) {
    for (TrafficScenario scenario : values()) {
      if (scenario.label.equals(label)) {
        return scenario;
      }
    }
    return null;
  }
}
