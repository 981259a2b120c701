package dev.taskmaster.agent.feedback;

import dev.taskmaster.agent.core.CallListener;
import dev.taskmaster.agent.core.ModelCall;
import dev.taskmaster.agent.logging.LogLine;
import dev.taskmaster.agent.logging.Redactor;
import dev.taskmaster.agent.logging.StructuredLog;
import io.prometheus.metrics.config.PrometheusProperties;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * The user-feedback loop: remembers the ids of recent calls, accepts one feedback score per call,
 * and exports:
 *
 * <ul>
 *   <li>{@code taskmaster_feedback_total{endpoint,model,verdict}}: accepted feedback, {@code
 *       positive} (score above 0.5), {@code neutral} (0.5) or {@code negative};
 *   <li>{@code taskmaster_user_satisfaction{endpoint,model}}: the mean score over {@code
 *       feedback.window}, present once the window holds {@code feedback.min-count} scores;
 *   <li>{@code taskmaster_feedback_rejected_total{reason}}: feedback turned away, by reason.
 * </ul>
 *
 * <p>Each accepted feedback is one {@code feedback} line of the structured log, with the call's
 * {@code request_id}, so that it joins the call's {@code request} line.
 *
 * <p>Threads: calls arrive on the agent's background call thread ({@link #onCall}). Feedback is
 * handed to that same thread ({@code inOrderWithCalls}) and the sender waits for the answer: a
 * feedback sent right after its call is then applied after that call was remembered, although both
 * travel through the queue. Listeners run on that thread too.
 */
public final class FeedbackService implements CallListener {

  /** {@code event_type} of a feedback log line. */
  public static final String FEEDBACK_EVENT = "feedback";

  /** How long a sender waits for the background thread before being told to retry. */
  static final long WAIT_MILLIS = 2_000;

  /** Receives every accepted feedback, on the agent's background call thread. */
  @FunctionalInterface
  public interface Listener {
    void onFeedback(Accepted feedback);
  }

  /** An accepted feedback, joined to its call. */
  public static final class Accepted {
    public final String requestId;
    public final String endpoint;
    public final String model;
    public final double score;
    public final Verdict verdict;
    public final long epochMillis;

    /** When the call ended, Unix milliseconds. */
    public final long callEndMillis;

    Accepted(
        String requestId,
        String endpoint,
        String model,
        double score,
        long epochMillis,
        long callEndMillis) {
      this.requestId = requestId;
      this.endpoint = endpoint;
      this.model = model;
      this.score = score;
      this.verdict = Verdict.of(score);
      this.epochMillis = epochMillis;
      this.callEndMillis = callEndMillis;
    }
  }

  /** The satisfaction of one endpoint and model. */
  public static final class Satisfaction {
    public final String endpoint;
    public final String model;

    /** The mean score in the window, NaN below {@code feedback.min-count} scores. */
    public final double mean;

    /** The sum of the scores in the window. */
    public final double sum;

    /** Scores in the window. */
    public final long count;

    Satisfaction(String endpoint, String model, double mean, double sum, long count) {
      this.endpoint = endpoint;
      this.model = model;
      this.mean = mean;
      this.sum = sum;
      this.count = count;
    }
  }

  private final FeedbackSettings settings;
  private final StructuredLog log;
  private final Redactor redactor;
  private final Consumer<Runnable> inOrderWithCalls;
  private final LongSupplier clock;
  private final Consumer<Throwable> failures;
  private final RecentCalls recent;
  private final Counter accepted;
  private final Counter rejected;
  private final Map<List<String>, SatisfactionWindow> windows = new ConcurrentHashMap<>();
  private final List<Listener> listeners = new CopyOnWriteArrayList<>();

