package dev.taskmaster.sample.ollama;

import java.io.IOException;

/** An Ollama server answered with an HTTP error or with a body that is not a chat answer. */
public final class OllamaException extends IOException {

  private final int statusCode;

  public OllamaException(int statusCode, String message) {
    super(message);
    this.statusCode = statusCode;
  }

  /** The HTTP status of the answer. */
  public int statusCode() {
    return statusCode;
  }
}
