package dev.taskmaster.agent.metrics;

import dev.taskmaster.agent.export.TextBuffer;
import dev.taskmaster.agent.export.TextFamilies;
import io.prometheus.metrics.config.PrometheusProperties;
import io.prometheus.metrics.core.datapoints.GaugeDataPoint;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * The agent's Prometheus metrics, in a registry of its own (an application's default registry is
 * never touched). Every name starts with the configured prefix; the names below assume the default
 * prefix {@code taskmaster}.
 *
 * <ul>
 *   <li>{@code taskmaster_requests_total{endpoint,model,status}}: model calls by outcome;
 *   <li>{@code taskmaster_request_latency_seconds{endpoint,model}}: call duration;
 *   <li>{@code taskmaster_tokens_input_total}, {@code taskmaster_tokens_output_total}: tokens the
 *       server reported;
 *   <li>{@code taskmaster_tokens_missing_total{endpoint,model,direction}}: successful calls whose
 *       token count could not be read (nothing is invented for them);
 *   <li>{@code taskmaster_response_length_chars{endpoint,model}}: length of the response text;
 *   <li>{@code taskmaster_model_loaded{model}}: 1 after a success, 0 after consecutive failures;
 *   <li>{@code taskmaster_last_successful_request_timestamp_seconds{endpoint,model}};
 *   <li>{@code taskmaster_agent_errors_total{component}}: failures the agent swallowed;
 *   <li>{@code taskmaster_agent_info{service,version}}: always 1.
 * </ul>
 */
public final class LlmMetrics {

  /** Upper bounds of the latency histogram, in seconds. */
  public static final double[] LATENCY_BUCKETS = {0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120};

  /** Upper bounds of the time-to-first-token histogram, in seconds. */
  public static final double[] TIME_TO_FIRST_TOKEN_BUCKETS = {
    0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30
  };

  /** Upper bounds of the output rate histogram, in tokens per second. */
  public static final double[] TOKENS_PER_SECOND_BUCKETS = {1, 5, 10, 20, 50, 100, 200, 500, 1000};

  /** Upper bounds of the response length histogram, in characters. */
  public static final double[] RESPONSE_LENGTH_BUCKETS = {50, 100, 200, 500, 1000, 2000, 5000};

  private final PrometheusRegistry registry = new PrometheusRegistry();
  private final Gauge modelLoaded;
  private final Counter agentErrors;
  private final Counter errors;
  private final Histogram timeToFirstToken;
  private final Histogram outputTokensPerSecond;
  private final Counter responsesNotParsed;
  private final ModelLabelLimiter models;
  private final int failuresBeforeDown;
  private final ConcurrentHashMap<String, ConcurrentHashMap<String, CallSeries>> seriesByEndpoint =
      new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, ModelHealth> healthByModel = new ConcurrentHashMap<>();
  private final ConcurrentLinkedQueue<CallSeries> allSeries = new ConcurrentLinkedQueue<>();
  private final SeriesExposition seriesExposition;

