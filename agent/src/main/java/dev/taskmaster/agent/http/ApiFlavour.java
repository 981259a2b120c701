package dev.taskmaster.agent.http;

/**
 * The wire format of a recognised model endpoint. It decides how a request body and a response are
 * read, and the defaults that apply when a field is absent.
 */
public enum ApiFlavour {
  /** OpenAI-compatible {@code /v1/chat/completions}. */
  OPENAI_CHAT("chat", false),
  /** OpenAI-compatible legacy {@code /v1/completions}. */
  OPENAI_COMPLETIONS("completions", false),
  /** OpenAI Responses API, {@code /v1/responses}. */
  OPENAI_RESPONSES("responses", false),
  /** OpenAI-compatible {@code /v1/embeddings}. */
  OPENAI_EMBEDDINGS("embeddings", false),
  /** Ollama {@code /api/chat}; streams unless the request says {@code "stream": false}. */
  OLLAMA_CHAT("chat", true),
  /** Ollama {@code /api/generate}; streams unless the request says {@code "stream": false}. */
  OLLAMA_GENERATE("generate", true),
  /** Ollama {@code /api/embed} and the older {@code /api/embeddings}. */
  OLLAMA_EMBED("embed", false);

  private final String operation;
  private final boolean streamsByDefault;

  ApiFlavour(String operation, boolean streamsByDefault) {
    this.operation = operation;
    this.streamsByDefault = streamsByDefault;
  }

  /** The operation label an endpoint of this flavour gets unless its entry names another. */
  public String operation() {
    return operation;
  }

  /** Whether the server streams when the request has no {@code stream} field. */
  public boolean streamsByDefault() {
    return streamsByDefault;
  }

  /** Whether this is one of Ollama's native APIs (newline-delimited JSON when streaming). */
  public boolean isOllama() {
    return this == OLLAMA_CHAT || this == OLLAMA_GENERATE || this == OLLAMA_EMBED;
  }
}
