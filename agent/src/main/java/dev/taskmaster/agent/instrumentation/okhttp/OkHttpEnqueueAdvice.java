package dev.taskmaster.agent.instrumentation.okhttp;

import dev.taskmaster.agent.bootstrap.TaskMasterBridge;
import dev.taskmaster.agent.instrumentation.HookIds;
import net.bytebuddy.asm.Advice;

/**
 * Woven into OkHttp's {@code RealCall.enqueue}: a call enqueued while a configured method is being
 * recorded is part of that method's call, though it runs on another thread.
 */
public final class OkHttpEnqueueAdvice {

  private OkHttpEnqueueAdvice() {}

  @Advice.OnMethodEnter(suppress = Throwable.class)
  static void enter(@Advice.This Object call) {
    TaskMasterBridge.streamEvent(HookIds.OKHTTP_ENQUEUE, call, null, 0, 0, null);
  }
}
