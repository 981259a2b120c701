package dev.taskmaster.agent.instrumentation.urlconnection;

import dev.taskmaster.agent.bootstrap.TaskMasterBridge;
import dev.taskmaster.agent.instrumentation.HookIds;
import net.bytebuddy.asm.Advice;

/** Woven into {@code HttpURLConnection.HttpInputStream.close()}: its first close only. */
public final class UrlConnectionCloseAdvice {

  private UrlConnectionCloseAdvice() {}

  @Advice.OnMethodEnter(suppress = Throwable.class)
  static boolean enter(@Advice.FieldValue("closed") boolean closed) {
    return closed;
  }

  @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
  static void exit(
      @Advice.Enter boolean wasClosed,
      @Advice.FieldValue("this$0") Object connection,
      @Advice.Thrown Throwable thrown) {
    if (!wasClosed) {
      TaskMasterBridge.streamEvent(HookIds.URLCONNECTION_CLOSE, connection, null, 0, 0, thrown);
    }
  }
}
