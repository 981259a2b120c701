package dev.taskmaster.sample;

import dev.taskmaster.agenttests.fixtures.Fixture;

/**
 * Runs the sample application's own {@link TaskMasterApp#run()} with the application's flags, then
 * prints its result and waits for the test, instead of ending the JVM at once as {@code main} does.
 * In the application's package because its constructor and flag parser are package-private.
 */
public final class TaskMasterAppFixture {

  public static void main(String[] args) {
    TaskMasterApp.Options options = TaskMasterApp.Options.parse(args, null);
    TaskMasterApp.Result result = new TaskMasterApp(options, System.out).run();
    Fixture.result("result.chatCalls", result.chatCalls());
    Fixture.result("result.streamCalls", result.streamCalls());
    Fixture.result("result.ollamaCalls", result.ollamaCalls());
    Fixture.result("result.errors", result.errors());
    Fixture.awaitExit();
    // As the application's main does: HTTP client threads must not keep the JVM alive.
    System.exit(0);
  }
}