  /**
   * @param prefix metric name prefix, without a trailing underscore
   * @param failuresBeforeDown consecutive failed calls after which a model counts as down
   */
  public LlmMetrics(
      String prefix,
      ModelLabelLimiter models,
      int failuresBeforeDown,
      String serviceName,
      String agentVersion) {
    this.models = models;
    this.failuresBeforeDown = failuresBeforeDown;
    // Explicit, empty properties: an application's prometheus.properties must not change ours.
    PrometheusProperties properties = PrometheusProperties.builder().build();
    // The per-series families are our own counters, written straight to /metrics (see
    // SeriesExposition); the rest are the client library's.
    seriesExposition = new SeriesExposition(prefix, () -> allSeries);
    FastMetrics.of(registry).add(seriesExposition);
    modelLoaded =
        Gauge.builder(properties)
            .name(prefix + "_model_loaded")
            .help("1 when the model answered its last call, 0 after consecutive failures.")
            .labelNames("model")
            .withoutExemplars()
            .register(registry);
    agentErrors =
        Counter.builder(properties)
            .name(prefix + "_agent_errors")
            .help("Failures inside the agent that it swallowed, by component.")
            .labelNames("component")
            .withoutExemplars()
            .register(registry);
    errors =
        Counter.builder(properties)
            .name(prefix + "_errors")
            .help(
                "Failed model calls by kind: http_4xx, http_5xx, rate_limited, timeout,"
                    + " connection, parse, exception.")
            .labelNames("endpoint", "model", "kind")
            .withoutExemplars()
            .register(registry);
    timeToFirstToken =
        Histogram.builder(properties)
            .name(prefix + "_time_to_first_token_seconds")
            .help("Time from the request to the first token of a streamed response, in seconds.")
            .labelNames("endpoint", "model")
            .classicOnly()
            .classicUpperBounds(TIME_TO_FIRST_TOKEN_BUCKETS)
            .withoutExemplars()
            .register(registry);
    outputTokensPerSecond =
        Histogram.builder(properties)
            .name(prefix + "_output_tokens_per_second")
            .help("Output tokens per second of a streamed response, after its first token.")
            .labelNames("endpoint", "model")
            .classicOnly()
            .classicUpperBounds(TOKENS_PER_SECOND_BUCKETS)
            .withoutExemplars()
            .register(registry);
    responsesNotParsed =
        Counter.builder(properties)
            .name(prefix + "_responses_not_parsed")
            .help(
                "Recognised model calls whose response body the agent did not read, by reason:"
                    + " too_large, unreadable.")
            .labelNames("endpoint", "reason")
            .withoutExemplars()
            .register(registry);
    Gauge info =
        Gauge.builder(properties)
            .name(prefix + "_agent_info")
            .help("Information about the agent; the value is always 1.")
            .labelNames("service", "version")
            .register(registry);
    info.labelValues(serviceName, agentVersion).set(1);
    agentErrors.labelValues("advice").inc(0);
  }

  /**
   * The per-series families ({@code requests}, latency, tokens, response length, last success),
   * which {@code /metrics} writes straight from their counters; also in {@link #registry()}.
   */
  public TextFamilies seriesFamilies() {
    return seriesExposition;
  }

  /** The registry the exporter serves. */
  public PrometheusRegistry registry() {
    return registry;
  }

  /** The series of one endpoint and (raw, unlimited) model name. */
  public CallSeries series(String endpoint, String model) {
    String label = models.label(model);
    ConcurrentHashMap<String, CallSeries> byModel = seriesByEndpoint.get(endpoint);
    if (byModel == null) {
      byModel = seriesByEndpoint.computeIfAbsent(endpoint, e -> new ConcurrentHashMap<>());
    }
    CallSeries series = byModel.get(label);
    if (series == null) {
      ConcurrentHashMap<String, CallSeries> models = byModel;
      series =
          models.computeIfAbsent(
              label,
              m -> {
                CallSeries created = new CallSeries(endpoint, m);
                allSeries.add(created);
                return created;
              });
    }
    return series;
  }

  /** Counts a recognised call whose response body was not read. */
  public void responseNotParsed(String endpoint, String reason) {
    responsesNotParsed.labelValues(endpoint, reason).inc();
  }

  /**
   * Applies a health probe's result to {@code model_loaded}: to the probed model when one is named,
   * else to every model seen so far ({@code unknown} when none has been seen yet).
   */
  public void probeResult(String probedModel, boolean up) {
    if (probedModel != null) {
      modelLoaded.labelValues(models.label(probedModel)).set(up ? 1 : 0);
      return;
    }
    if (healthByModel.isEmpty()) {
      modelLoaded.labelValues(ModelLabelLimiter.UNKNOWN).set(up ? 1 : 0);
      return;
    }
    for (ModelHealth health : healthByModel.values()) {
      health.loaded.set(up ? 1 : 0);
    }
  }

  /** Counts a failure that the agent swallowed. */
  public void agentError(String component) {
    agentErrors.labelValues(component).inc();
  }

