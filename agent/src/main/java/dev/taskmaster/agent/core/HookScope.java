package dev.taskmaster.agent.core;

/** One instrumented client-library call in progress, as returned by {@link ClientHook#enter}. */
public abstract class HookScope {

  /**
   * Returns what the instrumented method should use instead of one of its arguments; by default the
   * argument itself.
   */
  public Object replaceArgument(Object original) {
    return original;
  }

  /** The instrumented method returned {@code returned} or threw {@code thrown}. */
  public abstract void exit(Object returned, Throwable thrown);
}
