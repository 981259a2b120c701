package dev.taskmaster.agent.instrumentation.okhttp;

import dev.taskmaster.agent.bootstrap.TaskMasterBridge;
import dev.taskmaster.agent.instrumentation.HookIds;
import java.io.OutputStream;
import net.bytebuddy.asm.Advice;
import okio.Buffer;

/**
 * Woven into OkHttp's {@code Exchange.ResponseBodySource.read(Buffer, long)}, the network side of
 * every response body: after a read, the bytes it appended are the last {@code count} bytes of the
 * sink. {@code completed} is passed because OkHttp 5 may end the body inside the read that returns
 * its last bytes.
 *
 * <p>The body runs inside OkHttp's class, so it calls the application's okio directly: the copy
 * costs no reflection, boxing or allocation. Were a method missing from that okio, the failure is
 * reported and the call is counted without its body, never thrown into the application.
 */
public final class OkHttpBodyReadAdvice {

  /** The {@code offset} of the stream event that reports a failed copy. */
  static final int COPY_FAILED = 2;

  private OkHttpBodyReadAdvice() {}

  @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
  static void exit(
      @Advice.FieldValue("this$0") Object exchange,
      @Advice.FieldValue("completed") boolean completed,
      @Advice.Argument(0) Object sink,
      @Advice.Return long count,
      @Advice.Thrown Throwable thrown) {
    if (count > 0) {
      OutputStream out = TaskMasterBridge.streamOutput(HookIds.OKHTTP_BODY_READ, exchange, count);
      if (out != null) {
        try {
          Buffer buffer = (Buffer) sink;
          buffer.copyTo(out, buffer.size() - count, count);
        } catch (Throwable failed) {
          TaskMasterBridge.streamEvent(
              HookIds.OKHTTP_BODY_READ, exchange, null, COPY_FAILED, 0, failed);
        }
      }
    }
    if (count <= 0 || completed) {
      TaskMasterBridge.streamEvent(
          HookIds.OKHTTP_BODY_READ, exchange, null, completed ? 1 : 0, count, thrown);
    }
  }
}
