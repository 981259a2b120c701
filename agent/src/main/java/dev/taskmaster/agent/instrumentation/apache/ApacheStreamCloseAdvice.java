package dev.taskmaster.agent.instrumentation.apache;

import dev.taskmaster.agent.bootstrap.TaskMasterBridge;
import dev.taskmaster.agent.instrumentation.HookIds;
import net.bytebuddy.asm.Advice;

/**
 * Woven into HttpCore 5's {@code EofSensorInputStream.close()}: the first close or abort. Before
 * the close, the hook may read a body the application left unread (HttpCore's close would read it
 * to its end all the same), so that its bytes pass the teeing read.
 */
public final class ApacheStreamCloseAdvice {

  private ApacheStreamCloseAdvice() {}

  @Advice.OnMethodEnter(suppress = Throwable.class)
  static boolean enter(
      @Advice.This Object stream,
      @Advice.FieldValue("selfClosed") boolean closed,
      @Advice.FieldValue("eofWatcher") Object watcher) {
    if (!closed) {
      TaskMasterBridge.streamEvent(HookIds.APACHE_CLOSING, watcher, stream, 0, 0, null);
    }
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
