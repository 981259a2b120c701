package dev.taskmaster.agent.web;

import com.sun.net.httpserver.HttpHandler;
import dev.taskmaster.agent.alerting.Alert;
import dev.taskmaster.agent.core.CallListener;
import dev.taskmaster.agent.core.ModelCall;
import dev.taskmaster.agent.drift.DriftSignal;
import dev.taskmaster.agent.feedback.FeedbackService;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * The agent's web surface put together: the status page with its data, {@code /health}, {@code POST
 * /feedback} and {@code POST /drift/relearn}, behind one {@link HttpHandler} that the exporter
 * serves on its port.
 *
 * <pre>{@code
 * AgentWeb web = AgentWeb.builder(registry, "taskmaster")
 *     .service("checkout", "0.1.0", startMillis)
 *     .cost(costs::costOf)
 *     .feedback(feedbackService)
 *     .alerts(() -> alerting.engine().alerts())
 *     .build();
 * web.callListener().ifPresent(pipeline::addListener);
 * HTTPServer.builder()...defaultHandler(web.handler())...
 * }</pre>
 */
public final class AgentWeb {

  private final StatusHistory history;
  private final WebRouter router;

  private AgentWeb(Builder b) {
    GaugeReader gauges = new GaugeReader(b.registry, b.prefix);
    StatusReport status = null;
    if (b.statusEnabled) {
      FeedbackService feedback = b.feedback;
      history = new StatusHistory(b.clock, b.cost, () -> StatusReport.sample(gauges, feedback));
      if (feedback != null) {
        feedback.addListener(history);
      }
      status =
          new StatusReport(
              b.service, b.version, b.startMillis, b.clock, history, gauges, feedback, b.alerts);
    } else {
      history = null;
    }
    HealthReport health =
        new HealthReport(
            b.service,
            b.version,
            b.startMillis,
            b.clock,
            b.httpRecognition,
            b.httpClients,
            b.interceptions,
            gauges);
    router =
        new WebRouter(
            status,
            health,
            b.feedback == null ? null : new FeedbackEndpoint(b.feedback),
            b.relearn == null ? null : new DriftRelearnEndpoint(b.relearn, b.relearnToken),
            b.failures);
  }

  /**
   * Starts describing an agent's web surface.
   *
   * @param prefix metric name prefix, without a trailing underscore
   */
  public static Builder builder(PrometheusRegistry registry, String prefix) {
    return new Builder(registry, prefix);
  }

  /** Serves every path but {@code /metrics}. */
  public HttpHandler handler() {
    return router;
  }

  /** The status page's history, to add to the call pipeline; {@code null} when the page is off. */
  public CallListener callListener() {
    return history;
  }

  /** Describes an {@link AgentWeb}. */
  public static final class Builder {
    private final PrometheusRegistry registry;
    private final String prefix;
    private String service = "taskmaster";
    private String version = "dev";
    private long startMillis = System.currentTimeMillis();
    private LongSupplier clock = System::currentTimeMillis;
    private Function<ModelCall, BigDecimal> cost;
    private FeedbackService feedback;
    private Supplier<List<Alert>> alerts = List::of;
    private Consumer<DriftSignal> relearn;
    private String relearnToken;
    private boolean statusEnabled = true;
    private boolean httpRecognition;
    private List<String> httpClients = List.of();
    private final List<HealthReport.Interception> interceptions = new ArrayList<>();
    private Consumer<Throwable> failures = failure -> {};

    private Builder(PrometheusRegistry registry, String prefix) {
      this.registry = registry;
      this.prefix = prefix;
    }

    /** The service name, the agent's version and when it started (Unix milliseconds). */
    public Builder service(String name, String agentVersion, long startedMillis) {
      service = name;
      version = agentVersion;
      startMillis = startedMillis;
      return this;
    }

    /** Unix milliseconds; the system clock by default. */
    public Builder clock(LongSupplier value) {
      clock = value;
      return this;
    }

    /** The cost of a call ({@code null} when unknown); none by default. */
    public Builder cost(Function<ModelCall, BigDecimal> value) {
      cost = value;
      return this;
    }

    /** The feedback loop behind {@code POST /feedback}; none (a 404) by default. */
    public Builder feedback(FeedbackService value) {
      feedback = value;
      return this;
    }

    /**
     * Serves {@code POST /drift/relearn}, which hands {@code relearn} the signal to learn again
     * ({@code null} for all) after checking {@code token} ({@code null}: none asked for); a 404 by
     * default.
     */
    public Builder driftRelearn(Consumer<DriftSignal> value, String token) {
      relearn = value;
      relearnToken = token;
      return this;
    }

    /** Every registered rule's alert; none by default. */
    public Builder alerts(Supplier<List<Alert>> value) {
      alerts = value;
      return this;
    }

    /** {@code status.enabled}; true by default. */
    public Builder statusEnabled(boolean value) {
      statusEnabled = value;
      return this;
    }

    /** Whether HTTP recognition is on, and for which clients. */
    public Builder httpRecognition(boolean enabled, List<String> clients) {
      httpRecognition = enabled;
      httpClients = List.copyOf(clients);
      return this;
    }

    /** Adds a configured interception to {@code /health}. */
    public Builder interception(HealthReport.Interception value) {
      interceptions.add(value);
      return this;
    }

    /** Counts an exception while answering a request. */
    public Builder failures(Consumer<Throwable> value) {
      failures = value;
      return this;
    }

    public AgentWeb build() {
      return new AgentWeb(this);
    }
  }
}
