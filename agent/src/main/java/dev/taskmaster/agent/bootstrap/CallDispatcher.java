package dev.taskmaster.agent.bootstrap;

import java.io.OutputStream;

/**
 * What instrumented code calls into. Implemented by the agent; reached from any class loader
 * through {@link TaskMasterBridge}, which lives in the bootstrap class loader.
 *
 * <p>Only JDK types appear in this interface, so that the bootstrap class loader can define it.
 */
public interface CallDispatcher {

  /**
   * A configured method was entered.
   *
   * @return a scope handed back to {@link #exitMethod}, or {@code null} when this call is not
   *     recorded (for example because an outer call on the same thread already records it)
   */
  Object enterMethod(int interceptionId, Object self, Object[] arguments);

  /** The configured method entered with {@code scope} returned or threw. */
  void exitMethod(Object scope, Object returned, Throwable thrown);

  /**
   * A method of a client library that the agent instruments by itself (an HTTP client) was entered.
   *
   * @param hook which instrumentation, one of the agent's hook ids
   * @return a scope handed back to {@link #replaceArgument} and {@link #exitHook}, or {@code null}
   */
  Object enterHook(int hook, Object self, Object argument0, Object argument1);

  /**
   * Returns what the instrumented method should use instead of {@code original}, one of its
   * arguments (for example a response handler that also feeds the agent); {@code original} itself
   * when nothing is to change.
   */
  Object replaceArgument(Object scope, Object original);

  /** The instrumented client method entered with {@code scope} returned or threw. */
  void exitHook(Object scope, Object returned, Throwable thrown);

  /**
   * Something happened to a stream the agent follows (a response body the application reads): a
   * read, its end, or a close. Unlike {@link #enterHook}, this is delivered whatever is being
   * recorded on the thread, because the call the stream belongs to was started elsewhere.
   *
   * @param hook which instrumentation, one of the agent's hook ids
   * @param stream the instrumented object (the stream or source)
   * @param target what the read wrote to (an array or a buffer), or {@code null}
   * @param offset where in {@code target} the read began, or a value the hook defines
   * @param count what the read returned (bytes, -1 at the end), or a value the hook defines
   * @param thrown what the instrumented method threw, or {@code null}
   */
  void streamEvent(
      int hook, Object stream, Object target, int offset, long count, Throwable thrown);

  /**
   * A followed stream's read just appended {@code count} bytes to a buffer that instrumented code
   * can copy from without reflection (it links against the client library's own types).
   *
   * @param hook which instrumentation, one of the agent's hook ids
   * @param stream the instrumented object (the stream or source)
   * @param count how many bytes the read appended, more than 0
   * @return where instrumented code is to copy those bytes, or {@code null} when the stream is not
   *     followed
   */
  OutputStream streamOutput(int hook, Object stream, long count);

  /** Advice code failed; the failure was swallowed and must be counted. */
  void adviceFailed(Throwable failure);
}
