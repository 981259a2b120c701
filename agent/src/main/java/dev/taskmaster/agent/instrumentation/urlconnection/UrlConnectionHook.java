package dev.taskmaster.agent.instrumentation.urlconnection;

import dev.taskmaster.agent.core.ClientHook;
import dev.taskmaster.agent.core.HookScope;
import dev.taskmaster.agent.httpcall.CallRegistry;
import dev.taskmaster.agent.httpcall.HttpCallRecorder;
import dev.taskmaster.agent.httpcall.HttpModelCall;
import dev.taskmaster.agent.instrumentation.ClientInstrumentation;
import dev.taskmaster.agent.instrumentation.HookIds;
import dev.taskmaster.agent.instrumentation.Members;
import java.io.ByteArrayOutputStream;
import java.net.URL;
import java.util.List;

/**
 * Follows model calls made through {@code java.net.HttpURLConnection} (HTTP and HTTPS: the HTTPS
 * connection delegates to a subclass of the same class).
 *
 * <p>The request is recognised when the connection sends it; its body is read only when the JDK
 * buffered it (no streaming mode), from that buffer. The response body is teed in the stream that
 * {@code getInputStream} returns, which the application reads unchanged. A call with an error
 * status ends as soon as its head arrives, so that it counts once even when the application never
 * reads or closes the error stream.
 *
 * <p>Needs {@code java.base} to read the bridge's module, and {@code sun.net.www.protocol.http} and
 * {@code sun.net.www} opened to the agent: see the agent's installer.
 */
public final class UrlConnectionHook {

  private static final String ADVICE = "dev.taskmaster.agent.instrumentation.urlconnection.";

  static final String CONNECTION = "sun.net.www.protocol.http.HttpURLConnection";
  static final String STREAM = "sun.net.www.protocol.http.HttpURLConnection$HttpInputStream";

  /** The methods instrumented, in JDK 11 to 25. */
  public static final List<ClientInstrumentation> INSTRUMENTATIONS =
      List.of(
          new ClientInstrumentation(
              CONNECTION, "getInputStream0", List.of(), ADVICE + "UrlConnectionSendAdvice"),
          new ClientInstrumentation(
              CONNECTION, "getOutputStream0", List.of(), ADVICE + "UrlConnectionOutputAdvice"),
          new ClientInstrumentation(
              STREAM, "read", List.of("byte[]", "int", "int"), ADVICE + "UrlConnectionReadAdvice"),
          new ClientInstrumentation(
              STREAM, "close", List.of(), ADVICE + "UrlConnectionCloseAdvice"));

  /** The JDK packages the hook reads from; the installer opens them to the agent. */
  public static final List<String> PACKAGES = List.of("sun.net.www.protocol.http", "sun.net.www");

  private static final int MAX_FOLLOWED = 10_000;
  private static final int MAX_REQUEST_BYTES = 1 << 20;

  private final HttpCallRecorder recorder;
  private final CallRegistry<Followed> calls = new CallRegistry<>(MAX_FOLLOWED);
  private final CallRegistry<Boolean> failedToConnect = new CallRegistry<>(MAX_FOLLOWED);

  private final Runnable openPackages;
  private volatile boolean opened;

  /**
   * @param openPackages opens {@link #PACKAGES} to the agent; run once, before the first response
   *     head is read (not in premain: opening a package boots the JDK's lambda machinery)
   */
  public UrlConnectionHook(HttpCallRecorder recorder, Runnable openPackages) {
    this.recorder = recorder;
    this.openPackages = openPackages;
  }

  private void ensureOpened() {
    if (!opened) {
      synchronized (this) {
        if (!opened) {
          try {
            openPackages.run();
          } finally {
            opened = true;
          }
        }
      }
    }
  }

  /**
   * What runs for one of the hook ids {@link HookIds#URLCONNECTION_SEND}, {@link
   * HookIds#URLCONNECTION_CONNECT_FAILED}, {@link HookIds#URLCONNECTION_READ} and {@link
   * HookIds#URLCONNECTION_CLOSE}.
   *
   * <p>A failed connect counts as a failed call (its model unknown, as the body was not written
   * yet); later attempts on the same connection, which the JDK answers with the remembered failure,
   * are not counted again.
   */
  public ClientHook hook(int hookId) {
    return new Dispatch(hookId);
  }

  /** One class for the four hooks (not lambdas, nor one class each): premain creates them. */
  private final class Dispatch implements ClientHook {
    private final int hookId;

    Dispatch(int hookId) {
      this.hookId = hookId;
    }

    @Override
    public HookScope enter(Object connection, Object url, Object argument) {
      switch (hookId) {
        case HookIds.URLCONNECTION_SEND:
          return send(connection, url, argument);
        case HookIds.URLCONNECTION_CONNECT_FAILED:
          return connectFailed(connection, url, argument);
        default:
          return null;
      }
    }

    @Override
    public void streamEvent(
        Object connection, Object bytes, int offset, long count, Throwable thrown) {
      if (calls.size() == 0) {
        return;
      }
      Followed followed = calls.get(connection);
      if (followed == null) {
        return;
      }
      if (hookId == HookIds.URLCONNECTION_CLOSE) {
        followed.closed(thrown);
      } else if (hookId == HookIds.URLCONNECTION_READ) {
        followed.read(bytes, offset, count, thrown);
      }
    }
  }

