package dev.taskmaster.agent.instrumentation;

import dev.taskmaster.agent.bootstrap.TaskMasterBridge;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.implementation.bytecode.assign.Assigner;

/**
 * Advice woven into every method that an {@code intercept.<name>} block selects. It only hands over
 * to {@link TaskMasterBridge}; the bridge catches everything, and {@code suppress} is a second
 * guard so that nothing the agent does can reach the application.
 */
final class ConfiguredMethodAdvice {

  private ConfiguredMethodAdvice() {}

  /** Bound to the id of the interception that selected the method. */
  @Retention(RetentionPolicy.RUNTIME)
  @Target(ElementType.PARAMETER)
  @interface InterceptionId {}

  @Advice.OnMethodEnter(suppress = Throwable.class)
  static Object enter(
      @InterceptionId int interceptionId,
      @Advice.This(optional = true) Object self,
      @Advice.AllArguments Object[] arguments) {
    return TaskMasterBridge.enterMethod(interceptionId, self, arguments);
  }

  @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
  static void exit(
      @Advice.Enter Object scope,
      @Advice.Return(typing = Assigner.Typing.DYNAMIC) Object returned,
      @Advice.Thrown Throwable thrown) {
    TaskMasterBridge.exitMethod(scope, returned, thrown);
  }
}
