package dev.taskmaster.agent.httpcall;

import dev.taskmaster.agent.core.ModelCall;
import dev.taskmaster.agent.core.PendingCall;
import dev.taskmaster.agent.http.EndpointMatcher;
import dev.taskmaster.agent.http.GzipBody;
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
import java.util.function.Supplier;

/**
 * One model call over HTTP, from the request to the end of its response body. The client
 * instrumentation reports what passes; the call ends exactly once (completed, failed or cancelled),
 * records its outcome on the thread that ends it, and leaves the parsing of the bodies to the
 * pipeline's background thread.
 */
public final class HttpModelCall implements PendingCall {

  /** How much of a response is scanned for its model when the request's is unknown. */
  private static final int RESPONSE_MODEL_SCAN_BYTES = 4096;

  private final HttpCallRecorder owner;
  private final EndpointMatcher.Endpoint endpoint;
  // Read at the end of the call when it is deferred, then only read after the hand-over.
  private byte[] requestBody;
  private Supplier<byte[]> deferredRequestBody;
  private final long startNanos;
  private final long startMillis;
  private final AtomicBoolean ended = new AtomicBoolean();
  private volatile int statusCode = -1;
  private volatile String contentType = "";
  private volatile ResponseRecorder response;
  private volatile boolean gzipped;
  private String status;
  private String errorKind;
  private String error;
  private long durationNanos;
  private LlmMetrics.CallSeries series;

  HttpModelCall(
      HttpCallRecorder owner,
      EndpointMatcher.Endpoint endpoint,
      byte[] requestBody,
      Supplier<byte[]> deferredRequestBody,
      long startNanos,
      long startMillis) {
    this.owner = owner;
    this.endpoint = endpoint;
    this.requestBody = requestBody;
    this.deferredRequestBody = deferredRequestBody;
    this.startNanos = startNanos;
    this.startMillis = startMillis;
  }

  /**
   * The response's status line and headers arrived. Bytes that some client lets pass before its
   * instrumentation learns the status (an interceptor that reads the body) are kept.
   */
  public void responseStarted(int code, String type) {
    statusCode = code;
    contentType = type == null ? "" : type;
    recorder();
  }

  /**
   * The response body travels gzip-compressed where the agent sees it (the client inflates it for
   * the application); it is inflated before it is parsed.
   */
  public void contentEncoding(String encoding) {
    gzipped = encoding != null && encoding.toLowerCase(java.util.Locale.ROOT).contains("gzip");
  }

  /**
   * Forgets the bytes seen so far: they belonged to a response the client itself discarded (a
   * redirect or an authentication challenge it followed), and a new one begins.
   */
  public void restartResponse() {
    synchronized (this) {
      response = newRecorder();
    }
  }

  /** Whether the response's status is known yet. */
  public boolean hasStatus() {
    return statusCode >= 0;
  }

  /** Response bytes passed to the application; the buffer's position is not moved. */
  public void onBytes(ByteBuffer bytes) {
    recorder().onBytes(bytes);
  }

  /** Response bytes passed to the application. */
  public void onBytes(byte[] bytes, int offset, int length) {
    recorder().onBytes(bytes, offset, length);
  }

  /** One response byte as returned by {@code InputStream.read()}; -1 is ignored. */
  public void onByte(int value) {
    recorder().onByte(value);
  }

  /** Response bytes seen so far, including those past the capture limit. */
  public long responseBytes() {
    ResponseRecorder recorder = response;
    return recorder == null ? 0 : recorder.totalBytes();
  }

  private ResponseRecorder recorder() {
    ResponseRecorder recorder = response;
    if (recorder == null) {
      synchronized (this) {
        recorder = response;
        if (recorder == null) {
          recorder = newRecorder();
          response = recorder;
        }
      }
    }
    return recorder;
  }

  private ResponseRecorder newRecorder() {
    return new ResponseRecorder(
        (int) Math.min(Integer.MAX_VALUE, owner.captureMaxBytes), startNanos);
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

  /**
   * The application closed the response body before its end. A response with an error status is
   * still that error (the application had no use for its body); any other counts as cancelled.
   */
  public void abandoned() {
    if (statusCode >= 400) {
      complete();
    } else {
      cancel();
    }
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
    if (deferredRequestBody != null) {
      requestBody = read(deferredRequestBody);
      deferredRequestBody = null;
    }
    status = outcome;
    errorKind = kind;
    error = description;
    series = owner.metrics.get().series(endpoint.operation(), model());
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

  /**
   * The requested model; when the request body could not be read (a client that streams it), the
   * model the response names, from a scan of its first bytes.
   */
  private String model() {
    String model = RequestModelScanner.model(requestBody);
    ResponseRecorder recorder = response;
    if (model != null || recorder == null || gzipped) {
      return model;
    }
    return RequestModelScanner.model(recorder.capturedHead(RESPONSE_MODEL_SCAN_BYTES));
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
    boolean inflated = false;
    if (recorder != null && gzipped && recorder.isEnded()) {
      recorder = GzipBody.inflate(recorder);
      inflated = true;
    }
    if (recorder != null && ModelCall.SUCCESS.equals(status)) {
      boolean streaming =
          contentType.contains("event-stream")
              || contentType.contains("ndjson")
              || (request != null && request.stream);
      ResponseSummary summary =
          ResponseParser.parse(recorder, endpoint.flavour(), streaming, contentType);
      recordResponse(summary, call, inflated);
    }
    // Read for good: the pages go back to the pool for the next responses.
    if (recorder != null) {
      recorder.release();
    }
    if (inflated) {
      response.release();
    }
    return call.build();
  }

  private void recordResponse(ResponseSummary summary, ModelCall.Builder call, boolean inflated) {
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
    // An inflated body has no line timing of its own.
    long timeToFirstToken = inflated ? -1 : summary.timeToFirstTokenNanos;
    if (timeToFirstToken >= 0) {
      series.recordTimeToFirstToken(timeToFirstToken);
    }
    if (!inflated && summary.outputTokensPerSecond > 0) {
      series.recordOutputTokensPerSecond(summary.outputTokensPerSecond);
    }
    call.requestId(summary.id)
        .response(summary.text)
        .inputTokens(summary.inputTokens)
        .outputTokens(summary.outputTokens)
        .cachedInputTokens(summary.cachedInputTokens)
        .finishReason(summary.finishReason)
        .timeToFirstTokenNanos(timeToFirstToken);
  }

  /** The request body, or {@code null} when it cannot be read. */
  static byte[] read(Supplier<byte[]> requestBody) {
    try {
      return requestBody.get();
    } catch (RuntimeException unreadable) {
      return null;
    }
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
