package dev.taskmaster.agent.web;

import com.google.gson.stream.JsonWriter;
import dev.taskmaster.agent.core.CallListener;
import dev.taskmaster.agent.core.ModelCall;
import dev.taskmaster.agent.feedback.FeedbackService;
import java.io.IOException;
import java.math.BigDecimal;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * The recent past for the status page, in memory and bounded: one slot per {@value #SLOT_MILLIS} ms
 * for the last {@value #SLOTS} slots (ten minutes), each with its calls by status, latency and
 * time-to-first-token quantiles, tokens, cost, feedback, and the quality, satisfaction and drift
 * scores sampled as it closed; and the last {@value #RECENT} calls, metadata only.
 *
 * <p>Calls and feedback arrive on the agent's background call thread, {@link #tick} on a timer,
 * {@link #writeSeries} and {@link #writeRecent} on the HTTP server's thread: every method locks.
 */
public final class StatusHistory implements CallListener, FeedbackService.Listener {

  static final long SLOT_MILLIS = 2_000;
  static final int SLOTS = 300;
  static final int RECENT = 20;

  /** The scores sampled as a slot closes; NaN where there is none. */
  public static final class Sample {
    final double quality;
    final double satisfaction;
    final Map<String, Double> driftScores;

    public Sample(double quality, double satisfaction, Map<String, Double> driftScores) {
      this.quality = quality;
      this.satisfaction = satisfaction;
      this.driftScores = driftScores;
    }

    static Sample none() {
      return new Sample(Double.NaN, Double.NaN, Map.of());
    }
  }

  private final LongSupplier clock;
  private final Function<ModelCall, BigDecimal> cost;
  private final Supplier<Sample> sampler;
  private final Deque<Slot> closed = new ArrayDeque<>();
  private final Deque<Recent> recent = new ArrayDeque<>();
  private final QuantileSketch latency = new QuantileSketch();
  private final QuantileSketch timeToFirstToken = new QuantileSketch();
  private final List<String> driftSignals = new ArrayList<>();
  private Slot open;

  /**
   * @param clock Unix milliseconds
   * @param cost the cost of a call, {@code null} when unknown; or {@code null} for no costs
   * @param sampler reads the scores as a slot closes; called under this object's lock
   */
  public StatusHistory(
      LongSupplier clock, Function<ModelCall, BigDecimal> cost, Supplier<Sample> sampler) {
    this.clock = clock;
    this.cost = cost;
    this.sampler = sampler;
  }

  @Override
  public synchronized void onCall(ModelCall call) {
    long now = clock.getAsLong();
    Slot slot = roll(now);
    switch (call.status) {
      case ModelCall.SUCCESS:
        slot.success++;
        break;
      case ModelCall.ERROR:
        slot.error++;
        break;
      default:
        slot.cancelled++;
    }
    latency.add(call.durationNanos / 1e9);
    if (call.timeToFirstTokenNanos >= 0) {
      timeToFirstToken.add(call.timeToFirstTokenNanos / 1e9);
    }
    slot.inputTokens += Math.max(0, call.inputTokens);
    slot.outputTokens += Math.max(0, call.outputTokens);
    BigDecimal callCost = cost == null ? null : cost.apply(call);
    if (callCost != null) {
      slot.cost += callCost.doubleValue();
    }
    recent.addFirst(new Recent(call, now, callCost == null ? Double.NaN : callCost.doubleValue()));
    while (recent.size() > RECENT) {
      recent.removeLast();
    }
  }

  @Override
  public synchronized void onFeedback(FeedbackService.Accepted feedback) {
    Slot slot = roll(clock.getAsLong());
    slot.feedback++;
    for (Recent call : recent) {
      if (call.requestId.equals(feedback.requestId)) {
        call.verdict = feedback.verdict.label();
      }
    }
  }

  /** Closes the slots whose time is over; called every second by the status timer. */
  public synchronized void tick() {
    roll(clock.getAsLong());
  }

  /**
   * Writes the series: {@code timestamps} (slot starts, Unix seconds) and one array per quantity,
   * the last element for the slot still open. Rates are per second; a quantity without data in a
   * slot is {@code null}.
   */
  public synchronized void writeSeries(JsonWriter json) throws IOException {
    long now = clock.getAsLong();
    Slot current = roll(now);
    current.latencyP50 = latency.quantile(0.5);
    current.latencyP95 = latency.quantile(0.95);
    current.latencyP99 = latency.quantile(0.99);
    current.ttftP50 = timeToFirstToken.quantile(0.5);
    current.ttftP95 = timeToFirstToken.quantile(0.95);
    current.sample = sample();
    List<Slot> slots = new ArrayList<>(closed);
    slots.add(current);
    double[] seconds = new double[slots.size()];
    for (int i = 0; i < slots.size(); i++) {
      Slot slot = slots.get(i);
      long end = slot == current ? now : slot.start + SLOT_MILLIS;
      seconds[i] = Math.max(1.0, (end - slot.start) / 1000.0);
    }
    json.name("resolution_seconds").value(SLOT_MILLIS / 1000);
    json.name("timestamps").beginArray();
    for (Slot slot : slots) {
      json.value(slot.start / 1000);
    }
    json.endArray();
    json.name("requests").beginObject();
    rates(json, "success", slots, seconds, s -> s.success);
    rates(json, "error", slots, seconds, s -> s.error);
    rates(json, "cancelled", slots, seconds, s -> s.cancelled);
    json.endObject();
    json.name("latency_seconds").beginObject();
    values(json, "p50", slots, s -> s.latencyP50);
    values(json, "p95", slots, s -> s.latencyP95);
    values(json, "p99", slots, s -> s.latencyP99);
    json.endObject();
    json.name("ttft_seconds").beginObject();
    values(json, "p50", slots, s -> s.ttftP50);
    values(json, "p95", slots, s -> s.ttftP95);
    json.endObject();
    json.name("tokens_per_second").beginObject();
    rates(json, "input", slots, seconds, s -> s.inputTokens);
    rates(json, "output", slots, seconds, s -> s.outputTokens);
    json.endObject();
    json.name("cost_usd_per_hour").beginArray();
    for (int i = 0; i < slots.size(); i++) {
      number(json, slots.get(i).cost / seconds[i] * 3600);
    }
    json.endArray();
    json.name("scores").beginObject();
    values(json, "quality", slots, s -> s.sample.quality);
    values(json, "satisfaction", slots, s -> s.sample.satisfaction);
    json.endObject();
    json.name("feedback_per_minute").beginArray();
    for (int i = 0; i < slots.size(); i++) {
      number(json, slots.get(i).feedback / seconds[i] * 60);
    }
    json.endArray();
    json.name("drift_scores").beginObject();
    for (String signal : driftSignals) {
      values(json, signal, slots, s -> s.sample.driftScores.getOrDefault(signal, Double.NaN));
    }
    json.endObject();
  }

  /** Writes the last calls, newest first, as an array of objects: metadata, never content. */
  public synchronized void writeRecent(JsonWriter json) throws IOException {
    json.beginArray();
    for (Recent call : recent) {
      json.beginObject();
      json.name("time").value(call.seenMillis);
      json.name("request_id").value(call.requestId);
      json.name("endpoint").value(call.endpoint);
      json.name("model").value(call.model);
      json.name("status").value(call.status);
      json.name("latency_ms").value(Math.round(call.latencyMillis * 10) / 10.0);
      json.name("ttft_ms");
      if (call.ttftMillis >= 0) {
        json.value(Math.round(call.ttftMillis * 10) / 10.0);
      } else {
        json.nullValue();
      }
      count(json.name("tokens_in"), call.inputTokens);
      count(json.name("tokens_out"), call.outputTokens);
      json.name("cost_usd");
      number(json, call.costUsd);
      json.name("error_kind").value(call.errorKind);
      json.name("feedback").value(call.verdict);
      json.endObject();
    }
    json.endArray();
  }

  /** The open slot at {@code now}, after closing the ones before it. */
  private Slot roll(long now) {
    long start = Math.floorDiv(now, SLOT_MILLIS) * SLOT_MILLIS;
    if (open == null) {
      open = new Slot(start);
      return open;
    }
    if (start <= open.start) {
      return open;
    }
    close(open);
    long next = open.start + SLOT_MILLIS;
    if (start - next > SLOTS * SLOT_MILLIS) {
      next = start - SLOTS * SLOT_MILLIS;
    }
    Sample quiet = null;
    for (; next < start; next += SLOT_MILLIS) {
      Slot empty = new Slot(next);
      // One sample serves every slot of a silence: nothing that the scores follow happened.
      empty.sample = quiet != null ? quiet : (quiet = sample());
      keep(empty);
    }
    open = new Slot(start);
    return open;
  }

  private void close(Slot slot) {
    slot.latencyP50 = latency.quantile(0.5);
    slot.latencyP95 = latency.quantile(0.95);
    slot.latencyP99 = latency.quantile(0.99);
    slot.ttftP50 = timeToFirstToken.quantile(0.5);
    slot.ttftP95 = timeToFirstToken.quantile(0.95);
    latency.clear();
    timeToFirstToken.clear();
    slot.sample = sample();
    keep(slot);
  }

  private Sample sample() {
    Sample sample;
    try {
      sample = sampler.get();
    } catch (RuntimeException failure) {
      sample = Sample.none();
    }
    noteSignals(sample);
    return sample;
  }

  private void noteSignals(Sample sample) {
    for (String signal : sample.driftScores.keySet()) {
      if (!driftSignals.contains(signal)) {
        driftSignals.add(signal);
        Collections.sort(driftSignals);
      }
    }
  }

  private void keep(Slot slot) {
    closed.addLast(slot);
    while (closed.size() >= SLOTS) {
      closed.removeFirst();
    }
  }

  private interface SlotValue {
    double of(Slot slot);
  }

  private static void rates(
      JsonWriter json, String name, List<Slot> slots, double[] seconds, SlotValue value)
      throws IOException {
    json.name(name).beginArray();
    for (int i = 0; i < slots.size(); i++) {
      number(json, value.of(slots.get(i)) / seconds[i]);
    }
    json.endArray();
  }

  private static void values(JsonWriter json, String name, List<Slot> slots, SlotValue value)
      throws IOException {
    json.name(name).beginArray();
    for (Slot slot : slots) {
      number(json, value.of(slot));
    }
    json.endArray();
  }

  /** Six significant digits are plenty for a chart, and keep the answer small. */
  static void number(JsonWriter json, double value) throws IOException {
    if (!Double.isFinite(value)) {
      json.nullValue();
    } else if (value == 0) {
      json.value(0);
    } else {
      double scale = Math.pow(10, 5 - Math.floor(Math.log10(Math.abs(value))));
      double rounded = Math.round(value * scale) / scale;
      json.value(Double.isFinite(rounded) ? rounded : value);
    }
  }

  private static void count(JsonWriter json, long value) throws IOException {
    if (value >= 0) {
      json.value(value);
    } else {
      json.nullValue();
    }
  }

  /** One time slot. */
  private static final class Slot {
    final long start;
    long success;
    long error;
    long cancelled;
    long inputTokens;
    long outputTokens;
    long feedback;
    double cost;
    double latencyP50 = Double.NaN;
    double latencyP95 = Double.NaN;
    double latencyP99 = Double.NaN;
    double ttftP50 = Double.NaN;
    double ttftP95 = Double.NaN;
    Sample sample = Sample.none();

    Slot(long start) {
      this.start = start;
    }
  }

  /** The metadata of one recent call. */
  private static final class Recent {
    final long seenMillis;
    final String requestId;
    final String endpoint;
    final String model;
    final String status;
    final double latencyMillis;
    final double ttftMillis;
    final long inputTokens;
    final long outputTokens;
    final double costUsd;
    final String errorKind;
    String verdict;

    Recent(ModelCall call, long seenMillis, double costUsd) {
      this.seenMillis = seenMillis;
      this.requestId = call.requestId;
      this.endpoint = call.endpoint;
      this.model = call.model;
      this.status = call.status;
      this.latencyMillis = call.durationNanos / 1e6;
      this.ttftMillis = call.timeToFirstTokenNanos < 0 ? -1 : call.timeToFirstTokenNanos / 1e6;
      this.inputTokens = call.inputTokens;
      this.outputTokens = call.outputTokens;
      this.costUsd = costUsd;
      this.errorKind = call.errorKind;
    }
  }
}
