package dev.taskmaster.agent.instrumentation.jdkhttp;

import dev.taskmaster.agent.httpcall.HttpModelCall;
import java.net.http.HttpResponse;

/**
 * Stands in for the application's body handler on a model call: the application's own handler still
 * builds the body it asked for, and every byte also passes through the agent on its way.
 */
final class TeeBodyHandler<T> implements HttpResponse.BodyHandler<T> {

  private final HttpResponse.BodyHandler<T> application;
  private final HttpModelCall call;

  TeeBodyHandler(HttpResponse.BodyHandler<T> application, HttpModelCall call) {
    this.application = application;
    this.call = call;
  }

  @Override
  public HttpResponse.BodySubscriber<T> apply(HttpResponse.ResponseInfo info) {
    HttpResponse.BodySubscriber<T> subscriber = application.apply(info);
    try {
      call.responseStarted(info.statusCode(), info.headers().firstValue("content-type").orElse(""));
      call.contentEncoding(info.headers().firstValue("content-encoding").orElse(null));
      return new TeeBodySubscriber<>(subscriber, call);
    } catch (Throwable failure) {
      call.agentFailed(failure);
      return subscriber;
    }
  }
}
