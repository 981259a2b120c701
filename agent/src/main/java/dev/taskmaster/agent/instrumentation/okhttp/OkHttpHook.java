package dev.taskmaster.agent.instrumentation.okhttp;

import dev.taskmaster.agent.core.CallRecorder;
import dev.taskmaster.agent.core.ClientHook;
import dev.taskmaster.agent.core.HookScope;
import dev.taskmaster.agent.httpcall.CallRegistry;
import dev.taskmaster.agent.httpcall.HttpCallRecorder;
import dev.taskmaster.agent.httpcall.HttpModelCall;
import dev.taskmaster.agent.instrumentation.ClientInstrumentation;
import dev.taskmaster.agent.instrumentation.HookIds;
import dev.taskmaster.agent.instrumentation.Members;
import java.io.OutputStream;
import java.util.List;

/**
 * Follows model calls made through OkHttp 4 and 5 (and so through the SDKs built on it, such as
 * openai-java).
 *
 * <p>A call is recognised where {@code execute} and the dispatcher's run of an {@code enqueue}d
 * call meet, and its response body is teed at the network side of the exchange ({@code
 * Exchange.ResponseBodySource}): below OkHttp's transparent gzip, above the socket. The application
 * keeps its own {@code Response}, {@code ResponseBody} and source objects; the agent copies bytes
 * out of the buffer the application's read just filled, without consuming them.
 *
 * <p>A call's end can reach the agent before its interceptor chain has returned (an interceptor
 * that reads the body, a redirect whose body OkHttp discards); such an end waits for the chain's
 * final response and counts only if it belongs to that response's exchange.
 */
public final class OkHttpHook {

  private static final String ADVICE = "dev.taskmaster.agent.instrumentation.okhttp.";

  static final String REAL_CALL = "okhttp3.internal.connection.RealCall";
  static final String BODY_SOURCE = "okhttp3.internal.connection.Exchange$ResponseBodySource";

  /** The methods instrumented; the same in OkHttp 4.x and 5.x. */
  public static final List<ClientInstrumentation> INSTRUMENTATIONS =
      List.of(
          new ClientInstrumentation(
              REAL_CALL,
              "getResponseWithInterceptorChain$okhttp",
              List.of(),
              ADVICE + "OkHttpCallAdvice"),
          new ClientInstrumentation(
              REAL_CALL, "enqueue", List.of("okhttp3.Callback"), ADVICE + "OkHttpEnqueueAdvice"),
          new ClientInstrumentation(
              BODY_SOURCE, "read", List.of("okio.Buffer", "long"), ADVICE + "OkHttpBodyReadAdvice"),
          new ClientInstrumentation(
              BODY_SOURCE, "close", List.of(), ADVICE + "OkHttpBodyCloseAdvice"));

  private static final int MAX_FOLLOWED = 10_000;
  private static final int MAX_REQUEST_BYTES = 1 << 20;

  private final HttpCallRecorder recorder;
  private final CallRecorder calling;
  private final CallRegistry<CallState> calls = new CallRegistry<>(MAX_FOLLOWED);
  private final CallRegistry<Boolean> enqueuedInsideRecordedCall = new CallRegistry<>(MAX_FOLLOWED);
  // The call whose body was read last: a stream's reads come one after another, and finding a
  // call from its exchange otherwise takes a reflective call and a look-up under a lock.
  private volatile CallState lastRead;

  /**
   * @param calling tells whether a configured method is being recorded on the current thread
   */
  public OkHttpHook(HttpCallRecorder recorder, CallRecorder calling) {
    this.recorder = recorder;
    this.calling = calling;
  }

