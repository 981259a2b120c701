package dev.taskmaster.agent.instrumentation.urlconnection;

import dev.taskmaster.agent.bootstrap.TaskMasterBridge;
import dev.taskmaster.agent.instrumentation.HookIds;
import net.bytebuddy.asm.Advice;

/**
 * Woven into {@code sun.net.www.protocol.http.HttpURLConnection.getInputStream0()}, which sends the
 * request and reads the response head for every public method that needs the response ({@code
 * getInputStream}, {@code getResponseCode}, {@code getHeaderField}...). Only its first run on a
 * connection is followed: later ones (and the nested one it makes itself) find a stream or a
 * remembered failure and return at once.
 */
public final class UrlConnectionSendAdvice {

  private UrlConnectionSendAdvice() {}

  @Advice.OnMethodEnter(suppress = Throwable.class)
  static Object enter(
      @Advice.This Object connection,
      @Advice.FieldValue("inputStream") Object stream,
      @Advice.FieldValue("rememberedException") Object remembered,
      @Advice.FieldValue("url") Object url,
      @Advice.FieldValue("poster") Object requestBody) {
    if (stream != null || remembered != null) {
      return null;
    }
    return TaskMasterBridge.enterHook(HookIds.URLCONNECTION_SEND, connection, url, requestBody);
  }

  @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
  static void exit(@Advice.Enter Object scope, @Advice.Thrown Throwable thrown) {
    TaskMasterBridge.exitHook(scope, null, thrown);
  }
}