  /**
   * @param prefix metric name prefix, without a trailing underscore
   * @param log where feedback lines go
   * @param redactor applied to comments before they are logged
   * @param inOrderWithCalls runs a task on the thread that runs {@link #onCall}, after the calls
   *     already queued there
   * @param clock Unix milliseconds
   * @param failures counts an exception thrown by a listener
   */
  public FeedbackService(
      FeedbackSettings settings,
      PrometheusRegistry registry,
      String prefix,
      StructuredLog log,
      Redactor redactor,
      Consumer<Runnable> inOrderWithCalls,
      LongSupplier clock,
      Consumer<Throwable> failures) {
    this.settings = settings;
    this.log = log;
    this.redactor = redactor;
    this.inOrderWithCalls = inOrderWithCalls;
    this.clock = clock;
    this.failures = failures;
    this.recent = new RecentCalls(settings.maxCalls());
    PrometheusProperties properties = PrometheusProperties.builder().build();
    accepted =
        Counter.builder(properties)
            .name(prefix + "_feedback")
            .help(
                "User feedback accepted by POST /feedback, by verdict: positive, neutral, negative.")
            .labelNames("endpoint", "model", "verdict")
            .withoutExemplars()
            .register(registry);
    rejected =
        Counter.builder(properties)
            .name(prefix + "_feedback_rejected")
            .help("Feedback that POST /feedback turned away, by reason; nothing was recorded.")
            .labelNames("reason")
            .withoutExemplars()
            .register(registry);
    GaugeWithCallback.builder(properties)
        .name(prefix + "_user_satisfaction")
        .help(
            "Mean user feedback score (0 bad to 1 good) over feedback.window; present once the"
                + " window holds feedback.min-count scores.")
        .labelNames("endpoint", "model")
        .callback(
            callback -> {
              for (Satisfaction s : satisfaction()) {
                if (!Double.isNaN(s.mean)) {
                  callback.call(s.mean, s.endpoint, s.model);
                }
              }
            })
        .register(registry);
  }

  public FeedbackSettings settings() {
    return settings;
  }

  /** Adds a listener for accepted feedback. */
  public void addListener(Listener listener) {
    listeners.add(listener);
  }

  @Override
  public void onCall(ModelCall call) {
    long endMillis = call.startEpochMillis + call.durationNanos / 1_000_000;
    recent.remember(call.requestId, new RecentCalls.Call(call.endpoint, call.model, endMillis));
  }

  /**
   * Applies one feedback and returns it joined to its call; waits for the agent's background
   * thread, at most a few seconds. Callable from any thread.
   *
   * @throws FeedbackRejected 404 for an id the agent does not remember, 410 for one older than
   *     {@code feedback.max-age}, 409 when the call already has feedback, 503 when the background
   *     thread did not answer in time (nothing was recorded; retry)
   */
  public Accepted submit(FeedbackRequest request) throws FeedbackRejected {
    Handoff handoff = new Handoff();
    inOrderWithCalls.accept(() -> handoff.run(() -> apply(request)));
    return handoff.await();
  }

  /** Counts a feedback turned away before it reached {@link #submit}, such as malformed JSON. */
  public void countRejected(String reason) {
    rejected.labelValues(reason).inc();
  }

  /** Satisfaction per endpoint and model that has had feedback, in no particular order. */
  public List<Satisfaction> satisfaction() {
    long now = clock.getAsLong();
    List<Satisfaction> all = new ArrayList<>();
    windows.forEach(
        (labels, window) -> {
          double[] totals = window.totals(now);
          long count = (long) totals[1];
          double mean = count == 0 || count < settings.minCount() ? Double.NaN : totals[0] / count;
          all.add(new Satisfaction(labels.get(0), labels.get(1), mean, totals[0], count));
        });
    return all;
  }

  /** The lowest satisfaction among the series with enough feedback, or NaN when none has. */
  public double lowestSatisfaction() {
    double lowest = Double.NaN;
    for (Satisfaction s : satisfaction()) {
      if (!Double.isNaN(s.mean) && !(s.mean >= lowest)) {
        lowest = s.mean;
      }
    }
    return lowest;
  }

  /** Runs on the background call thread. */
  private Accepted apply(FeedbackRequest request) throws FeedbackRejected {
    long now = clock.getAsLong();
    RecentCalls.Call call = recent.find(request.requestId());
    if (call == null) {
      throw rejection(
          404,
          "unknown_request_id",
          "request_id \""
              + request.requestId()
              + "\" is not a call the agent remembers: it keeps the ids of the last "
              + settings.maxCalls()
              + " calls (feedback.max-calls), as logged in request_id");
    }
    if (now - call.endMillis > settings.maxAge().toMillis()) {
      throw rejection(
          410,
          "expired_request_id",
          "request_id \""
              + request.requestId()
              + "\" is older than feedback.max-age ("
              + settings.maxAge()
              + ")");
    }
    if (call.feedbackReceived) {
      throw rejection(
          409,
          "duplicate_feedback",
          "request_id \"" + request.requestId() + "\" already has feedback; one is accepted");
    }
    call.feedbackReceived = true;
    Accepted feedback =
        new Accepted(
            request.requestId(), call.endpoint, call.model, request.score(), now, call.endMillis);
    accepted.labelValues(call.endpoint, call.model, feedback.verdict.label()).inc();
    windows
        .computeIfAbsent(
            List.of(call.endpoint, call.model),
            labels -> new SatisfactionWindow(settings.window().toMillis()))
        .add(now, request.score());
    log.emit(line(feedback, request.comment()));
    for (Listener listener : listeners) {
      try {
        listener.onFeedback(feedback);
      } catch (RuntimeException failure) {
        failures.accept(failure);
      }
    }
    return feedback;
  }

