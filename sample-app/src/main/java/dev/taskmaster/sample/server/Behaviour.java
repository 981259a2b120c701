package dev.taskmaster.sample.server;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import dev.taskmaster.sample.server.traffic.TrafficModel;
import dev.taskmaster.sample.server.traffic.TrafficScenario;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * How the model server answers: latency, answer shape and failure modes.
 *
 * <p>Every failure mode and answer variant is a probability in [0, 1] drawn per request from one
 * {@link Random} seeded with {@link #seed()}, so a sequence of requests sent one at a time gets the
 * same outcomes on every run. Each request draws the same number of random values whatever the
 * settings, so changing one probability does not reshuffle the others.
 *
 * <p>Precedence when several draws hit: hang, then HTTP 429, then HTTP 500; for the answer:
 * refusal, then empty, then repetition. Latency applies to answered requests only (429 and 500 come
 * back at once). A stream cut applies to streaming requests only.
 *
 * <p>A named {@link Scenario} sets the behaviour as a function of the time since it was selected;
 * it runs before every model request. {@code stable} keeps the defaults and never changes anything,
 * so settings made through the API or {@code POST /control} stay. A scenario that changes settings
 * over time overrides such changes at the next request. Add scenarios with {@link #register}.
 *
 * <p>Traffic scenarios ({@link TrafficScenario}: {@code latency_step}, {@code latency_creep},
 * {@code verbose}, {@code repetition}, {@code refusal_rise}, {@code empty}, {@code truncations},
 * {@code noisy_stable}, ...) answer from the seeded {@link TrafficModel} that the agent's drift
 * benchmark runs too: a mix of chat answers, short answers, JSON and long reports, whose latency is
 * the model's simulated duration times {@code time_scale} (default {@value #DEFAULT_TIME_SCALE}).
 * Selecting one starts the model (stable traffic) if it is not running and applies the scenario's
 * change from the next request on; selecting {@code stable} while it runs returns it to unchanged
 * traffic, and {@code "traffic": false} stops it. {@code "traffic": true} starts it with unchanged
 * traffic.
 *
 * <p>Thread-safe.
 */
public final class Behaviour {

  /** The seed used when none is given. */
  public static final long DEFAULT_SEED = 42;

  /** Seconds of the traffic model's simulated duration per second of real latency. */
  public static final double DEFAULT_TIME_SCALE = 0.02;

  /** The scenario selected when none is given. */
  public static final String DEFAULT_SCENARIO = "stable";

  /** A named way of setting the behaviour over time. */
  @FunctionalInterface
  public interface Scenario {
    /**
     * Adjusts {@code behaviour} for the time {@code elapsed} since the scenario was selected.
     * Called with {@link Duration#ZERO} right after the settings were reset to their defaults, then
     * before every model request.
     */
    void apply(Behaviour behaviour, Duration elapsed);
  }

  /** What happens to a request instead of a normal answer. */
  public enum Fault {
    NONE,
    RATE_LIMIT,
    SERVER_ERROR,
    HANG
  }

  /**
   * The outcome drawn for one request.
   *
   * @param cutAfterChunks the stream is closed after this many chunks, or -1 for no cut
   * @param answerSeed seeds the {@link Random} of the answer text
   * @param reply the answer of the traffic model, or {@code null} when it is not running
   */
  public record Plan(
      Fault fault,
      AnswerGenerator.Kind answerKind,
      long latencyMillis,
      long chunkDelayMillis,
      double verbosity,
      int cutAfterChunks,
      long retryAfterSeconds,
      long hangMillis,
      long answerSeed,
      TrafficModel.Reply reply) {}

  /** The keys that {@link #apply} accepts. */
  public static final List<String> KEYS =
      List.of(
          "scenario",
          "seed",
          "traffic",
          "time_scale",
          "change_after",
          "reset",
          "latency_ms",
          "latency_spread_ms",
          "chunk_delay_ms",
          "verbosity",
          "repetition_rate",
          "refusal_rate",
          "empty_rate",
          "rate_limit_rate",
          "retry_after_s",
          "error_rate",
          "hang_rate",
          "hang_max_ms",
          "cut_rate",
          "cut_after_chunks");

  private static final Map<String, Scenario> SCENARIOS = new LinkedHashMap<>();

  static {
    register(DEFAULT_SCENARIO, (behaviour, elapsed) -> {});
    for (TrafficScenario traffic : TrafficScenario.values()) {
      if (traffic != TrafficScenario.STABLE) {
        register(traffic.label, (behaviour, elapsed) -> {});
      }
    }
  }

  private Settings settings = new Settings();
  private long seed;
  private Random random;
  private String scenarioName;
  private Scenario scenario;
  private long scenarioStartNanos;
  private TrafficModel traffic;
  private double timeScale = DEFAULT_TIME_SCALE;

  /** Defaults, seed {@value #DEFAULT_SEED}, scenario {@code stable}. */
  public Behaviour() {
    this(DEFAULT_SCENARIO, DEFAULT_SEED);
  }

  /** Selects {@code scenario} with the given seed. */
  public Behaviour(String scenario, long seed) {
    seed(seed);
    scenario(scenario);
  }

  /** Makes {@code scenario} selectable by {@code name}, replacing any scenario of that name. */
  public static synchronized void register(String name, Scenario scenario) {
    SCENARIOS.put(name, scenario);
  }

  /** The names of the registered scenarios, in registration order. */
  public static synchronized List<String> scenarioNames() {
    return List.copyOf(SCENARIOS.keySet());
  }

  private static synchronized Scenario lookUp(String name) {
    Scenario scenario = SCENARIOS.get(name);
    if (scenario == null) {
      throw new IllegalArgumentException(
          "unknown scenario '" + name + "'; known: " + String.join(", ", SCENARIOS.keySet()));
    }
    return scenario;
  }

  /** Resets every setting to its default and selects the named scenario; the seed stays. */
  public synchronized Behaviour scenario(String name) {
    Scenario next = lookUp(name);
    settings = new Settings();
    scenario = next;
    scenarioName = name;
    scenarioStartNanos = System.nanoTime();
    next.apply(this, Duration.ZERO);
    TrafficScenario changed = TrafficScenario.forLabel(name);
    if (changed != null && (changed != TrafficScenario.STABLE || traffic != null)) {
      traffic(true);
      traffic.select(changed);
    }
    return this;
  }

  /**
   * Starts the traffic model with unchanged traffic (seeded with {@link #seed()}), or stops it;
   * starting it when it runs changes nothing.
   */
  public synchronized Behaviour traffic(boolean on) {
    if (!on) {
      traffic = null;
    } else if (traffic == null) {
      traffic = new TrafficModel(TrafficScenario.STABLE, seed, Long.MAX_VALUE);
    }
    return this;
  }

  /**
   * Puts the change of the selected traffic scenario off by {@code calls} requests (unchanged
   * traffic until then), so that a baseline can be learned first; needs a running traffic model.
   */
  public synchronized Behaviour changeAfter(long calls) {
    if (traffic == null) {
      throw new IllegalArgumentException("change_after needs a traffic scenario");
    }
    traffic.changeAfter(atLeast("change_after", calls, 0));
    return this;
  }

  /** Whether the traffic model answers. */
  public synchronized boolean traffic() {
    return traffic != null;
  }

  /** Real seconds of latency per simulated second of the traffic model; in (0, 10]. */
  public synchronized Behaviour timeScale(double scale) {
    if (!(scale > 0 && scale <= 10)) {
      throw new IllegalArgumentException("time_scale must be in (0, 10], got " + scale);
    }
    timeScale = scale;
    return this;
  }

  public synchronized double timeScale() {
    return timeScale;
  }

  /** The name of the selected scenario. */
  public synchronized String scenario() {
    return scenarioName;
  }

  /** Restarts the random sequence from {@code seed}. */
  public synchronized Behaviour seed(long seed) {
    this.seed = seed;
    this.random = new Random(seed);
    return this;
  }

  /** The seed the random sequence was last started from. */
  public synchronized long seed() {
    return seed;
  }

  /** Resets the settings to the defaults of the selected scenario and restarts the random seed. */
  public synchronized Behaviour reset() {
    seed(seed);
    return scenario(scenarioName);
  }

  /** Draws the outcome of the next model request. */
  public synchronized Plan plan(boolean streaming) {
    scenario.apply(this, Duration.ofNanos(System.nanoTime() - scenarioStartNanos));
    Settings s = settings;
    boolean hang = random.nextDouble() < s.hangRate;
    boolean rateLimit = random.nextDouble() < s.rateLimitRate;
    boolean error = random.nextDouble() < s.errorRate;
    boolean refusal = random.nextDouble() < s.refusalRate;
    boolean empty = random.nextDouble() < s.emptyRate;
    boolean repetition = random.nextDouble() < s.repetitionRate;
    boolean cut = random.nextDouble() < s.cutRate;
    long spread = random.nextLong();
    long answerSeed = random.nextLong();

    Fault fault =
        hang ? Fault.HANG : rateLimit ? Fault.RATE_LIMIT : error ? Fault.SERVER_ERROR : Fault.NONE;
    AnswerGenerator.Kind kind =
        refusal
            ? AnswerGenerator.Kind.REFUSAL
            : empty
                ? AnswerGenerator.Kind.EMPTY
                : repetition ? AnswerGenerator.Kind.REPETITION : AnswerGenerator.Kind.NORMAL;
    long latency =
        s.latencyMillis
            + (s.latencySpreadMillis == 0 ? 0 : Math.floorMod(spread, s.latencySpreadMillis + 1));
    TrafficModel.Reply reply = traffic == null ? null : traffic.next();
    if (reply != null) {
      latency += Math.round(reply.seconds() * timeScale * 1000);
    }
    return new Plan(
        fault,
        kind,
        latency,
        s.chunkDelayMillis,
        s.verbosity,
        streaming && cut ? s.cutAfterChunks : -1,
        s.retryAfterSeconds,
        s.hangMaxMillis,
        answerSeed,
        reply);
  }

  /** Fixed latency added before each answer, in milliseconds. Default 0. */
  public synchronized Behaviour latencyMillis(long millis) {
    settings.latencyMillis = atLeast("latency_ms", millis, 0);
    return this;
  }

  public synchronized long latencyMillis() {
    return settings.latencyMillis;
  }

  /**
   * Random extra latency, uniform in [0, spread] milliseconds, added to {@link #latencyMillis}.
   * Default 0.
   */
  public synchronized Behaviour latencySpreadMillis(long millis) {
    settings.latencySpreadMillis = atLeast("latency_spread_ms", millis, 0);
    return this;
  }

  public synchronized long latencySpreadMillis() {
    return settings.latencySpreadMillis;
  }

  /** Pause between two chunks of a stream, in milliseconds. Default 0. */
  public synchronized Behaviour chunkDelayMillis(long millis) {
    settings.chunkDelayMillis = atLeast("chunk_delay_ms", millis, 0);
    return this;
  }

  public synchronized long chunkDelayMillis() {
    return settings.chunkDelayMillis;
  }

  /** Multiplies the length of answers (number of steps). Default 1; must be in (0, 100]. */
  public synchronized Behaviour verbosity(double multiplier) {
    if (!(multiplier > 0 && multiplier <= 100)) {
      throw new IllegalArgumentException("verbosity must be in (0, 100], got " + multiplier);
    }
    settings.verbosity = multiplier;
    return this;
  }

  public synchronized double verbosity() {
    return settings.verbosity;
  }

  /** Probability that an answer loops one phrase over and over. Default 0. */
  public synchronized Behaviour repetitionRate(double p) {
    settings.repetitionRate = probability("repetition_rate", p);
    return this;
  }

  public synchronized double repetitionRate() {
    return settings.repetitionRate;
  }

  /** Probability of the answer {@value AnswerGenerator#REFUSAL} Default 0. */
  public synchronized Behaviour refusalRate(double p) {
    settings.refusalRate = probability("refusal_rate", p);
    return this;
  }

  public synchronized double refusalRate() {
    return settings.refusalRate;
  }

  /** Probability of an empty answer (0 completion tokens). Default 0. */
  public synchronized Behaviour emptyRate(double p) {
    settings.emptyRate = probability("empty_rate", p);
    return this;
  }

  public synchronized double emptyRate() {
    return settings.emptyRate;
  }

  /** Probability of HTTP 429 with a {@code Retry-After} header. Default 0. */
  public synchronized Behaviour rateLimitRate(double p) {
    settings.rateLimitRate = probability("rate_limit_rate", p);
    return this;
  }

  public synchronized double rateLimitRate() {
    return settings.rateLimitRate;
  }

  /** Value of the {@code Retry-After} header of a 429, in seconds. Default 1. */
  public synchronized Behaviour retryAfterSeconds(long seconds) {
    settings.retryAfterSeconds = atLeast("retry_after_s", seconds, 0);
    return this;
  }

  public synchronized long retryAfterSeconds() {
    return settings.retryAfterSeconds;
  }

  /** Probability of HTTP 500. Default 0. */
  public synchronized Behaviour errorRate(double p) {
    settings.errorRate = probability("error_rate", p);
    return this;
  }

  public synchronized double errorRate() {
    return settings.errorRate;
  }

  /**
   * Probability that a request is accepted and never answered: the server holds it for {@link
   * #hangMaxMillis} (or until it is closed), then drops the connection. Default 0.
   */
  public synchronized Behaviour hangRate(double p) {
    settings.hangRate = probability("hang_rate", p);
    return this;
  }

  public synchronized double hangRate() {
    return settings.hangRate;
  }

  /** How long a hanging request is held before the connection is dropped. Default 300000. */
  public synchronized Behaviour hangMaxMillis(long millis) {
    settings.hangMaxMillis = atLeast("hang_max_ms", millis, 0);
    return this;
  }

  public synchronized long hangMaxMillis() {
    return settings.hangMaxMillis;
  }

  /**
   * Probability that a stream is cut: the connection is closed without the end of the stream after
   * {@link #cutAfterChunks} chunks, or before the chunk with the finish reason if the stream is
   * shorter. Default 0.
   */
  public synchronized Behaviour cutRate(double p) {
    settings.cutRate = probability("cut_rate", p);
    return this;
  }

  public synchronized double cutRate() {
    return settings.cutRate;
  }

  /** Number of chunks sent before a stream is cut. Default 3. */
  public synchronized Behaviour cutAfterChunks(int chunks) {
    settings.cutAfterChunks = (int) atLeast("cut_after_chunks", chunks, 0);
    return this;
  }

  public synchronized int cutAfterChunks() {
    return settings.cutAfterChunks;
  }

  /** The settings as the JSON object that {@code GET /control} returns. */
  public synchronized JsonObject toJson() {
    JsonObject json = new JsonObject();
    json.addProperty("scenario", scenarioName);
    json.addProperty("seed", seed);
    json.addProperty("traffic", traffic != null);
    json.addProperty("time_scale", timeScale);
    json.addProperty("latency_ms", settings.latencyMillis);
    json.addProperty("latency_spread_ms", settings.latencySpreadMillis);
    json.addProperty("chunk_delay_ms", settings.chunkDelayMillis);
    json.addProperty("verbosity", settings.verbosity);
    json.addProperty("repetition_rate", settings.repetitionRate);
    json.addProperty("refusal_rate", settings.refusalRate);
    json.addProperty("empty_rate", settings.emptyRate);
    json.addProperty("rate_limit_rate", settings.rateLimitRate);
    json.addProperty("retry_after_s", settings.retryAfterSeconds);
    json.addProperty("error_rate", settings.errorRate);
    json.addProperty("hang_rate", settings.hangRate);
    json.addProperty("hang_max_ms", settings.hangMaxMillis);
    json.addProperty("cut_rate", settings.cutRate);
    json.addProperty("cut_after_chunks", settings.cutAfterChunks);
    JsonArray names = new JsonArray();
    scenarioNames().forEach(names::add);
    json.add("scenarios", names);
    return json;
  }

  /**
   * Applies the keys of {@code json} (those of {@link #toJson}, less {@code scenarios}), all or
   * none. {@code scenario} is applied first and resets the other settings, {@code seed} next;
   * {@code "reset": true} resets to the selected scenario's defaults.
   *
   * @throws IllegalArgumentException naming the key and value if a key is unknown or a value out of
   *     range
   */
  public synchronized Behaviour apply(JsonObject json) {
    Settings savedSettings = settings.copy();
    long savedSeed = seed;
    Random savedRandom = random;
    String savedName = scenarioName;
    Scenario savedScenario = scenario;
    long savedStart = scenarioStartNanos;
    TrafficModel savedTraffic = traffic;
    TrafficScenario savedTrafficScenario = traffic == null ? null : traffic.scenario();
    double savedTimeScale = timeScale;
    try {
      if (json.has("seed")) {
        seed(number(json, "seed").longValue());
      }
      if (json.has("traffic")) {
        traffic(bool(json, "traffic"));
      }
      if (json.has("scenario")) {
        scenario(text(json, "scenario"));
      }
      if (json.has("reset") && bool(json, "reset")) {
        reset();
      }
      for (Map.Entry<String, JsonElement> entry : json.entrySet()) {
        applyOne(json, entry.getKey());
      }
      return this;
    } catch (RuntimeException e) {
      settings = savedSettings;
      seed = savedSeed;
      random = savedRandom;
      scenarioName = savedName;
      scenario = savedScenario;
      scenarioStartNanos = savedStart;
      traffic = savedTraffic;
      if (savedTraffic != null && savedTraffic.scenario() != savedTrafficScenario) {
        savedTraffic.select(savedTrafficScenario);
      }
      timeScale = savedTimeScale;
      throw e instanceof IllegalArgumentException
          ? e
          : new IllegalArgumentException(e.getMessage());
    }
  }

  private void applyOne(JsonObject json, String key) {
    switch (key) {
      case "scenario", "seed", "reset", "scenarios", "traffic" -> {}
      case "time_scale" -> timeScale(number(json, key).doubleValue());
      case "change_after" -> changeAfter(number(json, key).longValue());
      case "latency_ms" -> latencyMillis(number(json, key).longValue());
      case "latency_spread_ms" -> latencySpreadMillis(number(json, key).longValue());
      case "chunk_delay_ms" -> chunkDelayMillis(number(json, key).longValue());
      case "verbosity" -> verbosity(number(json, key).doubleValue());
      case "repetition_rate" -> repetitionRate(number(json, key).doubleValue());
      case "refusal_rate" -> refusalRate(number(json, key).doubleValue());
      case "empty_rate" -> emptyRate(number(json, key).doubleValue());
      case "rate_limit_rate" -> rateLimitRate(number(json, key).doubleValue());
      case "retry_after_s" -> retryAfterSeconds(number(json, key).longValue());
      case "error_rate" -> errorRate(number(json, key).doubleValue());
      case "hang_rate" -> hangRate(number(json, key).doubleValue());
      case "hang_max_ms" -> hangMaxMillis(number(json, key).longValue());
      case "cut_rate" -> cutRate(number(json, key).doubleValue());
      case "cut_after_chunks" -> cutAfterChunks(number(json, key).intValue());
      default ->
          throw new IllegalArgumentException(
              "unknown key '" + key + "'; accepted: " + String.join(", ", KEYS));
    }
  }

  private static Number number(JsonObject json, String key) {
    JsonElement value = json.get(key);
    if (value.isJsonPrimitive() && value.getAsJsonPrimitive().isNumber()) {
      return value.getAsNumber();
    }
    throw new IllegalArgumentException(key + " must be a number, got " + value);
  }

  private static String text(JsonObject json, String key) {
    JsonElement value = json.get(key);
    if (value.isJsonPrimitive() && value.getAsJsonPrimitive().isString()) {
      return value.getAsString();
    }
    throw new IllegalArgumentException(key + " must be a string, got " + value);
  }

  private static boolean bool(JsonObject json, String key) {
    JsonElement value = json.get(key);
    if (value.isJsonPrimitive() && value.getAsJsonPrimitive().isBoolean()) {
      return value.getAsBoolean();
    }
    throw new IllegalArgumentException(key + " must be true or false, got " + value);
  }

  private static double probability(String key, double p) {
    if (!(p >= 0 && p <= 1)) {
      throw new IllegalArgumentException(key + " must be a probability in [0, 1], got " + p);
    }
    return p;
  }

  private static long atLeast(String key, long value, long min) {
    if (value < min) {
      throw new IllegalArgumentException(key + " must be at least " + min + ", got " + value);
    }
    return value;
  }

  @Override
  public synchronized String toString() {
    return toJson().toString();
  }

  /** The plain values, copied whole so that {@link #apply} is all or nothing. */
  private static final class Settings {
    long latencyMillis;
    long latencySpreadMillis;
    long chunkDelayMillis;
    double verbosity = 1.0;
    double repetitionRate;
    double refusalRate;
    double emptyRate;
    double rateLimitRate;
    long retryAfterSeconds = 1;
    double errorRate;
    double hangRate;
    long hangMaxMillis = 300_000;
    double cutRate;
    int cutAfterChunks = 3;

    Settings copy() {
      Settings copy = new Settings();
      copy.latencyMillis = latencyMillis;
      copy.latencySpreadMillis = latencySpreadMillis;
      copy.chunkDelayMillis = chunkDelayMillis;
      copy.verbosity = verbosity;
      copy.repetitionRate = repetitionRate;
      copy.refusalRate = refusalRate;
      copy.emptyRate = emptyRate;
      copy.rateLimitRate = rateLimitRate;
      copy.retryAfterSeconds = retryAfterSeconds;
      copy.errorRate = errorRate;
      copy.hangRate = hangRate;
      copy.hangMaxMillis = hangMaxMillis;
      copy.cutRate = cutRate;
      copy.cutAfterChunks = cutAfterChunks;
      return copy;
    }
  }
}
