package dev.taskmaster.agent.httpcall;

import dev.taskmaster.agent.core.ModelCall;
import dev.taskmaster.agent.core.PendingCall;
import dev.taskmaster.agent.http.EndpointMatcher;
import dev.taskmaster.agent.http.RequestReader;
import dev.taskmaster.agent.http.RequestSummary;
import dev.taskmaster.agent.http.ResponseParser;
import dev.taskmaster.agent.http.ResponseRecorder;
import dev.taskmaster.agent.http.ResponseSummary;
import dev.taskmaster.agent.metrics.LlmMetrics;
import java.io.InterruptedIOException;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One model call over HTTP, from the request to the end of its response body. The client
 * instrumentation reports what passes; the call ends exactly once (completed, failed or cancelled),
 * records its outcome on the thread that ends it, and leaves the parsing of the bodies to the
 * pipeline's background thread.
 */
public final class HttpModelCall implements PendingCall {

  private final HttpCallRecorder owner;
  private final EndpointMatcher.Endpoint endpoint;
  private final byte[] requestBody;
  private final long startNanos;
  private final long startMillis;
  private final AtomicBoolean ended = new AtomicBoolean();
  private volatile int statusCode = -1;
  private volatile String contentType = "";
  private volatile ResponseRecorder response;
  private String status;
  private String errorKind;
  private String error;
  private long durationNanos;
  private LlmMetrics.CallSeries series;

  HttpModelCall(
      HttpCallRecorder owner,
      EndpointMatcher.Endpoint endpoint,
      byte[] requestBody,
      long startNanos,
      long startMillis) {
    this.owner = owner;
    this.endpoint = endpoint;
    this.requestBody = requestBody;
    this.startNanos = startNanos;
    this.startMillis = startMillis;
  }

  /** The response's status line and headers arrived. */
  public void responseStarted(int code, String type) {
    statusCode = code;
    contentType = type == null ? "" : type;
    response =
        new ResponseRecorder((int) Math.min(Integer.MAX_VALUE, owner.captureMaxBytes), startNanos);
  }

  /** Response bytes passed to the application; the buffer's position is not moved. */
  public void onBytes(ByteBuffer bytes) {
    ResponseRecorder recorder = response;
    if (recorder != null) {
      recorder.onBytes(bytes);
    }
  }

  /** Response bytes passed to the application. */
  public void onBytes(byte[] bytes, int offset, int length) {
    ResponseRecorder recorder = response;
    if (recorder != null) {
      recorder.onBytes(bytes, offset, length);
    }
  }

  /** The response body ended normally. */
  public void complete() {
    ResponseRecorder recorder = response;
    if (recorder != null) {
      recorder.complete();
    }
    int code = statusCode;
    if (code >= 400) {
      end(ModelCall.ERROR, errorKindOf(code), "HTTP " + code);
    } else {
      end(ModelCall.SUCCESS, null, null);
    }
  }

  /** The call failed: no response, or the body broke off. */
  public void fail(Throwable failure) {
    ResponseRecorder recorder = response;
    if (recorder != null) {
      recorder.fail(failure);
    }
    end(ModelCall.ERROR, errorKindOf(failure), failure.getClass().getName());
  }

  /** The application cancelled the call or abandoned its response body. */
  public void cancel() {
    ResponseRecorder recorder = response;
    if (recorder != null) {
      recorder.cancel();
    }
    end(ModelCall.CANCELLED, null, null);
  }

  /** The agent's own code failed while following this call; the application is unaffected. */
  public void agentFailed(Throwable failure) {
    owner.metrics.get().agentError("http");
  }

  private void end(String outcome, String kind, String description) {
    if (!ended.compareAndSet(false, true)) {
      return;
    }
    durationNanos = System.nanoTime() - startNanos;
    status = outcome;
    errorKind = kind;
    error = description;
    series =
        owner.metrics.get().series(endpoint.operation(), RequestModelScanner.model(requestBody));
    switch (outcome) {
      case ModelCall.SUCCESS:
        series.recordSuccess(durationNanos);
        break;
      case ModelCall.CANCELLED:
        series.recordCancelled(durationNanos);
        break;
      default:
        series.recordError(durationNanos);
        series.recordErrorKind(kind);
    }
    owner.pipeline.submit(this);
  }

  /** Runs on the pipeline's thread: reads both bodies and records what they say. */
  @Override
  public ModelCall describe() {
    RequestSummary request =
        requestBody == null
            ? null
            : RequestReader.read(requestBody, requestBody.length, endpoint.flavour());
    ModelCall.Builder call =
        ModelCall.builder(endpoint.operation(), series.model(), status)
            .startEpochMillis(startMillis)
            .durationNanos(durationNanos);
    if (request != null) {
      call.prompt(request.prompt).jsonRequested(request.jsonRequested);
      if (request.promptLength >= 0) {
        call.promptLength((int) Math.min(Integer.MAX_VALUE, request.promptLength));
      }
    }
    if (errorKind != null) {
      call.error(errorKind, error);
    }
    ResponseRecorder recorder = response;
    if (recorder != null && ModelCall.SUCCESS.equals(status)) {
      boolean streaming =
          contentType.contains("event-stream")
              || contentType.contains("ndjson")
              || (request != null && request.stream);
      ResponseSummary summary =
          ResponseParser.parse(recorder, endpoint.flavour(), streaming, contentType);
      recordResponse(summary, call);
    }
    return call.build();
  }

  private void recordResponse(ResponseSummary summary, ModelCall.Builder call) {
    if (summary.overflowed) {
      owner.metrics.get().responseNotParsed(endpoint.operation(), "too_large");
      return;
    }
    if (summary.parseError) {
      series.recordErrorKind("parse");
      return;
    }
    series.recordTokens(summary.inputTokens, summary.outputTokens);
    if (summary.text != null) {
      series.recordResponseLength(summary.text.length());
    }
    if (summary.timeToFirstTokenNanos >= 0) {
      series.recordTimeToFirstToken(summary.timeToFirstTokenNanos);
    }
    if (summary.outputTokensPerSecond > 0) {
      series.recordOutputTokensPerSecond(summary.outputTokensPerSecond);
    }
    call.requestId(summary.id)
        .response(summary.text)
        .inputTokens(summary.inputTokens)
        .outputTokens(summary.outputTokens)
        .cachedInputTokens(summary.cachedInputTokens)
        .finishReason(summary.finishReason)
        .timeToFirstTokenNanos(summary.timeToFirstTokenNanos);
  }

  static String errorKindOf(int statusCode) {
    if (statusCode == 429) {
      return "rate_limited";
    }
    return statusCode >= 500 ? "http_5xx" : "http_4xx";
  }

  static String errorKindOf(Throwable failure) {
    for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
      if (cause instanceof HttpTimeoutException || cause instanceof InterruptedIOException) {
        return "timeout";
      }
      if (cause.getCause() == cause) {
        break;
      }
    }
    return "connection";
  }
}
