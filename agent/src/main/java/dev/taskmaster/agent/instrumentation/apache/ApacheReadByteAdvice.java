package dev.taskmaster.agent.instrumentation.apache;

import dev.taskmaster.agent.bootstrap.TaskMasterBridge;
import dev.taskmaster.agent.instrumentation.HookIds;
import net.bytebuddy.asm.Advice;

/** Woven into HttpCore 5's {@code EofSensorInputStream.read()}: one byte, or -1 at the end. */
public final class ApacheReadByteAdvice {

  private ApacheReadByteAdvice() {}

  @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
  static void exit(
      @Advice.FieldValue("eofWatcher") Object watcher,
      @Advice.Return int value,
      @Advice.Thrown Throwable thrown) {
    TaskMasterBridge.streamEvent(
        HookIds.APACHE_READ_BYTE, watcher, null, value, value < 0 ? -1 : 1, thrown);
  }
}
