package dev.taskmaster.sample.server.traffic;

import java.util.SplittableRandom;

/**
 * Generates the answers of a chat application's model, seeded: a mix of tasks (chat answers, short
 * classifications, JSON extraction, long reports), each with response text, token counts, a finish
 * reason, time to first token and a duration that grows with the tokens generated. From call {@code
 * changeAt} on (or from {@link #select}), the scenario's change applies. The model server answers
 * from it when a traffic scenario is selected; the agent's drift benchmark runs it on a simulated
 * clock. Not thread-safe.
 *
 * <p>Stable traffic: chat 55 % (about 110 words, log-normal), short answers 20 %, JSON 15 % (1 %
 * broken), long reports 10 % (about 450 words, cut at 1,024 tokens); time to first token 0.25 s
 * (log-normal, sigma 0.35), 12 ms per output token (sigma 0.15); refusals 1 %, empty answers 0.3 %,
 * natural repetition loops 0.3 %.
 */
public final class TrafficModel {

  /** One generated answer; durations in seconds. */
  public record Reply(
      boolean jsonRequested,
      String text,
      int inputTokens,
      long outputTokens,
      String finishReason,
      double timeToFirstTokenSeconds,
      double seconds) {}

  private static final int CHAT = 0;
  private static final int SHORT = 1;
  private static final int JSON = 2;
  private static final int LONG = 3;
  private static final int[] MAX_TOKENS = {1024, 64, 256, 1024};

  private TrafficScenario scenario;
  private long changeAt;
  private final SplittableRandom random;
  private boolean noisy;
  private boolean longBursts;
  private long index;
  private int burstLeft;
  private double burstLoad = 1;

  /**
   * @param changeAt the index of the first changed call ({@code Long.MAX_VALUE}: never)
   */
  public TrafficModel(TrafficScenario scenario, long seed, long changeAt) {
    // Scrambled: SplittableRandom seeds that differ by its gamma give the same stream, shifted.
    this.random =
        new SplittableRandom(new java.util.Random(seed * 31 + scenario.ordinal()).nextLong());
    scenario(scenario, changeAt);
  }

  /** Switches to {@code scenario}, whose change applies from the next call on. */
  public void select(TrafficScenario next) {
    scenario(next, index);
  }

  /** Puts the selected scenario's change off until {@code calls} calls from now. */
  public void changeAfter(long calls) {
    changeAt = index + calls;
  }

  private void scenario(TrafficScenario next, long firstChanged) {
    scenario = next;
    changeAt = firstChanged;
    noisy = next.noisy();
    longBursts = next == TrafficScenario.NOISY_LONG_BURSTS;
  }

  public TrafficScenario scenario() {
    return scenario;
  }

  /** The index of the next call. */
  public long index() {
    return index;
  }

