package dev.taskmaster.agent.instrumentation.okhttp;

import dev.taskmaster.agent.bootstrap.TaskMasterBridge;
import dev.taskmaster.agent.instrumentation.HookIds;
import net.bytebuddy.asm.Advice;

/**
 * Woven into OkHttp's {@code Exchange.ResponseBodySource.close()}: a body closed before a read
 * ended it.
 */
public final class OkHttpBodyCloseAdvice {

  private OkHttpBodyCloseAdvice() {}

  @Advice.OnMethodEnter(suppress = Throwable.class)
  static boolean enter(@Advice.FieldValue("completed") boolean completed) {
    return completed;
  }

  @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
  static void exit(
      @Advice.Enter boolean wasCompleted,
      @Advice.This Object source,
      @Advice.FieldValue("this$0") Object exchange,
      @Advice.Thrown Throwable thrown) {
    if (!wasCompleted) {
      TaskMasterBridge.streamEvent(HookIds.OKHTTP_BODY_CLOSE, exchange, source, 0, 0, thrown);
    }
  }
}
