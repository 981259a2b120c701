package dev.taskmaster.agent.instrumentation.apache;

import dev.taskmaster.agent.core.ClientHook;
import dev.taskmaster.agent.core.HookScope;
import dev.taskmaster.agent.httpcall.CallRegistry;
import dev.taskmaster.agent.httpcall.HttpCallRecorder;
import dev.taskmaster.agent.httpcall.HttpModelCall;
import dev.taskmaster.agent.instrumentation.ClientInstrumentation;
import dev.taskmaster.agent.instrumentation.HookIds;
import dev.taskmaster.agent.instrumentation.Members;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;

/**
 * Follows model calls made through Apache HttpClient 5's classic (blocking) API.
 *
 * <p>Each attempt is a call of its own: the client's automatic retry of a 429 or 503, for example,
 * is a second request on the wire and is counted as one. The attempt is recognised in {@code
 * ProtocolExec}, below retries, redirects and transparent decompression, so its response is the
 * network's (a gzip body is inflated before it is parsed). The body is teed in the {@code
 * EofSensorInputStream} that the entity's {@code getContent()} returns, without replacing the
 * entity or the stream. A response with an error status ends at its head.
 *
 * <p>Closing the content stream (as {@code EntityUtils.consume} does) makes HttpCore read the rest
 * of the body, below the teed stream, to reuse the connection. When the application read none of a
 * successful body, the hook reads it through the teed stream first, just before that close: the
 * same bytes are read at the same moment, and the call counts as a success with its tokens. A body
 * closed after part of it was read stays cancelled: the application stopped reading.
 */
public final class ApacheHttpClientHook {

  private static final String ADVICE = "dev.taskmaster.agent.instrumentation.apache.";

  static final String PROTOCOL_EXEC = "org.apache.hc.client5.http.impl.classic.ProtocolExec";
  static final String EOF_SENSOR = "org.apache.hc.core5.http.io.EofSensorInputStream";

  /** The methods instrumented, in HttpClient 5.0 to 5.5 with HttpCore 5. */
  public static final List<ClientInstrumentation> INSTRUMENTATIONS =
      List.of(
          new ClientInstrumentation(
              PROTOCOL_EXEC,
              "execute",
              List.of(
                  "org.apache.hc.core5.http.ClassicHttpRequest",
                  "org.apache.hc.client5.http.classic.ExecChain$Scope",
                  "org.apache.hc.client5.http.classic.ExecChain"),
              ADVICE + "ApacheExchangeAdvice"),
          new ClientInstrumentation(
              EOF_SENSOR, "read", List.of("byte[]", "int", "int"), ADVICE + "ApacheReadAdvice"),
          new ClientInstrumentation(EOF_SENSOR, "read", List.of(), ADVICE + "ApacheReadByteAdvice"),
          new ClientInstrumentation(
              EOF_SENSOR, "close", List.of(), ADVICE + "ApacheStreamCloseAdvice"),
          new ClientInstrumentation(EOF_SENSOR, "abort", List.of(), ADVICE + "ApacheCloseAdvice"));

  private static final int MAX_FOLLOWED = 10_000;
  private static final int MAX_REQUEST_BYTES = 1 << 20;

  private final HttpCallRecorder recorder;
  private final CallRegistry<Followed> calls = new CallRegistry<>(MAX_FOLLOWED);

  public ApacheHttpClientHook(HttpCallRecorder recorder) {
    this.recorder = recorder;
  }

  /**
   * What runs for one of the hook ids {@link HookIds#APACHE_EXCHANGE}, {@link HookIds#APACHE_READ},
   * {@link HookIds#APACHE_READ_BYTE}, {@link HookIds#APACHE_CLOSE} and {@link
   * HookIds#APACHE_CLOSING}.
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
    public HookScope enter(Object unused, Object request, Object unused1) {
      return hookId == HookIds.APACHE_EXCHANGE ? begin(request) : null;
    }

    @Override
    public void streamEvent(
        Object watcher, Object bytes, int offset, long count, Throwable thrown) {
      if (calls.size() == 0) {
        return;
      }
      Followed followed = calls.get(watcher);
      if (followed == null) {
        return;
      }
      if (hookId == HookIds.APACHE_CLOSING) {
        if (followed.call.responseBytes() == 0 && bytes instanceof InputStream) {
          drain((InputStream) bytes);
        }
      } else if (hookId == HookIds.APACHE_CLOSE) {
        followed.end(watcher);
        followed.closed(thrown);
      } else if (thrown != null) {
        followed.end(watcher).fail(thrown);
      } else if (count < 0) {
        followed.end(watcher).complete();
      } else if (hookId == HookIds.APACHE_READ_BYTE) {
        followed.call.onByte(offset);
      } else if (count > 0 && bytes instanceof byte[]) {
        followed.call.onBytes((byte[]) bytes, offset, (int) count);
      }
    }
  }

  /**
   * Reads an unread body to its end through the teeing stream, as HttpCore's close is about to do
   * below it. A failure is left for that close to meet again and report to the application.
   */
  private static void drain(InputStream unread) {
    byte[] buffer = new byte[8192];
    try {
      while (unread.read(buffer) >= 0) {
        // The read advice tees each chunk; its end completes the call.
      }
    } catch (Throwable failed) {
      // The read advice has recorded it; the application's close will meet it too.
    }
  }

