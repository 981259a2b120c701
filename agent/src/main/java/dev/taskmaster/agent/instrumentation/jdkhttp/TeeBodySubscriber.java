package dev.taskmaster.agent.instrumentation.jdkhttp;

import dev.taskmaster.agent.httpcall.HttpModelCall;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

/**
 * Passes every signal to the application's subscriber unchanged (the same buffers and the same body
 * stage) after letting the agent see the bytes, which it reads without moving the buffers'
 * positions. The subscription is wrapped only to notice when the application cancels it.
 */
final class TeeBodySubscriber<T> implements HttpResponse.BodySubscriber<T> {

  private final HttpResponse.BodySubscriber<T> application;
  private final HttpModelCall call;

  TeeBodySubscriber(HttpResponse.BodySubscriber<T> application, HttpModelCall call) {
    this.application = application;
    this.call = call;
  }

  @Override
  public CompletionStage<T> getBody() {
    return application.getBody();
  }

  @Override
  public void onSubscribe(Flow.Subscription subscription) {
    Flow.Subscription observed = subscription;
    try {
      observed = new ObservedSubscription(subscription, call);
    } catch (Throwable failure) {
      call.agentFailed(failure);
    }
    application.onSubscribe(observed);
  }

  @Override
  public void onNext(List<ByteBuffer> buffers) {
    try {
      for (int i = 0, n = buffers.size(); i < n; i++) {
        call.onBytes(buffers.get(i));
      }
    } catch (Throwable failure) {
      call.agentFailed(failure);
    }
    application.onNext(buffers);
  }

  @Override
  public void onError(Throwable error) {
    try {
      call.fail(error);
    } catch (Throwable failure) {
      call.agentFailed(failure);
    }
    application.onError(error);
  }

  @Override
  public void onComplete() {
    try {
      call.complete();
    } catch (Throwable failure) {
      call.agentFailed(failure);
    }
    application.onComplete();
  }

  /** Notices when the application gives up on the body (closes its stream early, cancels). */
  private static final class ObservedSubscription implements Flow.Subscription {
    private final Flow.Subscription delegate;
    private final HttpModelCall call;

    ObservedSubscription(Flow.Subscription delegate, HttpModelCall call) {
      this.delegate = delegate;
      this.call = call;
    }

    @Override
    public void request(long n) {
      delegate.request(n);
    }

    @Override
    public void cancel() {
      try {
        call.cancel();
      } catch (Throwable failure) {
        call.agentFailed(failure);
      }
      delegate.cancel();
    }
  }
}
