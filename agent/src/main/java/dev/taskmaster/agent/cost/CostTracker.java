package dev.taskmaster.agent.cost;

import dev.taskmaster.agent.core.CallListener;
import dev.taskmaster.agent.core.ModelCall;
import dev.taskmaster.agent.logging.CallLogFields;
import dev.taskmaster.agent.logging.LogLine;
import io.prometheus.metrics.config.PrometheusProperties;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.math.BigDecimal;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Prices every finished call by the tokens its server reported, and exports:
 *
 * <ul>
 *   <li>{@code taskmaster_cost_usd_total{endpoint,model}}: the cost in US dollars;
 *   <li>{@code taskmaster_cost_unpriced_calls_total{model}}: calls that reported tokens to a model
 *       the price table has no price for; they add nothing to the cost, nothing is guessed.
 * </ul>
 *
 * <p>Costs add up exactly (as decimals) and are rounded to a double only when exported, so that N
 * calls cost exactly N times one call. A call without any token count costs nothing and is not
 * counted here: {@code taskmaster_tokens_missing_total} counts it. Also puts {@code cost_usd} on
 * the call's {@code request} log line. A call is priced once, whichever asks first: the log line,
 * {@link #onCall} or {@link #costOf} (the status page).
 *
 * <p>{@link #onCall} runs on the agent's background thread; the rest is thread-safe.
 */
public final class CostTracker implements CallListener, CallLogFields {

  private final PriceTable prices;
  private final Counter unpriced;
  private final Map<String, Map<String, Total>> totals = new ConcurrentHashMap<>();
  private final Total overall = new Total();

  /** The last call priced, recognised by identity; kept until the next one is. */
  private volatile Priced lastPriced;

  /**
   * @param prefix metric name prefix, without a trailing underscore
   */
  public CostTracker(PriceTable prices, PrometheusRegistry registry, String prefix) {
    this.prices = prices;
    PrometheusProperties properties = PrometheusProperties.builder().build();
    CounterWithCallback.builder(properties)
        .name(prefix + "_cost_usd")
        .help("Cost of model calls in US dollars, from the tokens reported and the price table.")
        .labelNames("endpoint", "model")
        .callback(
            callback ->
                totals.forEach(
                    (endpoint, byModel) ->
                        byModel.forEach(
                            (model, total) -> callback.call(total.dollars(), endpoint, model))))
        .register(registry);
    unpriced =
        Counter.builder(properties)
            .name(prefix + "_cost_unpriced_calls")
            .help(
                "Model calls that reported tokens to a model without a price (see"
                    + " cost.prices.file); their cost is not counted.")
            .labelNames("model")
            .withoutExemplars()
            .register(registry);
  }

  @Override
  public void onCall(ModelCall call) {
    if (!hasTokens(call)) {
      return;
    }
    BigDecimal cost = costOf(call);
    if (cost == null) {
      unpriced.labelValues(call.model).inc();
      return;
    }
    totals
        .computeIfAbsent(call.endpoint, endpoint -> new ConcurrentHashMap<>())
        .computeIfAbsent(call.model, model -> new Total())
        .add(cost);
    overall.add(cost);
  }

  /** Puts {@code cost_usd}: null when the call has no token count or its model no price. */
  @Override
  public void addTo(ModelCall call, LogLine line) {
    BigDecimal cost = costOf(call);
    if (cost == null) {
      line.put("cost_usd", (String) null);
    } else {
      line.put("cost_usd", cost.doubleValue());
    }
  }

  /**
   * The exact cost of one call, or {@code null} when it reported no token count or its model has no
   * price.
   */
  public BigDecimal costOf(ModelCall call) {
    if (!hasTokens(call)) {
      return null;
    }
    // The log line, this tracker and the status page all ask for the call at hand: priced once.
    Priced last = lastPriced;
    if (last != null && last.call == call) {
      return last.cost;
    }
    ModelPrice price = prices.price(call.model);
    BigDecimal cost =
        price == null
            ? null
            : price.cost(call.inputTokens, call.outputTokens, call.cachedInputTokens);
    lastPriced = new Priced(call, cost);
    return cost;
  }

  /** The cost of every call so far, in US dollars. */
  public double totalDollars() {
    return overall.dollars();
  }

  /** The price table in use. */
  public PriceTable prices() {
    return prices;
  }

  private static boolean hasTokens(ModelCall call) {
    return call.inputTokens >= 0 || call.outputTokens >= 0;
  }

  /** The cost of one call; immutable, so that any thread may read the last one. */
  private static final class Priced {
    final ModelCall call;
    final BigDecimal cost;

    Priced(ModelCall call, BigDecimal cost) {
      this.call = call;
      this.cost = cost;
    }
  }

  /** An exact running sum; written by the background thread, read by scrapes. */
  private static final class Total {
    private BigDecimal sum = BigDecimal.ZERO;

    synchronized void add(BigDecimal cost) {
      sum = sum.add(cost);
    }

    synchronized double dollars() {
      return sum.doubleValue();
    }
  }
}
