package dev.taskmaster.benchmarks;

import dev.taskmaster.agent.drift.DriftSignal;
import java.util.EnumSet;
import java.util.Set;

/**
 * A named traffic scenario: stable traffic that changes in one way from a known call on. {@link
 * #affected} lists the signals whose distribution the change alters (an alarm on one of them is a
 * detection; an alarm on another signal is a false alarm).
 */
enum Scenario {
  STABLE("stable", "no change", EnumSet.noneOf(DriftSignal.class)),
  LATENCY_STEP(
      "latency_step",
      "latency x3 (first token and generation speed)",
      EnumSet.of(DriftSignal.LATENCY, DriftSignal.TIME_TO_FIRST_TOKEN, DriftSignal.QUALITY)),
  LATENCY_CREEP(
      "latency_creep",
      "latency +1 % per 100 calls, compounding",
      EnumSet.of(DriftSignal.LATENCY, DriftSignal.TIME_TO_FIRST_TOKEN, DriftSignal.QUALITY)),
  VERBOSE(
      "verbose",
      "answers 3x longer (tokens, length and latency follow)",
      EnumSet.of(
          DriftSignal.OUTPUT_TOKENS,
          DriftSignal.RESPONSE_LENGTH,
          DriftSignal.LATENCY,
          DriftSignal.QUALITY,
          DriftSignal.TRUNCATED_RATE)),
  REPETITION_LOOPS(
      "repetition_loops",
      "20 % of answers fall into a repetition loop (half of them run to the token limit)",
      EnumSet.of(
          DriftSignal.REPETITION_RATE,
          DriftSignal.QUALITY,
          DriftSignal.RESPONSE_LENGTH,
          DriftSignal.OUTPUT_TOKENS,
          DriftSignal.LATENCY,
          DriftSignal.TRUNCATED_RATE)),
  REFUSAL_RISE(
      "refusal_rise",
      "refusals rise from 1 % to 10 % over 2,000 calls",
      EnumSet.of(
          DriftSignal.REFUSAL_RATE,
          DriftSignal.QUALITY,
          DriftSignal.RESPONSE_LENGTH,
          DriftSignal.OUTPUT_TOKENS,
          DriftSignal.LATENCY)),
  EMPTY_ANSWERS(
      "empty_answers",
      "5 % of answers empty",
      EnumSet.of(
          DriftSignal.EMPTY_RATE,
          DriftSignal.QUALITY,
          DriftSignal.RESPONSE_LENGTH,
          DriftSignal.OUTPUT_TOKENS,
          DriftSignal.LATENCY)),
  TRUNCATIONS(
      "truncations",
      "20 % of answers cut at a lower token limit",
      EnumSet.of(
          DriftSignal.TRUNCATED_RATE,
          DriftSignal.RESPONSE_LENGTH,
          DriftSignal.OUTPUT_TOKENS,
          DriftSignal.LATENCY,
          DriftSignal.QUALITY)),
  SLOW_TAIL_10(
      "slow_tail_10",
      "extra: 10 % of calls 4x slower (a change of shape more than of the median)",
      EnumSet.of(DriftSignal.LATENCY, DriftSignal.TIME_TO_FIRST_TOKEN, DriftSignal.QUALITY)),
  SLOW_TAIL_25(
      "slow_tail_25",
      "extra: 25 % of calls 4x slower",
      EnumSet.of(DriftSignal.LATENCY, DriftSignal.TIME_TO_FIRST_TOKEN, DriftSignal.QUALITY)),
  NOISY_STABLE(
      "noisy_stable",
      "control: bursts of load (1 call in 100 starts ~10 calls, at most 40, 1.5x to 3x slower),"
          + " wide latency spread (sigma 0.8 on first token, 0.35 on speed), 0.5 % outliers 5x"
          + " to 20x; no change",
      EnumSet.noneOf(DriftSignal.class)),
  NOISY_LONG_BURSTS(
      "noisy_long_bursts",
      "harder control: as noisy_stable, but bursts of ~30 calls (at most 120), 1.3x to 2.5x"
          + " slower; no change",
      EnumSet.noneOf(DriftSignal.class));

  final String label;
  final String description;
  final Set<DriftSignal> affected;

  Scenario(String label, String description, Set<DriftSignal> affected) {
    this.label = label;
    this.description = description;
    this.affected = affected;
  }

  /** Whether the scenario changes at all. */
  boolean changes() {
    return !affected.isEmpty();
  }

  static Scenario forLabel(String label) {
    for (Scenario scenario : values()) {
      if (scenario.label.equals(label)) {
        return scenario;
      }
    }
    throw new IllegalArgumentException("no scenario " + label);
  }
}