  /** The data points of one {@code endpoint} and {@code model} label pair, looked up once. */
  public final class CallSeries {
    // Package-private: SeriesExposition reads them at scrape time.
    final LongAdder success = new LongAdder();
    final LongAdder error = new LongAdder();
    final LongAdder cancelled = new LongAdder();
    volatile boolean anyCancelled;
    final String endpoint;
    final SeriesHistogram latencySeconds = new SeriesHistogram(LATENCY_BUCKETS);
    final LongAdder inputTokens = new LongAdder();
    final LongAdder outputTokens = new LongAdder();
    final LongAdder inputMissing = new LongAdder();
    final LongAdder outputMissing = new LongAdder();
    final SeriesHistogram responseChars = new SeriesHistogram(RESPONSE_LENGTH_BUCKETS);
    volatile double lastSuccessSeconds;
    final String model;
    final byte[] labelText;
    // The text of the last scrape's values, reused while they have not changed.
    volatile TextBuffer.FormattedDouble lastSuccessText;
    volatile TextBuffer.FormattedDouble latencySumText;
    volatile TextBuffer.FormattedDouble responseCharsSumText;
    private final ModelHealth health;

    private CallSeries(String endpoint, String model) {
      this.model = model;
      this.endpoint = endpoint;
      byte[] e = TextBuffer.escapeLabelValue(endpoint);
      byte[] m = TextBuffer.escapeLabelValue(model);
      TextBuffer labels = new TextBuffer(e.length + m.length + 20);
      labels.appendAscii("endpoint=\"").append(e).appendAscii("\",model=\"").append(m).append('"');
      labelText = labels.toByteArray();
      health = healthByModel.computeIfAbsent(model, ModelHealth::new);
    }

    /** The {@code model} label value of this series. */
    public String model() {
      return model;
    }

    /** Records a call that returned; tokens and response are recorded apart. */
    public void recordSuccess(long durationNanos) {
      success.increment();
      latencySeconds.observe(durationNanos / 1e9);
      lastSuccessSeconds = System.currentTimeMillis() / 1000.0;
      health.succeeded();
    }

    /**
     * Records the token counts the server reported for one successful call; a negative count is
     * absent and counts as missing instead.
     */
    public void recordTokens(long inputTokenCount, long outputTokenCount) {
      if (inputTokenCount >= 0) {
        inputTokens.add(inputTokenCount);
      } else {
        inputMissing.increment();
      }
      if (outputTokenCount >= 0) {
        outputTokens.add(outputTokenCount);
      } else {
        outputMissing.increment();
      }
    }

    /** Records the length of one response's text. */
    public void recordResponseLength(int chars) {
      responseChars.observe(chars);
    }

    /** Records the time to the first token of a streamed response. */
    public void recordTimeToFirstToken(long nanos) {
      timeToFirstToken.labelValues(endpoint, model).observe(nanos / 1e9);
    }

    /** Records the output rate of one streamed response. */
    public void recordOutputTokensPerSecond(double rate) {
      outputTokensPerSecond.labelValues(endpoint, model).observe(rate);
    }

    /** Counts an error by kind: http_4xx, http_5xx, rate_limited, timeout, connection, parse. */
    public void recordErrorKind(String kind) {
      errors.labelValues(endpoint, model, kind).inc();
    }

    /** Records a call that failed. */
    public void recordError(long durationNanos) {
      error.increment();
      latencySeconds.observe(durationNanos / 1e9);
      health.failed();
    }

    /** Records a call that the application cancelled or abandoned. */
    public void recordCancelled(long durationNanos) {
      // Shown from the first cancelled call on, as with the client library's counters: only
      // streaming calls can be cancelled, and rarely are.
      cancelled.increment();
      anyCancelled = true;
      latencySeconds.observe(durationNanos / 1e9);
    }
  }

  /** Up or down, per model: up after a success, down after consecutive failures. */
  private final class ModelHealth {
    private final GaugeDataPoint loaded;
    private final AtomicInteger consecutiveFailures = new AtomicInteger();

    private ModelHealth(String model) {
      loaded = modelLoaded.labelValues(model);
    }

    void succeeded() {
      consecutiveFailures.set(0);
      loaded.set(1);
    }

    void failed() {
      if (consecutiveFailures.incrementAndGet() >= failuresBeforeDown) {
        loaded.set(0);
      }
    }
  }
}
