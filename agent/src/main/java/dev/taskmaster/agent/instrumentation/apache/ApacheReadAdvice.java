package dev.taskmaster.agent.instrumentation.apache;

import dev.taskmaster.agent.bootstrap.TaskMasterBridge;
import dev.taskmaster.agent.instrumentation.HookIds;
import net.bytebuddy.asm.Advice;

/**
 * Woven into HttpCore 5's {@code EofSensorInputStream.read(byte[], int, int)}, the stream that a
 * response entity's {@code getContent()} returns; {@code read(byte[])} goes through it.
 */
public final class ApacheReadAdvice {

  private ApacheReadAdvice() {}

  @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
  static void exit(
      @Advice.FieldValue("eofWatcher") Object watcher,
      @Advice.Argument(0) Object bytes,
      @Advice.Argument(1) int offset,
      @Advice.Return int count,
      @Advice.Thrown Throwable thrown) {
    TaskMasterBridge.streamEvent(HookIds.APACHE_READ, watcher, bytes, offset, count, thrown);
  }
}