  /**
   * What runs for one of the hook ids {@link HookIds#OKHTTP_CALL}, {@link HookIds#OKHTTP_ENQUEUE},
   * {@link HookIds#OKHTTP_BODY_READ} and {@link HookIds#OKHTTP_BODY_CLOSE}.
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
    public HookScope enter(Object call, Object unused0, Object unused1) {
      return hookId == HookIds.OKHTTP_CALL ? enterCall(call) : null;
    }

    @Override
    public void streamEvent(Object self, Object target, int flag, long count, Throwable thrown) {
      switch (hookId) {
        case HookIds.OKHTTP_ENQUEUE:
          if (calling.insideRecordedCall()) {
            enqueuedInsideRecordedCall.put(self, Boolean.TRUE);
          }
          break;
        case HookIds.OKHTTP_BODY_READ:
          bodyRead(self, flag, count, thrown);
          break;
        case HookIds.OKHTTP_BODY_CLOSE:
          bodyClosed(self, target, thrown);
          break;
        default:
          break;
      }
    }

    @Override
    public OutputStream streamOutput(Object exchange, long count) {
      if (hookId != HookIds.OKHTTP_BODY_READ || calls.size() == 0) {
        return null;
      }
      CallState state = find(exchange);
      return state == null ? null : state.output(exchange);
    }
  }

  private HookScope enterCall(Object realCall) {
    if (enqueuedInsideRecordedCall.remove(realCall) != null) {
      return null;
    }
    try {
      Object request = Reflect.REQUEST.call(realCall);
      Object path = Reflect.ENCODED_PATH.call(Reflect.URL.call(request));
      if (!(path instanceof String)) {
        return null;
      }
      HttpModelCall call = recorder.begin("okhttp", (String) path, () -> requestBody(request));
      if (call == null) {
        return null;
      }
      CallState state = new CallState(realCall, call);
      if (!calls.put(realCall, state)) {
        call.agentFailed(new IllegalStateException("too many OkHttp calls followed at once"));
        return null;
      }
      return state;
    } catch (Throwable unreadable) {
      return null;
    }
  }

  /**
   * A read ended the body (returned -1, threw, or OkHttp 5 marked it completed with its last
   * bytes), or the advice's copy of its bytes failed. The bytes themselves were copied by the
   * advice.
   */
  private void bodyRead(Object exchange, int flag, long count, Throwable thrown) {
    if (calls.size() == 0) {
      return;
    }
    CallState state = find(exchange);
    if (state == null) {
      return;
    }
    if (flag == OkHttpBodyReadAdvice.COPY_FAILED) {
      state.copyFailed(thrown);
    } else if (thrown != null) {
      state.end(exchange, End.FAILED, thrown);
    } else if (count < 0 || (count > 0 && flag != 0)) {
      state.end(exchange, End.COMPLETED, null);
    }
  }

  private void bodyClosed(Object exchange, Object source, Throwable thrown) {
    if (calls.size() == 0) {
      return;
    }
    CallState state = find(exchange);
    if (state == null) {
      return;
    }
    if (thrown != null) {
      state.end(exchange, End.FAILED, thrown);
    } else {
      state.end(exchange, receivedAll(source) ? End.COMPLETED : End.ABANDONED, null);
    }
  }

  private CallState find(Object exchange) {
    CallState last = lastRead;
    return last != null && last.bytesExchange == exchange ? last : stateOf(exchange);
  }

  private CallState stateOf(Object exchange) {
    try {
      Object realCall = Reflect.CALL_OF_EXCHANGE.call(exchange);
      return realCall == Members.ABSENT ? null : calls.get(realCall);
    } catch (Throwable unreadable) {
      return null;
    }
  }

  /**
   * Whether a body closed before a read ended it had nonetheless arrived whole: all of its declared
   * length, or (HTTP/1) its last chunk or last byte, which OkHttp reads when it closes a body in
   * order to reuse the connection. A body closed before the application read any of it was not
   * (cancelled), whatever OkHttp's discard of it then managed.
   */
  static boolean receivedAll(Object source) {
    try {
      Object length = Reflect.CONTENT_LENGTH.get(source);
      Object received = Reflect.BYTES_RECEIVED.get(source);
      if (length instanceof Long
          && received instanceof Long
          && (Long) length >= 0
          && (Long) received >= (Long) length) {
        return true;
      }
      if (received instanceof Long && (Long) received == 0 && !Long.valueOf(0).equals(length)) {
        // Closed unread: OkHttp may have discarded the rest below us, within its 100 ms or not;
        // the application had no use for the body either way.
        return false;
      }
      Object codecSource = Reflect.DELEGATE.call(source);
      Object moreChunks = Reflect.HAS_MORE_CHUNKS.get(codecSource);
      if (moreChunks instanceof Boolean) {
        return !(Boolean) moreChunks;
      }
      Object remaining = Reflect.BYTES_REMAINING.get(codecSource);
      return remaining instanceof Long && (Long) remaining == 0;
    } catch (Throwable unreadable) {
      return false;
    }
  }

