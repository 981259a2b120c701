package dev.taskmaster.agent.instrumentation.apache;

import dev.taskmaster.agent.bootstrap.TaskMasterBridge;
import dev.taskmaster.agent.instrumentation.HookIds;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.implementation.bytecode.assign.Assigner;

/**
 * Woven into Apache HttpClient 5's {@code ProtocolExec.execute}: one attempt of a request (retries
 * and redirects run above it, the connection is made below it), returning the response as it came
 * from the network, with its body stream already watched for its end.
 */
public final class ApacheExchangeAdvice {

  private ApacheExchangeAdvice() {}

  @Advice.OnMethodEnter(suppress = Throwable.class)
  static Object enter(@Advice.Argument(0) Object request) {
    return TaskMasterBridge.enterHook(HookIds.APACHE_EXCHANGE, null, request, null);
  }

  @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
  static void exit(
      @Advice.Enter Object scope,
      @Advice.Return(typing = Assigner.Typing.DYNAMIC) Object response,
      @Advice.Thrown Throwable thrown) {
    TaskMasterBridge.exitHook(scope, response, thrown);
  }
}
