package dev.taskmaster.agent.core;

import java.io.OutputStream;

/**
 * What the agent does when an instrumented client-library method (an HTTP client's send, for
 * example) is entered: it decides whether the call is a model call, and if so returns a {@link
 * HookScope} that follows it.
 */
public interface ClientHook {

  /**
   * @return a scope, or {@code null} when this call is not followed
   */
  HookScope enter(Object self, Object argument0, Object argument1);

  /**
   * A stream this hook follows was read or closed; see {@link
   * dev.taskmaster.agent.bootstrap.CallDispatcher#streamEvent}. Ignored by default.
   */
  default void streamEvent(
      Object stream, Object target, int offset, long count, Throwable thrown) {}

  /**
   * Where the {@code count} bytes a read of a followed stream just produced are to be copied; see
   * {@link dev.taskmaster.agent.bootstrap.CallDispatcher#streamOutput}. {@code null} by default.
   */
  default OutputStream streamOutput(Object stream, long count) {
    return null;
  }
}