  /**
   * Reads a request body only when that is free of side effects: OkHttp's own in-memory bodies
   * ({@code RequestBody.create} of a string, bytes or a ByteString) and the JSON bodies of the SDKs
   * generated by Stainless (openai-java and others) once they hold their serialised bytes.
   */
  static byte[] requestBody(Object request) {
    try {
      Object body = Reflect.BODY.call(request);
      if (body == null || body == Members.ABSENT) {
        return null;
      }
      String type = body.getClass().getName();
      Object content = Reflect.BODY_CONTENT.get(body);
      if (type.startsWith("okhttp3.RequestBody$Companion$")) {
        return inMemory(body, content);
      }
      if (type.endsWith(".client.okhttp.OkHttpClientKt$toRequestBody$1")) {
        return serialisedJson(content);
      }
      dev.taskmaster.agent.util.AgentLog.debug(
          "OkHttp request body of type "
              + type
              + (content == null || content == Members.ABSENT
                  ? ""
                  : " holding " + content.getClass().getName())
              + " is not read");
      return null;
    } catch (Throwable unreadable) {
      return null;
    }
  }

  /**
   * The bytes of a Stainless SDK's JSON body: serialised once, lazily, and kept in a Kotlin {@code
   * Lazy}; read only when that has already happened (the SDK asks for the length first).
   */
  private static byte[] serialisedJson(Object content) throws Throwable {
    Object lazy = Reflect.LAZY_BYTES.get(content);
    if (lazy == null
        || lazy == Members.ABSENT
        || !Boolean.TRUE.equals(Reflect.IS_INITIALIZED.call(lazy))) {
      return null;
    }
    Object bytes = Reflect.GET_VALUE.call(lazy);
    return bytes instanceof byte[] && ((byte[]) bytes).length <= MAX_REQUEST_BYTES
        ? (byte[]) bytes
        : null;
  }

  private static byte[] inMemory(Object body, Object content) throws Throwable {
    if (content instanceof byte[]) {
      byte[] bytes = (byte[]) content;
      Object offset = Reflect.BODY_OFFSET.get(body);
      Object count = Reflect.BODY_BYTE_COUNT.get(body);
      if (!(offset instanceof Integer) || !(count instanceof Integer)) {
        return null;
      }
      int from = (Integer) offset;
      int length = (Integer) count;
      if (from < 0 || length < 0 || length > MAX_REQUEST_BYTES || from > bytes.length - length) {
        return null;
      }
      return java.util.Arrays.copyOfRange(bytes, from, from + length);
    }
    if (content != null && content.getClass().getName().startsWith("okio.")) {
      Object size = Reflect.SIZE.call(content);
      if (size instanceof Integer && (Integer) size <= MAX_REQUEST_BYTES) {
        Object bytes = Reflect.TO_BYTE_ARRAY.call(content);
        return bytes instanceof byte[] ? (byte[]) bytes : null;
      }
    }
    return null;
  }

  private enum End {
    COMPLETED,
    FAILED,
    ABANDONED
  }

  /** One OkHttp call being followed. */
  private final class CallState extends HookScope {
    private final Object realCall;
    private final HttpModelCall call;
    private final CallOutput output;
    // Volatile for find(), which reads it without the lock: the exchange whose bytes are followed.
    private volatile Object bytesExchange;
    private boolean copyFailed;
    private boolean chainReturned;
    private Object finalExchange;
    private boolean ended;
    private Object pendingExchange;
    private End pendingEnd;
    private Throwable pendingFailure;

    CallState(Object realCall, HttpModelCall call) {
      this.realCall = realCall;
      this.call = call;
      this.output = new CallOutput(call);
    }

    @Override
    public void exit(Object response, Throwable thrown) {
      if (thrown != null) {
        synchronized (this) {
          chainReturned = true;
          apply(End.FAILED, thrown);
        }
        return;
      }
      int code = -1;
      String contentType = null;
      String encoding = null;
      Object exchange = null;
      try {
        Object status = Reflect.CODE.call(response);
        code = status instanceof Integer ? (Integer) status : -1;
        contentType = header(response, "Content-Type");
        Object network = Reflect.NETWORK_RESPONSE.call(response);
        encoding =
            header(
                network == null || network == Members.ABSENT ? response : network,
                "Content-Encoding");
        Object ownExchange = Reflect.EXCHANGE.call(response);
        exchange = ownExchange == Members.ABSENT ? null : ownExchange;
      } catch (Throwable unreadable) {
        call.agentFailed(unreadable);
      }
      synchronized (this) {
        chainReturned = true;
        finalExchange = exchange;
        if (bytesExchange != null && bytesExchange != exchange) {
          call.restartResponse();
          bytesExchange = null;
        }
        call.responseStarted(code, contentType);
        call.contentEncoding(encoding);
        if (exchange == null) {
          // A response from the cache or from an interceptor: no network body to follow.
          apply(End.COMPLETED, null);
        } else if (pendingEnd != null && pendingExchange == exchange) {
          apply(pendingEnd, pendingFailure);
        }
        pendingEnd = null;
        pendingFailure = null;
        pendingExchange = null;
      }
    }

