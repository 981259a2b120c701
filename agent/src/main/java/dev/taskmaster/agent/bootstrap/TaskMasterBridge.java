package dev.taskmaster.agent.bootstrap;

import java.io.OutputStream;

/**
 * The only class that instrumented code refers to. The agent defines it in the bootstrap class
 * loader so that it resolves from every class loader, JDK classes included, and then installs its
 * {@link CallDispatcher}. Every method catches everything: nothing reaches the application.
 */
public final class TaskMasterBridge {

  private static volatile CallDispatcher dispatcher;

  private TaskMasterBridge() {}

  /** Installs the dispatcher that receives every intercepted call from now on. */
  public static void install(CallDispatcher callDispatcher) {
    dispatcher = callDispatcher;
  }

  /** Returns whether a dispatcher is installed (used to make a second attach harmless). */
  public static boolean isInstalled() {
    return dispatcher != null;
  }

  /** Called on entry of a configured method. */
  public static Object enterMethod(int interceptionId, Object self, Object[] arguments) {
    CallDispatcher current = dispatcher;
    if (current == null) {
      return null;
    }
    try {
      return current.enterMethod(interceptionId, self, arguments);
    } catch (Throwable failure) {
      reportFailure(current, failure);
      return null;
    }
  }

  /** Called on exit of a configured method, whether it returned or threw. */
  public static void exitMethod(Object scope, Object returned, Throwable thrown) {
    if (scope == null) {
      return;
    }
    CallDispatcher current = dispatcher;
    if (current == null) {
      return;
    }
    try {
      current.exitMethod(scope, returned, thrown);
    } catch (Throwable failure) {
      reportFailure(current, failure);
    }
  }

  /** Called on entry of an instrumented client-library method. */
  public static Object enterHook(int hook, Object self, Object argument0, Object argument1) {
    CallDispatcher current = dispatcher;
    if (current == null) {
      return null;
    }
    try {
      return current.enterHook(hook, self, argument0, argument1);
    } catch (Throwable failure) {
      reportFailure(current, failure);
      return null;
    }
  }

  /**
   * Returns the argument an instrumented method should use instead of {@code original}: {@code
   * original} itself unless the agent has something to put in its place.
   */
  public static Object replaceArgument(Object scope, Object original) {
    if (scope == null) {
      return original;
    }
    CallDispatcher current = dispatcher;
    if (current == null) {
      return original;
    }
    try {
      return current.replaceArgument(scope, original);
    } catch (Throwable failure) {
      reportFailure(current, failure);
      return original;
    }
  }

  /** Called on exit of an instrumented client-library method, whether it returned or threw. */
  public static void exitHook(Object scope, Object returned, Throwable thrown) {
    if (scope == null) {
      return;
    }
    CallDispatcher current = dispatcher;
    if (current == null) {
      return;
    }
    try {
      current.exitHook(scope, returned, thrown);
    } catch (Throwable failure) {
      reportFailure(current, failure);
    }
  }

  /** Called when a followed stream is read or closed; see {@link CallDispatcher#streamEvent}. */
  public static void streamEvent(
      int hook, Object stream, Object target, int offset, long count, Throwable thrown) {
    CallDispatcher current = dispatcher;
    if (current == null) {
      return;
    }
    try {
      current.streamEvent(hook, stream, target, offset, count, thrown);
    } catch (Throwable failure) {
      reportFailure(current, failure);
    }
  }

  /** Where the bytes of a followed stream's read go; see {@link CallDispatcher#streamOutput}. */
  public static OutputStream streamOutput(int hook, Object stream, long count) {
    CallDispatcher current = dispatcher;
    if (current == null) {
      return null;
    }
    try {
      return current.streamOutput(hook, stream, count);
    } catch (Throwable failure) {
      reportFailure(current, failure);
      return null;
    }
  }

  private static void reportFailure(CallDispatcher current, Throwable failure) {
    try {
      current.adviceFailed(failure);
    } catch (Throwable ignored) {
      // Nothing more can be done without risking the application.
    }
  }
}
