package dev.taskmaster.agent.instrumentation.apache;

import dev.taskmaster.agent.bootstrap.TaskMasterBridge;
import dev.taskmaster.agent.instrumentation.HookIds;
import net.bytebuddy.asm.Advice;

/** Woven into HttpCore 5's {@code EofSensorInputStream.abort()}: the first close or abort. */
public final class ApacheCloseAdvice {

  private ApacheCloseAdvice() {}

  @Advice.OnMethodEnter(suppress = Throwable.class)
  static boolean enter(@Advice.FieldValue("selfClosed") boolean closed) {
    return closed;
  }

  @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
  static void exit(
      @Advice.Enter boolean wasClosed,
      @Advice.FieldValue("eofWatcher") Object watcher,
      @Advice.Thrown Throwable thrown) {
    if (!wasClosed) {
      TaskMasterBridge.streamEvent(HookIds.APACHE_CLOSE, watcher, null, 0, 0, thrown);
    }
  }
}