    /** Where the bytes a read of {@code exchange}'s body produced go, or {@code null}. */
    synchronized OutputStream output(Object exchange) {
      if (ended || copyFailed || (chainReturned && finalExchange != exchange)) {
        return null;
      }
      if (bytesExchange != exchange) {
        if (bytesExchange != null) {
          call.restartResponse();
        }
        bytesExchange = exchange;
      }
      lastRead = this;
      return output;
    }

    /**
     * The advice could not copy the bytes (an okio without the methods it calls): the call is
     * counted without its body rather than with a part of it.
     */
    synchronized void copyFailed(Throwable failure) {
      call.agentFailed(failure);
      if (!copyFailed && !ended) {
        copyFailed = true;
        call.restartResponse();
      }
    }

    synchronized void end(Object exchange, End end, Throwable failure) {
      if (ended) {
        return;
      }
      if (!chainReturned) {
        pendingExchange = exchange;
        pendingEnd = end;
        pendingFailure = failure;
        return;
      }
      if (finalExchange == null || finalExchange == exchange) {
        apply(end, failure);
      }
    }

    private void apply(End end, Throwable failure) {
      if (ended) {
        return;
      }
      ended = true;
      calls.remove(realCall);
      if (lastRead == this) {
        lastRead = null;
      }
      switch (end) {
        case COMPLETED:
          call.complete();
          break;
        case ABANDONED:
          call.abandoned();
          break;
        default:
          if (isCanceled()) {
            call.cancel();
          } else {
            call.fail(failure);
          }
      }
    }

    private boolean isCanceled() {
      try {
        return Boolean.TRUE.equals(Reflect.IS_CANCELED.call(realCall));
      } catch (Throwable unreadable) {
        return false;
      }
    }
  }

  private static String header(Object response, String name) throws Throwable {
    Object value = Reflect.HEADER.call(response, name);
    return value instanceof String ? (String) value : null;
  }

  /** Hands bytes that {@code Buffer.copyTo} writes to the call. */
  private static final class CallOutput extends OutputStream {
    private final HttpModelCall call;

    CallOutput(HttpModelCall call) {
      this.call = call;
    }

    @Override
    public void write(int b) {
      call.onByte(b & 0xff);
    }

    @Override
    public void write(byte[] bytes, int offset, int length) {
      call.onBytes(bytes, offset, length);
    }
  }

  /** Reflective handles, created on first use rather than in premain. */
  private static final class Reflect {
    static final Members.Invoker REQUEST = Members.method("request");
    static final Members.Invoker URL = Members.method("url");
    static final Members.Invoker ENCODED_PATH = Members.method("encodedPath");
    static final Members.Invoker BODY = Members.method("body");
    static final Members.Invoker IS_CANCELED = Members.method("isCanceled");
    static final Members.Invoker CODE = Members.method("code");
    static final Members.Invoker HEADER = Members.method("header", String.class);
    static final Members.Invoker NETWORK_RESPONSE = Members.method("networkResponse");
    static final Members.Invoker EXCHANGE = Members.method("exchange");
    static final Members.Invoker CALL_OF_EXCHANGE = Members.method("getCall$okhttp");
    static final Members.Invoker SIZE = Members.method("size");
    static final Members.FieldReader CONTENT_LENGTH = Members.field("contentLength");
    static final Members.FieldReader BYTES_RECEIVED = Members.field("bytesReceived");
    static final Members.Invoker DELEGATE = Members.method("delegate");
    static final Members.FieldReader HAS_MORE_CHUNKS = Members.field("hasMoreChunks");
    static final Members.FieldReader BYTES_REMAINING = Members.field("bytesRemaining");
    static final Members.FieldReader BODY_CONTENT = Members.field("$this_toRequestBody");
    static final Members.FieldReader BODY_OFFSET = Members.field("$offset");
    static final Members.FieldReader BODY_BYTE_COUNT = Members.field("$byteCount");
    static final Members.FieldReader LAZY_BYTES = Members.field("bytes$delegate");
    static final Members.Invoker IS_INITIALIZED = Members.method("isInitialized");
    static final Members.Invoker GET_VALUE = Members.method("getValue");
    static final Members.Invoker TO_BYTE_ARRAY = Members.method("toByteArray");

    private Reflect() {}
  }
}
