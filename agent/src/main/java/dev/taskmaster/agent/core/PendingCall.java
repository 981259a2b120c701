package dev.taskmaster.agent.core;

/**
 * A finished call whose description may still need work that must not happen on the application's
 * thread (parsing a response body, for example). The pipeline's background thread completes it.
 */
public interface PendingCall {

  /** Does the remaining work and returns the call's description, or {@code null} to drop it. */
  ModelCall describe();
}
