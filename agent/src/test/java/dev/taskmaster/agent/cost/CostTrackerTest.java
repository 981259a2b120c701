package dev.taskmaster.agent.cost;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.taskmaster.agent.core.ModelCall;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

class CostTrackerTest {

  private final PrometheusRegistry registry = new PrometheusRegistry();
  private final CostTracker costs = new CostTracker(PriceTable.defaults(), registry, "taskmaster");

  private static ModelCall call(String endpoint, String model, long in, long out, long cached) {
    return ModelCall.builder(endpoint, model, ModelCall.SUCCESS)
        .inputTokens(in)
        .outputTokens(out)
        .cachedInputTokens(cached)
        .build();
  }

  @Test
  void aCallIsPricedOnceForItsLineItsTotalAndOtherAskers() {
    ModelCall call = call("chat", "gpt-4o-mini", 1234, 567, -1);
    BigDecimal cost = costs.costOf(call);

    costs.onCall(call);
    assertSame(cost, costs.costOf(call));
    // An equal call is another call: priced again, to the same amount.
    BigDecimal again = costs.costOf(call("chat", "gpt-4o-mini", 1234, 567, -1));
    assertNotSame(cost, again);
    assertEquals(0, new BigDecimal("0.0005253").compareTo(again));
    costs.onCall(call("chat", "gpt-4o-mini", 1234, 567, -1));
    assertEquals(0.0010506, costs.totalDollars());
  }

  @Test
  void sevenCallsCostExactlySevenTimesOneCall() {
    for (int i = 0; i < 7; i++) {
      costs.onCall(call("chat", "gpt-4o-mini", 1234, 567, -1));
    }

    // 7 * (1234 * 0.15 + 567 * 0.60) / 1e6; a sum of doubles would end in ...0000002.
    assertEquals(
        0.0036771,
        Scrape.value(
            registry, "taskmaster_cost_usd_total{endpoint=\"chat\",model=\"gpt-4o-mini\"}"));
    assertEquals(0.0036771, costs.totalDollars());
  }

  @Test
  void costsAreKeptPerEndpointAndModelWithCachedInputAtItsRate() {
    costs.onCall(call("chat", "gpt-4o-mini-2024-07-18", 1000, 100, 400));
    costs.onCall(call("chat", "gpt-4o-mini-2024-07-18", 1000, 100, 400));
    costs.onCall(call("ollama_chat", "llama3.2", 50_000, 9_000, -1));

    assertEquals(
        0.00036,
        Scrape.value(
            registry,
            "taskmaster_cost_usd_total{endpoint=\"chat\",model=\"gpt-4o-mini-2024-07-18\"}"));
    assertEquals(
        0.0,
        Scrape.value(
            registry, "taskmaster_cost_usd_total{endpoint=\"ollama_chat\",model=\"llama3.2\"}"));
  }

  @Test
  void aModelWithoutAPriceIsCountedAndNotGuessed() {
    costs.onCall(call("chat", "mystery-model", 100, 10, -1));
    costs.onCall(call("chat", "mystery-model", 100, 10, -1));
    costs.onCall(call("chat", "other", 100, 10, -1));
    costs.onCall(call("chat", "gpt-4o-mini", -1, -1, -1));

    assertEquals(
        2.0,
        Scrape.value(registry, "taskmaster_cost_unpriced_calls_total{model=\"mystery-model\"}"));
    assertEquals(
        1.0, Scrape.value(registry, "taskmaster_cost_unpriced_calls_total{model=\"other\"}"));
    assertFalse(Scrape.has(registry, "taskmaster_cost_usd_total{"), Scrape.text(registry));
    assertFalse(
        Scrape.has(registry, "taskmaster_cost_unpriced_calls_total{model=\"gpt-4o-mini\"}"),
        "a call without token counts is neither priced nor unpriced");
    assertNull(costs.costOf(call("chat", "mystery-model", 100, 10, -1)));
  }

  @Test
  void failedCallsThatReportedTokensArePricedToo() {
    costs.onCall(ModelCall.builder("chat", "gpt-4o", ModelCall.ERROR).inputTokens(2000).build());

    assertEquals(0, new BigDecimal("0.005").compareTo(BigDecimal.valueOf(costs.totalDollars())));
  }
}
