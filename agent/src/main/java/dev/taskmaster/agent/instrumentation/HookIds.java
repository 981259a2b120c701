package dev.taskmaster.agent.instrumentation;

/** Ids of the client hooks; advice code refers to them as compile-time constants. */
public final class HookIds {

  /** {@code jdk.internal.net.http.HttpClientImpl}'s private four-argument {@code sendAsync}. */
  public static final int JDK_HTTP_SEND = 0;

  /** OkHttp's {@code RealCall.getResponseWithInterceptorChain}, where execute and enqueue meet. */
  public static final int OKHTTP_CALL = 1;

  /** OkHttp's {@code RealCall.enqueue}. */
  public static final int OKHTTP_ENQUEUE = 2;

  /** OkHttp's {@code Exchange.ResponseBodySource.read}. */
  public static final int OKHTTP_BODY_READ = 3;

  /** OkHttp's {@code Exchange.ResponseBodySource.close}. */
  public static final int OKHTTP_BODY_CLOSE = 4;

  /** {@code sun.net.www.protocol.http.HttpURLConnection.getInputStream0}. */
  public static final int URLCONNECTION_SEND = 5;

  /** {@code HttpURLConnection.HttpInputStream.read(byte[], int, int)}. */
  public static final int URLCONNECTION_READ = 6;

  /** {@code HttpURLConnection.HttpInputStream.close}. */
  public static final int URLCONNECTION_CLOSE = 7;

  /** {@code HttpURLConnection.getOutputStream0}, when it fails to connect. */
  public static final int URLCONNECTION_CONNECT_FAILED = 12;

  /** Apache HttpClient 5's {@code MainClientExec.execute}: one request and its response. */
  public static final int APACHE_EXCHANGE = 8;

  /** Apache HttpCore 5's {@code EofSensorInputStream.read(byte[], int, int)}. */
  public static final int APACHE_READ = 9;

  /** Apache HttpCore 5's {@code EofSensorInputStream.read()}. */
  public static final int APACHE_READ_BYTE = 10;

  /** Apache HttpCore 5's {@code EofSensorInputStream.close} and {@code abort}. */
  public static final int APACHE_CLOSE = 11;

  /** Apache HttpCore 5's {@code EofSensorInputStream.close}, entered on a stream still open. */
  public static final int APACHE_CLOSING = 13;

  private HookIds() {}
}
