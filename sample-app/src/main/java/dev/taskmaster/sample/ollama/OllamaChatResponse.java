package dev.taskmaster.sample.ollama;

/** The answer of a non-streaming Ollama {@code /api/chat} call. */
public final class OllamaChatResponse {

  private final String model;
  private final String content;
  private final String doneReason;
  private final int promptEvalCount;
  private final int evalCount;
  private final long totalDurationNanos;

  public OllamaChatResponse(
      String model,
      String content,
      String doneReason,
      int promptEvalCount,
      int evalCount,
      long totalDurationNanos) {
    this.model = model;
    this.content = content;
    this.doneReason = doneReason;
    this.promptEvalCount = promptEvalCount;
    this.evalCount = evalCount;
    this.totalDurationNanos = totalDurationNanos;
  }

  /** The model that answered, as the server names it. */
  public String getModel() {
    return model;
  }

  /** The text of the assistant's message; empty if it said nothing. */
  public String getContent() {
    return content;
  }

  /** Why generation stopped: {@code stop}, {@code length}, ...; null if the server did not say. */
  public String getDoneReason() {
    return doneReason;
  }

  /** Tokens of the prompt ({@code prompt_eval_count}); 0 if absent. */
  public int getPromptEvalCount() {
    return promptEvalCount;
  }

  /** Tokens of the answer ({@code eval_count}); 0 if absent. */
  public int getEvalCount() {
    return evalCount;
  }

  /** Time the server spent on the request ({@code total_duration}), in nanoseconds; 0 if absent. */
  public long getTotalDurationNanos() {
    return totalDurationNanos;
  }

  @Override
  public String toString() {
    return "OllamaChatResponse{model="
        + model
        + ", doneReason="
        + doneReason
        + ", promptEvalCount="
        + promptEvalCount
        + ", evalCount="
        + evalCount
        + ", content="
        + content.length()
        + " chars}";
  }
}