  private HookScope connectFailed(Object connection, Object url, Object thrown) {
    if (!(url instanceof URL)
        || !(thrown instanceof java.io.IOException)
        || thrown instanceof java.net.ProtocolException
        || calls.get(connection) != null
        || failedToConnect.get(connection) != null) {
      return null;
    }
    HttpModelCall call = recorder.begin("urlconnection", ((URL) url).getPath(), Reflect.NO_BODY);
    if (call != null) {
      failedToConnect.put(connection, Boolean.TRUE);
      call.fail((Throwable) thrown);
    }
    return null;
  }

  private HookScope send(Object connection, Object url, Object poster) {
    if (!(url instanceof URL)
        || calls.get(connection) != null
        || failedToConnect.get(connection) != null) {
      return null;
    }
    HttpModelCall call =
        recorder.begin("urlconnection", ((URL) url).getPath(), () -> requestBody(poster));
    if (call == null) {
      return null;
    }
    Followed followed = new Followed(connection, call);
    if (!calls.put(connection, followed)) {
      call.agentFailed(new IllegalStateException("too many connections followed at once"));
      return null;
    }
    return followed;
  }

  /** The body the JDK buffered because no streaming mode was set; reading it changes nothing. */
  private static byte[] requestBody(Object poster) {
    if (!(poster instanceof ByteArrayOutputStream)) {
      return null;
    }
    ByteArrayOutputStream buffered = (ByteArrayOutputStream) poster;
    return buffered.size() > MAX_REQUEST_BYTES ? null : buffered.toByteArray();
  }

  /** One connection being followed, from the request to the end of its response body. */
  private final class Followed extends HookScope {
    private final Object connection;
    private final HttpModelCall call;
    private volatile long contentLength = -1;

    Followed(Object connection, HttpModelCall call) {
      this.connection = connection;
      this.call = call;
    }

    @Override
    public void exit(Object unused, Throwable thrown) {
      int code = head();
      if (code >= 400) {
        // The error itself is the outcome; its body may never be read or closed.
        end();
        call.complete();
      } else if (thrown != null) {
        end();
        call.fail(thrown);
      } else if (code < 0) {
        end();
        call.agentFailed(new IllegalStateException("no status line"));
        call.complete();
      }
    }

    /** Learns the status and headers once; returns the status code, or -1. */
    private int head() {
      if (call.hasStatus()) {
        return -2;
      }
      try {
        ensureOpened();
        Object responses = Reflect.RESPONSES.get(connection);
        Object statusLine = Reflect.HEADER_VALUE.call(responses, 0);
        int code = statusCode(statusLine instanceof String ? (String) statusLine : null);
        if (code < 0) {
          return -1;
        }
        call.responseStarted(code, header(responses, "content-type"));
        call.contentEncoding(header(responses, "content-encoding"));
        String length = header(responses, "content-length");
        if (length != null) {
          contentLength = Long.parseLong(length.trim());
        }
        return code;
      } catch (Throwable unreadable) {
        call.agentFailed(unreadable);
        return -1;
      }
    }

    void read(Object bytes, int offset, long count, Throwable thrown) {
      if (!call.hasStatus()) {
        head(); // The JDK read the error body itself before the send returned.
      }
      if (thrown != null) {
        end();
        call.fail(thrown);
      } else if (count > 0 && bytes instanceof byte[]) {
        call.onBytes((byte[]) bytes, offset, (int) count);
      } else if (count < 0) {
        end();
        call.complete();
      }
    }

    void closed(Throwable thrown) {
      end();
      if (thrown != null) {
        call.fail(thrown);
      } else if (contentLength >= 0 && call.responseBytes() >= contentLength) {
        call.complete();
      } else {
        call.abandoned();
      }
    }

    private void end() {
      calls.remove(connection);
    }
  }

  private static String header(Object responses, String name) throws Throwable {
    Object value = Reflect.FIND_VALUE.call(responses, name);
    return value instanceof String ? (String) value : null;
  }

  /** The code of a status line such as {@code HTTP/1.1 200 OK}, or -1. */
  static int statusCode(String statusLine) {
    if (statusLine == null || !statusLine.startsWith("HTTP/")) {
      return -1;
    }
    int space = statusLine.indexOf(' ');
    if (space < 0 || statusLine.length() < space + 4) {
      return -1;
    }
    int code = 0;
    for (int i = space + 1; i < space + 4; i++) {
      char c = statusLine.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      code = code * 10 + (c - '0');
    }
    return code;
  }

  /** Reflective handles, created on first use rather than in premain. */
  private static final class Reflect {
    static final java.util.function.Supplier<byte[]> NO_BODY =
        new java.util.function.Supplier<>() {
          @Override
          public byte[] get() {
            return null;
          }
        };
    static final Members.FieldReader RESPONSES = Members.field("responses");
    static final Members.Invoker HEADER_VALUE = Members.method("getValue", int.class);
    static final Members.Invoker FIND_VALUE = Members.method("findValue", String.class);

    private Reflect() {}
  }
}
