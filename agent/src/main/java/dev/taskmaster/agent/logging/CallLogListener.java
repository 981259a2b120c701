package dev.taskmaster.agent.logging;

import dev.taskmaster.agent.core.CallListener;
import dev.taskmaster.agent.core.ModelCall;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * Writes one {@code request} line per finished model call:
 *
 * <pre>{@code
 * {"timestamp":"2025-01-31T12:00:01.234Z","level":"INFO","service":"checkout",
 *  "message":"chat call to gpt-4o-mini succeeded in 812 ms","event_type":"request",
 *  "request_id":"chatcmpl-123","endpoint":"chat","model":"gpt-4o-mini","status":"success",
 *  "prompt_length":42,"response_length":311,"latency_ms":812.113,"tokens_in":12,"tokens_out":80,
 *  "finish_reason":"stop"}
 * }</pre>
 *
 * <p>(One line in the real output.) Counts that are unknown are {@code null}. A failed call adds
 * {@code error_kind} and {@code error} (redacted). {@code prompt} and {@code response} appear only
 * with {@code capture.content=true}, redacted and cut to {@code capture.max-chars}. Fields from
 * {@link CallLogFields} follow.
 */
public final class CallLogListener implements CallListener {

  private final StructuredLog log;
  private final LogSettings settings;
  private final Redactor redactor;
  private final Consumer<Throwable> failures;
  private final List<CallLogFields> extraFields = new CopyOnWriteArrayList<>();

  /**
   * @param failures counts an exception thrown by a {@link CallLogFields}
   */
  public CallLogListener(StructuredLog log, LogSettings settings, Consumer<Throwable> failures) {
    this.log = log;
    this.settings = settings;
    this.redactor = settings.redactor();
    this.failures = failures;
  }

  /** Attaches more fields to every line from now on. */
  public void addFields(CallLogFields fields) {
    extraFields.add(fields);
  }

  @Override
  public void onCall(ModelCall call) {
    log.emit(line(call));
  }

  /** The line of one call, not yet emitted. */
  LogLine line(ModelCall call) {
    long endMillis = call.startEpochMillis + call.durationNanos / 1_000_000;
    boolean failed = ModelCall.ERROR.equals(call.status);
    LogLine line =
        log.event(
            endMillis,
            StructuredLog.REQUEST,
            failed ? StructuredLog.ERROR : StructuredLog.INFO,
            message(call));
    line.put("request_id", call.requestId)
        .put("endpoint", call.endpoint)
        .put("model", call.model)
        .put("status", call.status)
        .putCount("prompt_length", call.promptLength)
        .putCount("response_length", call.response == null ? -1 : call.response.length())
        .put("latency_ms", Math.round(call.durationNanos / 1_000.0) / 1_000.0)
        .putCount("tokens_in", call.inputTokens)
        .putCount("tokens_out", call.outputTokens);
    if (call.timeToFirstTokenNanos >= 0) {
      line.put("ttft_ms", Math.round(call.timeToFirstTokenNanos / 1_000.0) / 1_000.0);
    }
    if (call.finishReason != null) {
      line.put("finish_reason", call.finishReason);
    }
    if (call.errorKind != null || call.error != null) {
      line.put("error_kind", call.errorKind).put("error", redactor.redact(call.error));
    }
    if (settings.captureContent()) {
      line.put("prompt", capture(call.prompt)).put("response", capture(call.response));
    }
    for (CallLogFields fields : extraFields) {
      try {
        fields.addTo(call, line);
      } catch (RuntimeException failure) {
        failures.accept(failure);
      }
    }
    return line;
  }

  private String capture(String text) {
    String redacted = redactor.redact(text);
    int max = settings.captureMaxChars();
    if (redacted == null || redacted.length() <= max) {
      return redacted;
    }
    int end = max;
    // Do not cut a surrogate pair in half.
    if (Character.isHighSurrogate(redacted.charAt(end - 1))) {
      end--;
    }
    return redacted.substring(0, end) + "...[" + (redacted.length() - end) + " chars cut]";
  }

  private static String message(ModelCall call) {
    long millis = Math.round(call.durationNanos / 1e6);
    String what = call.endpoint + " call to " + call.model;
    switch (call.status) {
      case ModelCall.SUCCESS:
        return what + " succeeded in " + millis + " ms";
      case ModelCall.CANCELLED:
        return what + " cancelled after " + millis + " ms";
      default:
        return what
            + " failed after "
            + millis
            + " ms"
            + (call.errorKind == null ? "" : " (" + call.errorKind + ")");
    }
  }
}
