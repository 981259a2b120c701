package dev.taskmaster.agent.core;

/**
 * Receives every finished model call on the agent's background thread, never on the application's
 * thread. Implementations may take their time, but must not block for long: calls queue up behind
 * them and are dropped (and counted) when the queue is full.
 */
public interface CallListener {

  /** Processes one finished call. Exceptions are caught and counted by the caller. */
  void onCall(ModelCall call);
}
