package dev.taskmaster.agenttests.harness;

/**
 * Closes a resource when the JVM exits before the test closed it: child processes must not outlive
 * a test JVM that is stopped in the middle of a test (SIGTERM, or Maven interrupted). Open it right
 * after the resource in the same try-with-resources, which then closes the guard first.
 */
public final class ExitGuard implements AutoCloseable {

  private final Thread hook;

  private ExitGuard(Thread hook) {
    this.hook = hook;
  }

  /** Guards the resource until {@link #close()}. */
  public static ExitGuard of(AutoCloseable resource) {
    Thread hook =
        new Thread(
            () -> {
              try {
                resource.close();
              } catch (Exception ignored) {
                // The JVM is exiting: nothing left to report to.
              }
            },
            "exit-guard");
    Runtime.getRuntime().addShutdownHook(hook);
    return new ExitGuard(hook);
  }

  @Override
  public void close() {
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException exiting) {
      // The hook runs, or has run, anyway.
    }
  }
}
