package dev.taskmaster.agent.core;

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
}
