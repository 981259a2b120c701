package dev.taskmaster.agent.instrumentation.jdkhttp;

import dev.taskmaster.agent.core.ClientHook;
import dev.taskmaster.agent.core.HookScope;
import dev.taskmaster.agent.httpcall.HttpCallRecorder;
import dev.taskmaster.agent.httpcall.HttpModelCall;
import dev.taskmaster.agent.instrumentation.ClientInstrumentation;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Flow;

/** Follows model calls made through the JDK's {@code java.net.http.HttpClient}. */
public final class JdkHttpClientHook implements ClientHook {

  private static final String ADVICE = "dev.taskmaster.agent.instrumentation.jdkhttp.";

  /** Where {@code send} and {@code sendAsync} meet, in JDK 11 to 25. */
  public static final ClientInstrumentation SEND_ASYNC =
      new ClientInstrumentation(
          "jdk.internal.net.http.HttpClientImpl",
          "sendAsync",
          List.of(
              "java.net.http.HttpRequest",
              "java.net.http.HttpResponse$BodyHandler",
              "java.net.http.HttpResponse$PushPromiseHandler",
              "java.util.concurrent.Executor"),
          ADVICE + "JdkHttpClientAdvice");

  /**
   * Request body publishers that can be read a second time without any effect on the request: the
   * JDK's in-memory ones ({@code ofString}, {@code ofByteArray}, {@code noBody}).
   */
  private static final String REPEATABLE_PUBLISHER = "jdk.internal.net.http.RequestPublishers$";

  private final HttpCallRecorder recorder;

  public JdkHttpClientHook(HttpCallRecorder recorder) {
    this.recorder = recorder;
  }

  @Override
  public HookScope enter(Object self, Object request, Object handler) {
    if (!(request instanceof HttpRequest) || !(handler instanceof HttpResponse.BodyHandler)) {
      return null;
    }
    HttpRequest httpRequest = (HttpRequest) request;
    URI uri = httpRequest.uri();
    // An in-memory body reads the same at any time: read it when the call ends, off this thread.
    HttpModelCall call =
        recorder.beginDeferred("jdk", uri.getRawPath(), () -> requestBody(httpRequest));
    return call == null ? null : new Scope(call);
  }

  private static byte[] requestBody(HttpRequest request) {
    Optional<HttpRequest.BodyPublisher> publisher = request.bodyPublisher();
    if (publisher.isEmpty() || !isInMemory(publisher.get().getClass())) {
      return null;
    }
    BodyCollector collector = new BodyCollector();
    publisher.get().subscribe(collector);
    return collector.bytes();
  }

  private static boolean isInMemory(Class<?> publisherClass) {
    for (Class<?> type = publisherClass; type != null; type = type.getSuperclass()) {
      if (type.getName().equals(REPEATABLE_PUBLISHER + "ByteArrayPublisher")) {
        return true;
      }
    }
    return false;
  }

  private static final class Scope extends HookScope {
    private final HttpModelCall call;

    Scope(HttpModelCall call) {
      this.call = call;
    }

    @Override
    @SuppressWarnings({"unchecked", "rawtypes"})
    public Object replaceArgument(Object handler) {
      return new TeeBodyHandler((HttpResponse.BodyHandler) handler, call);
    }

    @Override
    public void exit(Object future, Throwable thrown) {
      if (thrown != null) {
        call.fail(thrown);
        return;
      }
      if (future instanceof CompletableFuture) {
        // A dependent stage of our own: the application's future and its stages are untouched.
        ((CompletableFuture<?>) future)
            .whenComplete(
                (response, failure) -> {
                  if (failure != null) {
                    Throwable cause = unwrap(failure);
                    if (cause instanceof CancellationException) {
                      call.cancel();
                    } else {
                      call.fail(cause);
                    }
                  }
                });
      }
    }

    private static Throwable unwrap(Throwable failure) {
      return failure instanceof CompletionException && failure.getCause() != null
          ? failure.getCause()
          : failure;
    }
  }

  /** Reads an in-memory request body; its publisher delivers synchronously on request. */
  private static final class BodyCollector implements Flow.Subscriber<ByteBuffer> {
    private static final int MAX_BYTES = 1 << 20;
    private byte[] bytes;
    private boolean tooLarge;

    @Override
    public void onSubscribe(Flow.Subscription subscription) {
      subscription.request(Long.MAX_VALUE);
    }

    @Override
    public void onNext(ByteBuffer item) {
      int length = item.remaining();
      int had = bytes == null ? 0 : bytes.length;
      if (tooLarge || had + length > MAX_BYTES) {
        tooLarge = true;
        return;
      }
      byte[] grown =
          bytes == null ? new byte[length] : java.util.Arrays.copyOf(bytes, had + length);
      item.duplicate().get(grown, had, length);
      bytes = grown;
    }

    @Override
    public void onError(Throwable throwable) {
      tooLarge = true;
    }

    @Override
    public void onComplete() {}

    byte[] bytes() {
      return tooLarge ? null : bytes == null ? new byte[0] : bytes;
    }
  }
}
