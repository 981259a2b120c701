package dev.taskmaster.agent.http;

/**
 * What the agent reads from the JSON body of a model request. Numbers that the body does not carry
 * are -1. Never holds headers, keys or query strings; the prompt text is only used when content
 * capture is on.
 */
public final class RequestSummary {

  /** The {@code model} field, or {@code null}. */
  public final String model;

  /**
   * Whether the server will stream: the {@code stream} field, else the flavour's default (true for
   * Ollama's chat and generate, false otherwise).
   */
  public final boolean stream;

  /** {@code stream_options.include_usage}; false when absent. */
  public final boolean includeUsage;

  /**
   * The output limit: {@code max_completion_tokens}, {@code max_tokens}, {@code max_output_tokens}
   * or Ollama's {@code options.num_predict}; -1 when absent.
   */
  public final long maxTokens;

  /** Entries of {@code messages}, or of an {@code input} list; -1 when there is no list. */
  public final int messageCount;

  /**
   * Characters of text given to the model: message contents (a string, or the {@code text} of each
   * part), {@code prompt}, {@code input}, {@code system} and {@code instructions}; -1 when the body
   * carries none.
   */
  public final long promptLength;

  /**
   * The same text, parts joined by a newline, cut at {@link RequestReader#MAX_PROMPT_CHARS}; {@code
   * null} when there is none.
   */
  public final String prompt;

  /**
   * Whether JSON output was requested: {@code response_format.type} or {@code text.format.type}
   * {@code json_object} / {@code json_schema}, or an Ollama {@code format} of {@code json} or a
   * schema.
   */
  public final boolean jsonRequested;

  /**
   * Whether the body was missing, not a JSON object, or broke off; the fields hold what was read.
   */
  public final boolean parseError;

  RequestSummary(
      String model,
      boolean stream,
      boolean includeUsage,
      long maxTokens,
      int messageCount,
      long promptLength,
      String prompt,
      boolean jsonRequested,
      boolean parseError) {
    this.model = model;
    this.stream = stream;
    this.includeUsage = includeUsage;
    this.maxTokens = maxTokens;
    this.messageCount = messageCount;
    this.promptLength = promptLength;
    this.prompt = prompt;
    this.jsonRequested = jsonRequested;
    this.parseError = parseError;
  }

  @Override
  public String toString() {
    return "RequestSummary{model="
        + model
        + ", stream="
        + stream
        + ", includeUsage="
        + includeUsage
        + ", maxTokens="
        + maxTokens
        + ", messageCount="
        + messageCount
        + ", promptLength="
        + promptLength
        + ", jsonRequested="
        + jsonRequested
        + ", parseError="
        + parseError
        + "}";
  }
}
