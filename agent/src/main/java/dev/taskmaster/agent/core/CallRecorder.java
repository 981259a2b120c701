package dev.taskmaster.agent.core;

import dev.taskmaster.agent.bootstrap.CallDispatcher;
import dev.taskmaster.agent.config.InterceptionSpec;
import dev.taskmaster.agent.metrics.LlmMetrics;
import dev.taskmaster.agent.util.AgentLog;
import java.io.OutputStream;
import java.util.List;
import java.util.function.Supplier;

/**
 * Receives every intercepted call from the bridge and records it. Only the outermost intercepted
 * call on a thread is recorded: a configured method that calls another one (an overload that
 * delegates, a wrapper around a client) counts once.
 */
public final class CallRecorder implements CallDispatcher {

  /** How many client hooks can be registered; hook ids are below this. */
  public static final int MAX_HOOKS = 32;

  private final ConfiguredInterception[] interceptions;
  private final Supplier<LlmMetrics> metrics;
  private final CallPipeline pipeline;
  private final ThreadLocal<MethodCallScope> active = new ThreadLocal<>();
  private final ClientHook[] hooks = new ClientHook[MAX_HOOKS];

  /**
   * @param specs the interceptions, indexed by id; {@code null} for a disabled one
   * @param metrics the metrics, created on first use
   * @param pipeline where finished calls go for background processing
   */
  public CallRecorder(
      List<InterceptionSpec> specs, Supplier<LlmMetrics> metrics, CallPipeline pipeline) {
    this.pipeline = pipeline;
    this.interceptions = new ConfiguredInterception[specs.size()];
    for (int id = 0; id < specs.size(); id++) {
      InterceptionSpec spec = specs.get(id);
      interceptions[id] = spec == null ? null : new ConfiguredInterception(spec);
    }
    this.metrics = metrics;
  }

  @Override
  public Object enterMethod(int interceptionId, Object self, Object[] arguments) {
    if (active.get() != null
        || interceptionId < 0
        || interceptionId >= interceptions.length
        || interceptions[interceptionId] == null) {
      return null;
    }
    MethodCallScope scope =
        new MethodCallScope(
            interceptions[interceptionId],
            self,
            arguments,
            System.currentTimeMillis(),
            System.nanoTime());
    active.set(scope);
    return scope;
  }

  @Override
  public void exitMethod(Object scope, Object returned, Throwable thrown) {
    if (!(scope instanceof MethodCallScope)) {
      return;
    }
    MethodCallScope call = (MethodCallScope) scope;
    long durationNanos = System.nanoTime() - call.startNanos;
    active.remove();
    ConfiguredInterception interception = call.interception;
    LlmMetrics.CallSeries series =
        metrics.get().series(interception.endpoint, interception.model(call));
    ModelCall.Builder finished;
    if (thrown != null) {
      series.recordError(durationNanos);
      series.recordErrorKind("exception");
      finished =
          ModelCall.builder(interception.endpoint, series.model(), ModelCall.ERROR)
              .error("exception", thrown.getClass().getName());
    } else {
      String response = interception.response(call, returned);
      long inputTokens = interception.inputTokens(call, returned);
      long outputTokens = interception.outputTokens(call, returned);
      series.recordSuccess(durationNanos);
      series.recordTokens(inputTokens, outputTokens);
      if (response != null) {
        series.recordResponseLength(response.length());
      }
      finished =
          ModelCall.builder(interception.endpoint, series.model(), ModelCall.SUCCESS)
              .response(response)
              .inputTokens(inputTokens)
              .outputTokens(outputTokens)
              .cachedInputTokens(interception.cachedInputTokens(call, returned))
              .requestId(interception.requestId(call, returned));
    }
    pipeline.submit(
        finished
            .prompt(interception.prompt(call))
            .startEpochMillis(call.startEpochMillis)
            .durationNanos(durationNanos)
            .build());
  }

  /** Registers what runs when the client method instrumented under {@code hookId} is entered. */
  public void registerHook(int hookId, ClientHook hook) {
    hooks[hookId] = hook;
  }

  /**
   * Returns whether a configured method is being recorded on this thread: a client call made inside
   * it is part of that call, not a call of its own.
   */
  public boolean insideRecordedCall() {
    return active.get() != null;
  }

  @Override
  public Object enterHook(int hookId, Object self, Object argument0, Object argument1) {
    if (hookId < 0 || hookId >= MAX_HOOKS || active.get() != null) {
      return null;
    }
    ClientHook hook = hooks[hookId];
    return hook == null ? null : hook.enter(self, argument0, argument1);
  }

  @Override
  public Object replaceArgument(Object scope, Object original) {
    return scope instanceof HookScope ? ((HookScope) scope).replaceArgument(original) : original;
  }

  @Override
  public void exitHook(Object scope, Object returned, Throwable thrown) {
    if (scope instanceof HookScope) {
      ((HookScope) scope).exit(returned, thrown);
    }
  }

  @Override
  public void streamEvent(
      int hookId, Object stream, Object target, int offset, long count, Throwable thrown) {
    if (hookId < 0 || hookId >= MAX_HOOKS) {
      return;
    }
    ClientHook hook = hooks[hookId];
    if (hook != null) {
      hook.streamEvent(stream, target, offset, count, thrown);
    }
  }

  @Override
  public OutputStream streamOutput(int hookId, Object stream, long count) {
    if (hookId < 0 || hookId >= MAX_HOOKS) {
      return null;
    }
    ClientHook hook = hooks[hookId];
    return hook == null ? null : hook.streamOutput(stream, count);
  }

  @Override
  public void adviceFailed(Throwable failure) {
    AgentLog.debug("advice failed: " + failure);
    metrics.get().agentError("advice");
  }
}