  private HookScope begin(Object request) {
    try {
      Object path = Reflect.GET_PATH.call(request);
      if (!(path instanceof String)) {
        return null;
      }
      String rawPath = (String) path;
      int query = rawPath.indexOf('?');
      HttpModelCall call =
          recorder.begin(
              "apache",
              query < 0 ? rawPath : rawPath.substring(0, query),
              () -> requestBody(request));
      return call == null ? null : new Followed(call);
    } catch (Throwable unreadable) {
      return null;
    }
  }

  /**
   * Reads the request entity only when it is one of HttpCore's in-memory entities, which write the
   * same bytes every time.
   */
  static byte[] requestBody(Object request) {
    try {
      Object entity = Reflect.GET_ENTITY.call(request);
      if (entity == null || entity == Members.ABSENT) {
        return null;
      }
      String type = entity.getClass().getName();
      if (!type.equals("org.apache.hc.core5.http.io.entity.StringEntity")
          && !type.equals("org.apache.hc.core5.http.io.entity.ByteArrayEntity")) {
        return null;
      }
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      Reflect.WRITE_TO.call(entity, out);
      return out.size() > MAX_REQUEST_BYTES ? null : out.toByteArray();
    } catch (Throwable unreadable) {
      return null;
    }
  }

  /** One attempt being followed. */
  private final class Followed extends HookScope {
    final HttpModelCall call;
    private volatile long contentLength = -1;

    Followed(HttpModelCall call) {
      this.call = call;
    }

    @Override
    public void exit(Object response, Throwable thrown) {
      if (thrown != null) {
        call.fail(thrown);
        return;
      }
      try {
        Object code = Reflect.GET_CODE.call(response);
        int status = code instanceof Integer ? (Integer) code : -1;
        call.responseStarted(status, header(response, "Content-Type"));
        call.contentEncoding(header(response, "Content-Encoding"));
        String length = header(response, "Content-Length");
        if (length != null) {
          contentLength = Long.parseLong(length.trim());
        }
        Object entity = Reflect.GET_ENTITY.call(response);
        if (status >= 400
            || entity == null
            || !entity.getClass().getName().endsWith(".ResponseEntityProxy")
            || !calls.put(entity, this)) {
          // An error is its status; a response without a watched body has nothing more to follow.
          call.complete();
        }
      } catch (Throwable unreadable) {
        call.agentFailed(unreadable);
        call.complete();
      }
    }

    HttpModelCall end(Object watcher) {
      calls.remove(watcher);
      return call;
    }

    void closed(Throwable thrown) {
      if (thrown != null) {
        call.fail(thrown);
      } else if (contentLength >= 0 && call.responseBytes() >= contentLength) {
        call.complete();
      } else {
        call.abandoned();
      }
    }
  }

  private static String header(Object message, String name) throws Throwable {
    Object header = Reflect.FIRST_HEADER.call(message, name);
    if (header == null || header == Members.ABSENT) {
      return null;
    }
    Object value = Reflect.HEADER_VALUE.call(header);
    return value instanceof String ? (String) value : null;
  }

  /** Reflective handles, created on first use rather than in premain. */
  private static final class Reflect {
    static final Members.Invoker GET_PATH = Members.method("getPath");
    static final Members.Invoker GET_ENTITY = Members.method("getEntity");
    static final Members.Invoker GET_CODE = Members.method("getCode");
    static final Members.Invoker FIRST_HEADER = Members.method("getFirstHeader", String.class);
    static final Members.Invoker HEADER_VALUE = Members.method("getValue");
    static final Members.Invoker WRITE_TO = Members.method("writeTo", OutputStream.class);

    private Reflect() {}
  }
}
