package dev.taskmaster.agent.instrumentation.okhttp;

import dev.taskmaster.agent.bootstrap.TaskMasterBridge;
import dev.taskmaster.agent.instrumentation.HookIds;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.implementation.bytecode.assign.Assigner;

/**
 * Woven into OkHttp's {@code RealCall.getResponseWithInterceptorChain$okhttp()}, which both {@code
 * execute} and the dispatcher's run of an {@code enqueue}d call go through.
 */
public final class OkHttpCallAdvice {

  private OkHttpCallAdvice() {}

  @Advice.OnMethodEnter(suppress = Throwable.class)
  static Object enter(@Advice.This Object call) {
    return TaskMasterBridge.enterHook(HookIds.OKHTTP_CALL, call, null, null);
  }

  @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
  static void exit(
      @Advice.Enter Object scope,
      @Advice.Return(typing = Assigner.Typing.DYNAMIC) Object response,
      @Advice.Thrown Throwable thrown) {
    TaskMasterBridge.exitHook(scope, response, thrown);
  }
}
