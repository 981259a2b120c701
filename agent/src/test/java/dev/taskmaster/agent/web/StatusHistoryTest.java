package dev.taskmaster.agent.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.gson.stream.JsonWriter;
import dev.taskmaster.agent.core.ModelCall;
import java.io.IOException;
import java.io.StringWriter;
import java.math.BigDecimal;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class StatusHistoryTest {

  private static final long T0 = 1_767_225_600_000L;

  private final AtomicLong clock = new AtomicLong(T0);
  private double quality = Double.NaN;
  private final StatusHistory history =
      new StatusHistory(
          clock::get,
          call -> call.model.equals("priced") ? new BigDecimal("0.001") : null,
          () -> new StatusHistory.Sample(quality, Double.NaN, Map.of("latency", 0.25)));

  private static ModelCall call(String status, double seconds, long ttftMillis) {
    return ModelCall.builder("chat", "priced", status)
        .requestId("id-" + seconds)
        .durationNanos((long) (seconds * 1e9))
        .timeToFirstTokenNanos(ttftMillis < 0 ? -1 : ttftMillis * 1_000_000)
        .inputTokens(10)
        .outputTokens(30)
        .build();
  }

  private JsonObject series() throws IOException {
    StringWriter text = new StringWriter();
    JsonWriter json = new JsonWriter(text);
    json.setSerializeNulls(true);
    json.beginObject();
    history.writeSeries(json);
    json.endObject();
    json.flush();
    return JsonParser.parseString(text.toString()).getAsJsonObject();
  }

  @Test
  void ratesQuantilesTokensAndCostPerSlotWithTheOpenSlotLast() throws Exception {
    for (int i = 1; i <= 100; i++) {
      history.onCall(call(i % 10 == 0 ? ModelCall.ERROR : ModelCall.SUCCESS, i / 100.0, 5));
    }
    clock.addAndGet(StatusHistory.SLOT_MILLIS);
    history.onCall(call(ModelCall.SUCCESS, 0.2, -1));
    quality = 0.8;
    clock.addAndGet(500);

    JsonObject series = series();

    JsonArray timestamps = series.getAsJsonArray("timestamps");
    assertEquals(2, timestamps.size());
    assertEquals(T0 / 1000, timestamps.get(0).getAsLong());
    JsonObject requests = series.getAsJsonObject("requests");
    assertEquals(45.0, requests.getAsJsonArray("success").get(0).getAsDouble(), "90 in 2 s");
    assertEquals(5.0, requests.getAsJsonArray("error").get(0).getAsDouble());
    assertEquals(1.0, requests.getAsJsonArray("success").get(1).getAsDouble(), "1 in 0.5 s (1 s)");
    double p50 =
        series.getAsJsonObject("latency_seconds").getAsJsonArray("p50").get(0).getAsDouble();
    double p99 =
        series.getAsJsonObject("latency_seconds").getAsJsonArray("p99").get(0).getAsDouble();
    assertEquals(0.50, p50, 0.50 * 0.05);
    assertEquals(0.99, p99, 0.99 * 0.05);
    assertEquals(
        0.005,
        series.getAsJsonObject("ttft_seconds").getAsJsonArray("p95").get(0).getAsDouble(),
        0.005 * 0.05);
    assertTrue(series.getAsJsonObject("ttft_seconds").getAsJsonArray("p95").get(1).isJsonNull());
    assertEquals(
        1500.0,
        series.getAsJsonObject("tokens_per_second").getAsJsonArray("output").get(0).getAsDouble());
    assertEquals(180.0, series.getAsJsonArray("cost_usd_per_hour").get(0).getAsDouble(), 1e-9);
    assertTrue(series.getAsJsonObject("scores").getAsJsonArray("quality").get(0).isJsonNull());
    assertEquals(
        0.8, series.getAsJsonObject("scores").getAsJsonArray("quality").get(1).getAsDouble());
    assertEquals(
        0.25,
        series.getAsJsonObject("drift_scores").getAsJsonArray("latency").get(0).getAsDouble());
  }

  @Test
  void silenceBecomesEmptySlotsAndTheHistoryStaysBounded() throws Exception {
    history.onCall(call(ModelCall.SUCCESS, 0.1, -1));
    clock.addAndGet(StatusHistory.SLOT_MILLIS * 10);
    assertEquals(11, series().getAsJsonArray("timestamps").size());

    clock.addAndGet(StatusHistory.SLOT_MILLIS * (StatusHistory.SLOTS * 3L));
    history.tick();
    JsonArray timestamps = series().getAsJsonArray("timestamps");
    assertEquals(StatusHistory.SLOTS, timestamps.size());
    assertEquals(clock.get() / 1000, timestamps.get(timestamps.size() - 1).getAsLong());
  }

  @Test
  void keepsTheLastTwentyCallsNewestFirstWithoutContent() throws Exception {
    for (int i = 0; i < 25; i++) {
      history.onCall(
          ModelCall.builder("chat", "priced", ModelCall.SUCCESS)
              .requestId("call-" + i)
              .prompt("secret prompt")
              .response("secret answer")
              .durationNanos(1_000_000)
              .build());
    }
    StringWriter text = new StringWriter();
    JsonWriter json = new JsonWriter(text);
    json.setSerializeNulls(true);
    history.writeRecent(json);
    json.flush();

    JsonArray recent = JsonParser.parseString(text.toString()).getAsJsonArray();
    assertEquals(StatusHistory.RECENT, recent.size());
    assertEquals("call-24", recent.get(0).getAsJsonObject().get("request_id").getAsString());
    assertEquals(0.001, recent.get(0).getAsJsonObject().get("cost_usd").getAsDouble());
    assertTrue(!text.toString().contains("secret"), text.toString());
  }

  @Test
  void quantileSketchIsWithinItsBucketWidth() {
    QuantileSketch sketch = new QuantileSketch();
    assertTrue(Double.isNaN(sketch.quantile(0.5)));
    for (int i = 1; i <= 1000; i++) {
      sketch.add(i / 1000.0);
    }
    assertEquals(0.5, sketch.quantile(0.5), 0.5 * 0.045);
    assertEquals(0.95, sketch.quantile(0.95), 0.95 * 0.045);
    assertEquals(0.001, sketch.quantile(0.001), 0.001 * 0.045);
  }
}
