package dev.taskmaster.agent.instrumentation.jdkhttp;

import dev.taskmaster.agent.bootstrap.TaskMasterBridge;
import dev.taskmaster.agent.instrumentation.HookIds;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.implementation.bytecode.assign.Assigner;

/**
 * Woven into {@code HttpClientImpl}'s private {@code sendAsync(request, handler, push, executor)},
 * where {@code send} and both public {@code sendAsync}s meet. A model call gets a body handler that
 * also feeds the agent; every other request passes untouched.
 */
public final class JdkHttpClientAdvice {

  private JdkHttpClientAdvice() {}

  @Advice.OnMethodEnter(suppress = Throwable.class)
  static Object enter(
      @Advice.Argument(0) Object request,
      @Advice.Argument(value = 1, readOnly = false, typing = Assigner.Typing.DYNAMIC)
          Object handler) {
    Object scope = TaskMasterBridge.enterHook(HookIds.JDK_HTTP_SEND, null, request, handler);
    handler = TaskMasterBridge.replaceArgument(scope, handler);
    return scope;
  }

  @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
  static void exit(
      @Advice.Enter Object scope,
      @Advice.Return(typing = Assigner.Typing.DYNAMIC) Object future,
      @Advice.Thrown Throwable thrown) {
    TaskMasterBridge.exitHook(scope, future, thrown);
  }
}
