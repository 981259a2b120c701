package dev.taskmaster.agent.instrumentation;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.taskmaster.agent.instrumentation.apache.ApacheHttpClientHook;
import dev.taskmaster.agent.instrumentation.jdkhttp.JdkHttpClientHook;
import dev.taskmaster.agent.instrumentation.okhttp.OkHttpHook;
import dev.taskmaster.agent.instrumentation.urlconnection.UrlConnectionHook;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Advice is named, not referenced, by the client instrumentations: every name must resolve. */
class ClientInstrumentationsTest {

  @Test
  void everyAdviceClassExistsAndHasAdvice() {
    List<ClientInstrumentation> all = new ArrayList<>();
    all.add(JdkHttpClientHook.SEND_ASYNC);
    all.addAll(OkHttpHook.INSTRUMENTATIONS);
    all.addAll(UrlConnectionHook.INSTRUMENTATIONS);
    all.addAll(ApacheHttpClientHook.INSTRUMENTATIONS);
    for (ClientInstrumentation instrumentation : all) {
      Class<?> advice =
          assertDoesNotThrow(
              () -> Class.forName(instrumentation.advice, false, getClass().getClassLoader()),
              instrumentation.advice);
      boolean annotated = false;
      for (var method : advice.getDeclaredMethods()) {
        annotated |=
            method.isAnnotationPresent(net.bytebuddy.asm.Advice.OnMethodEnter.class)
                || method.isAnnotationPresent(net.bytebuddy.asm.Advice.OnMethodExit.class);
      }
      assertTrue(annotated, instrumentation.advice + " has no advice method");
    }
  }
}