  /** Generates the next answer. */
  public Reply next() {
    long i = index++;
    long sinceChange = i - changeAt;
    boolean changed = sinceChange >= 0 && scenario != TrafficScenario.STABLE && !noisy;
    double load = noisy ? noisyLoad() : 1;
    int task = pickTask();

    String text;
    boolean json = task == JSON;
    double refusalRate =
        changed && scenario == TrafficScenario.REFUSAL_RISE
            ? 0.01 + 0.09 * Math.min(1, sinceChange / 2000.0)
            : 0.01;
    double emptyRate = changed && scenario == TrafficScenario.EMPTY ? 0.05 : 0.003;
    double loopRate = changed && scenario == TrafficScenario.REPETITION ? 0.20 : 0.003;
    double verbosity = changed && scenario == TrafficScenario.VERBOSE ? 3 : 1;
    int maxTokens = MAX_TOKENS[task];
    boolean looped = false;
    double draw = random.nextDouble();
    if (draw < emptyRate) {
      text = "";
    } else if (draw < emptyRate + refusalRate && !json) {
      text = ResponseTexts.refusal(random);
    } else if (json) {
      text =
          random.nextDouble() < 0.01
              ? ResponseTexts.brokenJson(random)
              : ResponseTexts.json(random);
    } else if (task == SHORT) {
      text = verbosity > 1 ? ResponseTexts.answer(random, 20) : ResponseTexts.shortAnswer(random);
    } else {
      int words =
          (int) (verbosity * logNormal(task == LONG ? 450 : 110, task == LONG ? 0.35 : 0.5));
      if (random.nextDouble() < loopRate && task != SHORT) {
        looped = true;
        boolean toLimit = random.nextInt(2) == 0;
        int maxWords = (int) (maxTokens / 1.55) + 40;
        text =
            ResponseTexts.loop(
                random,
                (int) (words * (0.3 + 0.5 * random.nextDouble())),
                toLimit ? 0 : 4 + random.nextInt(12),
                maxWords);
      } else {
        text = ResponseTexts.answer(random, words);
      }
    }

    long tokens =
        text.isEmpty()
            ? 0
            : Math.max(1, Math.round(text.length() / 4.0 * (0.92 + 0.16 * random.nextDouble())));
    String finish = "stop";
    if (changed
        && scenario == TrafficScenario.TRUNCATIONS
        && !text.isEmpty()
        && random.nextDouble() < 0.20) {
      double fraction = 0.4 + 0.5 * random.nextDouble();
      text = ResponseTexts.cut(text, fraction);
      tokens = Math.max(1, Math.round(tokens * fraction));
      finish = "length";
    } else if (tokens > maxTokens || (looped && tokens >= maxTokens * 0.9)) {
      double fraction = (double) maxTokens / tokens;
      text = ResponseTexts.cut(text, Math.min(1, fraction));
      tokens = maxTokens;
      finish = "length";
    }

    double speed = latencyFactor(changed, sinceChange) * load;
    double ttftSeconds = speed * logNormal(0.25, noisy ? 0.8 : 0.35);
    double perToken = speed * logNormal(0.012, noisy ? 0.35 : 0.15);
    double seconds = ttftSeconds + tokens * perToken + 0.02;
    if (noisy && random.nextDouble() < 0.005) {
      double outlier = 5 + 15 * random.nextDouble();
      seconds *= outlier;
      ttftSeconds *= outlier;
    }
    return new Reply(json, text, 60 + random.nextInt(500), tokens, finish, ttftSeconds, seconds);
  }

  private double latencyFactor(boolean changed, long sinceChange) {
    if (!changed) {
      return 1;
    }
    switch (scenario) {
      case LATENCY_STEP:
        return 3;
      case LATENCY_CREEP:
        return Math.pow(1.01, sinceChange / 100.0);
      case SLOW_TAIL_10:
        return random.nextDouble() < 0.10 ? 4 : 1;
      case SLOW_TAIL_25:
        return random.nextDouble() < 0.25 ? 4 : 1;
      default:
        return 1;
    }
  }

  private int pickTask() {
    double draw = random.nextDouble();
    if (draw < 0.55) {
      return CHAT;
    }
    if (draw < 0.75) {
      return SHORT;
    }
    return draw < 0.90 ? JSON : LONG;
  }

  /**
   * Bursts of load: one call in 100 starts a burst of about 10 calls (exponential, at most 40), 1.5
   * to 3 times slower (queueing); with long bursts, one call in 200 starts a burst of about 30
   * calls (at most 120), 1.3 to 2.5 times slower.
   */
  private double noisyLoad() {
    if (burstLeft > 0) {
      burstLeft--;
      return burstLoad;
    }
    if (random.nextInt(longBursts ? 200 : 100) == 0) {
      double mean = longBursts ? 30 : 10;
      int longest = longBursts ? 120 : 40;
      burstLeft = Math.min(longest, 1 + (int) (-mean * Math.log(1 - random.nextDouble())));
      burstLoad = longBursts ? 1.3 + 1.2 * random.nextDouble() : 1.5 + 1.5 * random.nextDouble();
      return burstLoad;
    }
    return 1;
  }

  private double logNormal(double median, double sigma) {
    return median * Math.exp(sigma * random.nextGaussian());
  }
}