  private LogLine line(Accepted feedback, String comment) {
    String score = String.format(Locale.ROOT, "%.2f", feedback.score);
    LogLine line =
        log.event(
                feedback.epochMillis,
                FEEDBACK_EVENT,
                StructuredLog.INFO,
                "feedback "
                    + score
                    + " ("
                    + feedback.verdict.label()
                    + ") on a "
                    + feedback.endpoint
                    + " call to "
                    + feedback.model)
            .put("request_id", feedback.requestId)
            .put("endpoint", feedback.endpoint)
            .put("model", feedback.model)
            .put("score", feedback.score)
            .put("verdict", feedback.verdict.label())
            .put("comment", comment == null ? null : redactor.redact(comment))
            .put("delay_ms", Math.max(0, feedback.epochMillis - feedback.callEndMillis));
    return line;
  }

  private FeedbackRejected rejection(int status, String reason, String message) {
    rejected.labelValues(reason).inc();
    return new FeedbackRejected(status, reason, message);
  }

  /** A task that either runs in full or is called off, never half: no answer, no record. */
  private final class Handoff {
    private boolean started;
    private boolean calledOff;
    private boolean done;
    private Accepted result;
    private FeedbackRejected rejection;
    private RuntimeException failure;

    void run(Work work) {
      synchronized (this) {
        if (calledOff) {
          return;
        }
        started = true;
      }
      Accepted value = null;
      FeedbackRejected rejected = null;
      RuntimeException unexpected = null;
      try {
        value = work.apply();
      } catch (FeedbackRejected r) {
        rejected = r;
      } catch (RuntimeException e) {
        unexpected = e;
      }
      synchronized (this) {
        result = value;
        rejection = rejected;
        failure = unexpected;
        done = true;
        notifyAll();
      }
    }

    synchronized Accepted await() throws FeedbackRejected {
      long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(WAIT_MILLIS);
      try {
        while (!done) {
          long left = deadline - System.nanoTime();
          if (left <= 0 && !started) {
            calledOff = true;
            throw rejection(
                503,
                "busy",
                "the agent did not get to this feedback in time (its queue is full or slow);"
                    + " nothing was recorded: send it again");
          }
          // Once started, the work is short: wait for it rather than leave it half told.
          TimeUnit.NANOSECONDS.timedWait(this, Math.max(left, TimeUnit.MILLISECONDS.toNanos(10)));
        }
      } catch (InterruptedException interrupted) {
        Thread.currentThread().interrupt();
        if (!started) {
          calledOff = true;
        }
        throw new FeedbackRejected(503, "busy", "interrupted; send the feedback again");
      }
      if (failure != null) {
        throw failure;
      }
      if (rejection != null) {
        throw rejection;
      }
      return result;
    }
  }

  @FunctionalInterface
  private interface Work {
    Accepted apply() throws FeedbackRejected;
  }

  /** The ids of recent calls, oldest first; the oldest is forgotten when full. */
  static final class RecentCalls {
    private final int capacity;
    private final LinkedHashMap<String, Call> calls;

    RecentCalls(int capacity) {
      this.capacity = capacity;
      this.calls =
          new LinkedHashMap<>(16, 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Call> eldest) {
              return size() > RecentCalls.this.capacity;
            }
          };
    }

    synchronized void remember(String requestId, Call call) {
      if (requestId != null) {
        calls.put(requestId, call);
      }
    }

    synchronized Call find(String requestId) {
      return calls.get(requestId);
    }

    synchronized int size() {
      return calls.size();
    }

    /** What feedback needs of a call; written only on the background call thread. */
    static final class Call {
      final String endpoint;
      final String model;
      final long endMillis;
      boolean feedbackReceived;

      Call(String endpoint, String model, long endMillis) {
        this.endpoint = endpoint;
        this.model = model;
        this.endMillis = endMillis;
      }
    }
  }
}
