package dev.taskmaster.agent.instrumentation.urlconnection;

import dev.taskmaster.agent.bootstrap.TaskMasterBridge;
import dev.taskmaster.agent.instrumentation.HookIds;
import net.bytebuddy.asm.Advice;

/**
 * Woven into {@code HttpURLConnection.HttpInputStream.read(byte[], int, int)}, the stream that
 * {@code getInputStream} and {@code getErrorStream} hand to the application; its other reads go
 * through this one.
 */
public final class UrlConnectionReadAdvice {

  private UrlConnectionReadAdvice() {}

  @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
  static void exit(
      @Advice.FieldValue("this$0") Object connection,
      @Advice.Argument(0) Object bytes,
      @Advice.Argument(1) int offset,
      @Advice.Return int count,
      @Advice.Thrown Throwable thrown) {
    TaskMasterBridge.streamEvent(
        HookIds.URLCONNECTION_READ, connection, bytes, offset, count, thrown);
  }
}
