package dev.taskmaster.agent.alerting;

import dev.taskmaster.agent.util.DaemonThreadFactory;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Evaluates alert rules inside the JVM, on a schedule of its own daemon thread, over the agent's
 * own recent data (no PromQL engine). A rule whose condition holds becomes pending; it fires once
 * the condition has held for the rule's duration, and resolves at the first evaluation where it no
 * longer holds. Each rule's state is exported as {@code taskmaster_alert_state}; transitions to
 * firing and resolved go to every {@link AlertNotifier}.
 *
 * <p>More rules can be added at any time by registering a definition with its condition:
 *
 * <pre>{@code
 * AlertEngine engine = new AlertEngine(settings, metrics, Clock.systemUTC(), failures);
 * TaskMasterRules.register(engine, settings, prefix, window, availability, quality);
 * engine.register(driftRule, now -> drift.result(now));
 * engine.addNotifier(new LogNotifier(structuredLog));
 * engine.start();
 * }</pre>
 */
public final class AlertEngine {

  private final AlertSettings settings;
  private final AlertMetrics metrics;
  private final Clock clock;
  private final Consumer<Throwable> failures;
  private final List<RuleState> rules = new CopyOnWriteArrayList<>();
  private final List<AlertNotifier> notifiers = new CopyOnWriteArrayList<>();
  private final String serviceName;
  private Map<String, String> commonLabels;
  private ScheduledExecutorService scheduler;

  /**
   * @param serviceName the {@code service} label of every alert
   * @param clock the time rules are evaluated at; tests pass one they move by hand
   * @param failures counts an exception of a condition or notifier, which is otherwise ignored
   */
  public AlertEngine(
      AlertSettings settings,
      AlertMetrics metrics,
      String serviceName,
      Clock clock,
      Consumer<Throwable> failures) {
    this.settings = settings;
    this.metrics = metrics;
    this.serviceName = serviceName;
    this.clock = clock;
    this.failures = failures;
  }

  /**
   * Adds a rule, evaluated from the next round on, unless {@code alerting.disabled} names it.
   *
   * @return whether the rule was added
   * @throws IllegalArgumentException when a rule of the same name is already registered
   */
  public boolean register(AlertRule rule, AlertCondition condition) {
    if (settings.disabledRules().contains(rule.name())) {
      return false;
    }
    synchronized (this) {
      for (RuleState existing : rules) {
        if (existing.rule.name().equals(rule.name())) {
          throw new IllegalArgumentException("alert rule " + rule.name() + " registered twice");
        }
      }
      rules.add(new RuleState(rule, condition));
    }
    metrics.state(rule, AlertState.INACTIVE);
    return true;
  }

  /** Adds a notifier; it hears of transitions from the next evaluation on. */
  public void addNotifier(AlertNotifier notifier) {
    notifiers.add(notifier);
  }

  /** Starts evaluating every {@code alerting.interval} on a daemon thread. */
  public synchronized void start() {
    if (scheduler != null) {
      return;
    }
    scheduler =
        Executors.newSingleThreadScheduledExecutor(new DaemonThreadFactory("taskmaster-alerts"));
    long intervalMillis = settings.interval().toMillis();
    scheduler.scheduleWithFixedDelay(
        this::evaluateSafely, intervalMillis, intervalMillis, TimeUnit.MILLISECONDS);
  }

