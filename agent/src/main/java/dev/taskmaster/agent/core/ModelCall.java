package dev.taskmaster.agent.core;

import java.util.concurrent.ThreadLocalRandom;

/**
 * One finished model call, as handed to the agent's background processing (structured logs, quality
 * scores, drift, alert data). Built on the calling thread from what was already read; everything
 * expensive happens later, off that thread.
 *
 * <p>Holds the prompt and response text only for processing: they are written nowhere unless
 * content capture is on.
 */
public final class ModelCall implements PendingCall {

  /** {@code status} of a call that returned. */
  public static final String SUCCESS = "success";

  /** {@code status} of a call that threw or got an error response. */
  public static final String ERROR = "error";

  /** {@code status} of a call that the application cancelled or abandoned. */
  public static final String CANCELLED = "cancelled";

  /** The server's response id when it sent one (such as {@code chatcmpl-...}), else generated. */
  public final String requestId;

  /** Wall-clock start, Unix milliseconds. */
  public final long startEpochMillis;

  public final long durationNanos;

  /** Time to first token of a streamed response, or -1. */
  public final long timeToFirstTokenNanos;

  /** The {@code endpoint} label value. */
  public final String endpoint;

  /** The {@code model} label value (after the cardinality limit). */
  public final String model;

  /** {@link #SUCCESS}, {@link #ERROR} or {@link #CANCELLED}. */
  public final String status;

  /** Prompt length in characters, or -1. */
  public final int promptLength;

  /** Prompt text, or {@code null}; never written unless content capture is on. */
  public final String prompt;

  /** Response text, or {@code null}; never written unless content capture is on. */
  public final String response;

  /** Input tokens reported by the server, or -1. */
  public final long inputTokens;

  /** Output tokens reported by the server, or -1. */
  public final long outputTokens;

  /** Input tokens the server says it served from its prompt cache (part of inputTokens), or -1. */
  public final long cachedInputTokens;

  /** {@code finish_reason} or {@code done_reason}, or {@code null}. */
  public final String finishReason;

  /** Whether the request asked for JSON output. */
  public final boolean jsonRequested;

  /** Error kind ({@code exception}, {@code http_5xx}, ...), or {@code null}. */
  public final String errorKind;

  /** Short error description (exception class and message), or {@code null}. */
  public final String error;

  private ModelCall(Builder builder) {
    this.requestId = builder.requestId;
    this.startEpochMillis = builder.startEpochMillis;
    this.durationNanos = builder.durationNanos;
    this.timeToFirstTokenNanos = builder.timeToFirstTokenNanos;
    this.endpoint = builder.endpoint;
    this.model = builder.model;
    this.status = builder.status;
    this.promptLength = builder.promptLength;
    this.prompt = builder.prompt;
    this.response = builder.response;
    this.inputTokens = builder.inputTokens;
    this.outputTokens = builder.outputTokens;
    this.cachedInputTokens = builder.cachedInputTokens;
    this.finishReason = builder.finishReason;
    this.jsonRequested = builder.jsonRequested;
    this.errorKind = builder.errorKind;
    this.error = builder.error;
  }

  @Override
  public ModelCall describe() {
    return this;
  }

  /** An id for a call whose server sent none: {@code tm-} and 16 hexadecimal digits. */
  static String generatedId() {
    String hex = Long.toHexString(ThreadLocalRandom.current().nextLong());
    return "tm-" + "0".repeat(16 - hex.length()) + hex;
  }

  /** Starts a call description; unset numbers are -1, unset texts {@code null}. */
  public static Builder builder(String endpoint, String model, String status) {
    return new Builder(endpoint, model, status);
  }

  /** Builds a {@link ModelCall}. */
  public static final class Builder {
    private String requestId;
    private long startEpochMillis = System.currentTimeMillis();
    private long durationNanos;
    private long timeToFirstTokenNanos = -1;
    private final String endpoint;
    private final String model;
    private final String status;
    private int promptLength = -1;
    private String prompt;
    private String response;
    private long inputTokens = -1;
    private long outputTokens = -1;
    private long cachedInputTokens = -1;
    private String finishReason;
    private boolean jsonRequested;
    private String errorKind;
    private String error;

    private Builder(String endpoint, String model, String status) {
      this.endpoint = endpoint;
      this.model = model;
      this.status = status;
    }

    public Builder requestId(String value) {
      requestId = value;
      return this;
    }

    public Builder startEpochMillis(long value) {
      startEpochMillis = value;
      return this;
    }

    public Builder durationNanos(long value) {
      durationNanos = value;
      return this;
    }

    public Builder timeToFirstTokenNanos(long value) {
      timeToFirstTokenNanos = value;
      return this;
    }

    public Builder prompt(String text) {
      prompt = text;
      promptLength = text == null ? -1 : text.length();
      return this;
    }

    public Builder promptLength(int value) {
      promptLength = value;
      return this;
    }

    public Builder response(String text) {
      response = text;
      return this;
    }

    public Builder inputTokens(long value) {
      inputTokens = value;
      return this;
    }

    public Builder outputTokens(long value) {
      outputTokens = value;
      return this;
    }

    public Builder cachedInputTokens(long value) {
      cachedInputTokens = value;
      return this;
    }

    public Builder finishReason(String value) {
      finishReason = value;
      return this;
    }

    public Builder jsonRequested(boolean value) {
      jsonRequested = value;
      return this;
    }

    public Builder error(String kind, String description) {
      errorKind = kind;
      error = description;
      return this;
    }

    /** Builds the call; one without a server-given id gets a generated one. */
    public ModelCall build() {
      if (requestId == null) {
        requestId = generatedId();
      }
      return new ModelCall(this);
    }
  }
}
