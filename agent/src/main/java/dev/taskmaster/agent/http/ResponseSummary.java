package dev.taskmaster.agent.http;

/**
 * What the agent reads from one recorded model response. Numbers the response did not carry are -1
 * (never 0: a stream without usage has <em>unknown</em> output tokens); texts it did not carry are
 * {@code null}. The response text is only used when content capture is on.
 */
public final class ResponseSummary {

  /** How the response body was laid out. */
  public enum Format {
    /** No bytes were captured. */
    EMPTY,
    /** One JSON document. */
    JSON,
    /** Server-sent events ({@code data: ...} lines). */
    SSE,
    /** Newline-delimited JSON, as Ollama streams. */
    NDJSON,
    /** Something else, such as an HTML error page or binary data. */
    OTHER
  }

  /** The server's response id ({@code chatcmpl-...}, {@code resp_...}); Ollama sends none. */
  public final String id;

  /** The model the server says answered, or {@code null}. */
  public final String model;

  /** The answer's text (first choice only), cut at {@link ResponseParser#MAX_TEXT_CHARS}. */
  public final String text;

  /** Characters of answer text in all, including those past the cut; -1 when there was none. */
  public final long textLength;

  /**
   * Why generation stopped: OpenAI's {@code finish_reason}, Ollama's {@code done_reason}, or for
   * the Responses API {@code stop}, {@code tool_calls}, {@code length} (for {@code
   * max_output_tokens}), {@code content_filter} or the status; {@code null} when not seen.
   */
  public final String finishReason;

  /** Tool (function) calls the model asked for. */
  public final int toolCalls;

  /** Prompt tokens: {@code prompt_tokens}, {@code input_tokens} or {@code prompt_eval_count}. */
  public final long inputTokens;

  /** Output tokens: {@code completion_tokens}, {@code output_tokens} or {@code eval_count}. */
  public final long outputTokens;

  /** Prompt tokens served from the provider's cache ({@code cached_tokens}). */
  public final long cachedInputTokens;

  /** Output tokens spent on reasoning ({@code reasoning_tokens}). */
  public final long reasoningTokens;

  /** Ollama's {@code total_duration}, nanoseconds as measured by the server. */
  public final long serverTotalNanos;

  /** Ollama's {@code load_duration}, nanoseconds. */
  public final long serverLoadNanos;

  /** Ollama's {@code prompt_eval_duration}, nanoseconds. */
  public final long serverPromptEvalNanos;

  /** Ollama's {@code eval_duration}, nanoseconds. */
  public final long serverEvalNanos;

  /** From the request to the first response byte. */
  public final long timeToFirstByteNanos;

  /**
   * From the request to the arrival of the first streamed line carrying answer text, reasoning text
   * or a tool call; -1 for a response that was not streamed.
   */
  public final long timeToFirstTokenNanos;

  /** From the request to the end of the recording; -1 if it had not ended. */
  public final long durationNanos;

  /**
   * Output tokens per second: Ollama's {@code eval_count / eval_duration} when sent, else output
   * tokens divided by the time from the first token to the last streamed line; -1 when unknown.
   */
  public final double outputTokensPerSecond;

  /** Error {@code code} or {@code type} from an error body or event, or {@code null}. */
  public final String errorType;

  /** Error message from an error body or event, cut short, or {@code null}. */
  public final String errorMessage;

  /** How the body was laid out. */
  public final Format format;

  /** JSON objects read (a whole body, or one per event or line). */
  public final int events;

  /**
   * Whether the response's own end was seen: a complete JSON body, {@code data: [DONE]}, Ollama's
   * {@code "done": true}, or a final Responses event.
   */
  public final boolean endSeen;

  /** Whether captured bytes that should have been readable were not (malformed JSON, garbage). */
  public final boolean parseError;

  /** Whether the capture limit cut the body: everything here describes the captured part only. */
  public final boolean overflowed;

  /** Bytes the application read. */
  public final long totalBytes;

  /** How the recording ended. */
  public final ResponseRecorder.Outcome outcome;

  /** Exception class the read failed with, or {@code null}. */
  public final String failure;

  ResponseSummary(ResponseParser.Reading r) {
    this.id = r.id;
    this.model = r.model;
    this.text = r.resultText();
    this.textLength = r.resultTextLength();
    this.finishReason = r.resultFinishReason();
    this.toolCalls = Math.max(r.toolCalls, r.finalToolCalls);
    this.inputTokens = r.inputTokens;
    this.outputTokens = r.outputTokens;
    this.cachedInputTokens = r.cachedInputTokens;
    this.reasoningTokens = r.reasoningTokens;
    this.serverTotalNanos = r.serverTotalNanos;
    this.serverLoadNanos = r.serverLoadNanos;
    this.serverPromptEvalNanos = r.serverPromptEvalNanos;
    this.serverEvalNanos = r.serverEvalNanos;
    this.timeToFirstByteNanos = r.timeToFirstByteNanos;
    this.timeToFirstTokenNanos = r.resultTimeToFirstToken();
    this.durationNanos = r.durationNanos;
    this.outputTokensPerSecond = r.resultOutputTokensPerSecond();
    this.errorType = r.errorType;
    this.errorMessage = r.errorMessage;
    this.format = r.format;
    this.events = r.events;
    this.endSeen = r.endSeen;
    this.parseError = r.parseError;
    this.overflowed = r.overflowed;
    this.totalBytes = r.totalBytes;
    this.outcome = r.outcome;
    this.failure = r.failure;
  }

  /** Whether the body or a stream event reported an error. */
  public boolean hasError() {
    return errorType != null || errorMessage != null;
  }

  /** Whether the body was streamed (server-sent events or newline-delimited JSON). */
  public boolean streamed() {
    return format == Format.SSE || format == Format.NDJSON;
  }

  /** Describes the summary without any prompt or answer text. */
  @Override
  public String toString() {
    return "ResponseSummary{format="
        + format
        + ", id="
        + id
        + ", model="
        + model
        + ", textLength="
        + textLength
        + ", finishReason="
        + finishReason
        + ", toolCalls="
        + toolCalls
        + ", inputTokens="
        + inputTokens
        + ", outputTokens="
        + outputTokens
        + ", ttftNanos="
        + timeToFirstTokenNanos
        + ", outputTokensPerSecond="
        + outputTokensPerSecond
        + ", errorType="
        + errorType
        + ", events="
        + events
        + ", endSeen="
        + endSeen
        + ", parseError="
        + parseError
        + ", overflowed="
        + overflowed
        + ", outcome="
        + outcome
        + "}";
  }
}
