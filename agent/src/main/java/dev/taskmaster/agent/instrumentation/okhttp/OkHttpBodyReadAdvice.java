package dev.taskmaster.agent.instrumentation.okhttp;

import dev.taskmaster.agent.bootstrap.TaskMasterBridge;
import dev.taskmaster.agent.instrumentation.HookIds;
import net.bytebuddy.asm.Advice;

/**
 * Woven into OkHttp's {@code Exchange.ResponseBodySource.read(Buffer, long)}, the network side of
 * every response body: after a read, the bytes it appended are the last {@code count} bytes of the
 * sink. {@code completed} is passed because OkHttp 5 may end the body inside the read that returns
 * its last bytes.
 */
public final class OkHttpBodyReadAdvice {

  private OkHttpBodyReadAdvice() {}

  @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
  static void exit(
      @Advice.FieldValue("this$0") Object exchange,
      @Advice.FieldValue("completed") boolean completed,
      @Advice.Argument(0) Object sink,
      @Advice.Return long count,
      @Advice.Thrown Throwable thrown) {
    TaskMasterBridge.streamEvent(
        HookIds.OKHTTP_BODY_READ, exchange, sink, completed ? 1 : 0, count, thrown);
  }
}
