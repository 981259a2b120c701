package dev.taskmaster.agent.instrumentation;

/** Ids of the client hooks; advice code refers to them as compile-time constants. */
public final class HookIds {

  /** {@code jdk.internal.net.http.HttpClientImpl}'s private four-argument {@code sendAsync}. */
  public static final int JDK_HTTP_SEND = 0;

  private HookIds() {}
}
