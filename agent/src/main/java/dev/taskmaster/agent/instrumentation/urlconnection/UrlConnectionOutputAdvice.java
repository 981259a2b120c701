package dev.taskmaster.agent.instrumentation.urlconnection;

import dev.taskmaster.agent.bootstrap.TaskMasterBridge;
import dev.taskmaster.agent.instrumentation.HookIds;
import net.bytebuddy.asm.Advice;

/**
 * Woven into {@code sun.net.www.protocol.http.HttpURLConnection.getOutputStream0()}, which
 * connects: a model call whose connection fails there never reaches {@code getInputStream0}.
 */
public final class UrlConnectionOutputAdvice {

  private UrlConnectionOutputAdvice() {}

  @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
  static void exit(
      @Advice.This Object connection,
      @Advice.FieldValue("url") Object url,
      @Advice.Thrown Throwable thrown) {
    if (thrown != null) {
      TaskMasterBridge.enterHook(HookIds.URLCONNECTION_CONNECT_FAILED, connection, url, thrown);
    }
  }
}