  /** Stops evaluating and closes the notifiers, giving their queues at most {@code timeout}. */
  public void stop(Duration timeout) {
    synchronized (this) {
      if (scheduler != null) {
        scheduler.shutdownNow();
        scheduler = null;
      }
    }
    long deadline = System.nanoTime() + timeout.toNanos();
    for (AlertNotifier notifier : notifiers) {
      try {
        notifier.close(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
      } catch (RuntimeException failure) {
        failures.accept(failure);
      }
    }
  }

  /** One evaluation round, at the clock's current time; the scheduler calls it, tests too. */
  public synchronized void evaluate() {
    Instant now = clock.instant();
    List<Alert> transitions = new ArrayList<>();
    for (RuleState state : rules) {
      AlertCondition.Result result;
      try {
        result = state.condition.evaluate(now);
      } catch (RuntimeException failure) {
        failures.accept(failure);
        continue;
      }
      if (state.step(result, now)) {
        transitions.add(state.alert());
      }
      metrics.state(state.rule, state.state);
    }
    List<Alert> active = alerts(false);
    for (AlertNotifier notifier : notifiers) {
      try {
        for (Alert alert : transitions) {
          notifier.notify(alert);
        }
        notifier.evaluated(active, now);
      } catch (RuntimeException failure) {
        failures.accept(failure);
      }
    }
  }

  /** Every registered rule's current alert, including inactive and pending ones. */
  public synchronized List<Alert> alerts() {
    return alerts(true);
  }

  /** The current alert of one rule, or {@code null} when no rule has that name. */
  public synchronized Alert alert(String ruleName) {
    for (RuleState state : rules) {
      if (state.rule.name().equals(ruleName)) {
        return state.alert();
      }
    }
    return null;
  }

  private List<Alert> alerts(boolean all) {
    List<Alert> result = new ArrayList<>();
    for (RuleState state : rules) {
      if (all || state.state == AlertState.FIRING || state.state == AlertState.RESOLVED) {
        result.add(state.alert());
      }
    }
    return result;
  }

  private void evaluateSafely() {
    try {
      evaluate();
    } catch (Throwable failure) {
      // A scheduled task that throws is never run again: keep the schedule alive.
      failures.accept(failure);
    }
  }

  private Map<String, String> commonLabels() {
    if (commonLabels == null) {
      Map<String, String> labels = new TreeMap<>();
      labels.put("service", serviceName);
      labels.put("instance", settings.instance() != null ? settings.instance() : hostName());
      labels.putAll(settings.labels());
      commonLabels = labels;
    }
    return commonLabels;
  }

  /** Looked up on the engine's thread, never at start-up: a slow resolver must not delay it. */
  private static String hostName() {
    String fromEnvironment = System.getenv("HOSTNAME");
    if (fromEnvironment != null && !fromEnvironment.isEmpty()) {
      return fromEnvironment;
    }
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (Exception unknown) {
      return "localhost";
    }
  }

  /** One rule and where it stands. Guarded by the engine's lock. */
  private final class RuleState {
    final AlertRule rule;
    final AlertCondition condition;
    AlertState state = AlertState.INACTIVE;
    double value = Double.NaN;
    Instant activeAt;
    Instant firedAt;
    Instant resolvedAt;

    RuleState(AlertRule rule, AlertCondition condition) {
      this.rule = rule;
      this.condition = condition;
    }

    /** Moves the state on; returns whether the alert started firing or resolved. */
    boolean step(AlertCondition.Result result, Instant now) {
      value = result.value();
      if (result.holds()) {
        if (state == AlertState.INACTIVE || state == AlertState.RESOLVED) {
          state = AlertState.PENDING;
          activeAt = now;
          firedAt = null;
          resolvedAt = null;
        }
        if (state == AlertState.PENDING && !now.isBefore(activeAt.plus(rule.forDuration()))) {
          state = AlertState.FIRING;
          firedAt = now;
          return true;
        }
        return false;
      }
      if (state == AlertState.PENDING) {
        state = AlertState.INACTIVE;
        activeAt = null;
      } else if (state == AlertState.FIRING) {
        state = AlertState.RESOLVED;
        resolvedAt = now;
        return true;
      }
      return false;
    }

    Alert alert() {
      Map<String, String> labels = new LinkedHashMap<>();
      labels.put("alertname", rule.name());
      labels.put("severity", rule.severity().label());
      Map<String, String> others = new TreeMap<>(commonLabels());
      others.putAll(rule.labels());
      labels.putAll(others);
      Map<String, String> annotations = new LinkedHashMap<>();
      annotations.put("summary", rule.summary());
      annotations.put("description", rule.description());
      annotations.put("runbook", rule.runbook());
      String shown = rule.valueFormat().format(value);
      if (shown != null) {
        annotations.put("value", shown);
      }
      return new Alert(rule, state, labels, annotations, value, activeAt, firedAt, resolvedAt);
    }
  }
}
