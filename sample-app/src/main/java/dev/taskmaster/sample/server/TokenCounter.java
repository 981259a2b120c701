package dev.taskmaster.sample.server;

/**
 * The model server's token rule: one token per whitespace-separated word.
 *
 * <p>Prompt tokens are the words of every message content (or prompt, instructions, input) of a
 * request added up; completion tokens are the words of the generated answer. Every {@code usage}
 * block and every Ollama count the server reports follows this rule exactly, so a test can compute
 * the expected totals from the texts alone.
 */
public final class TokenCounter {

  private TokenCounter() {}

  /** Number of whitespace-separated words in {@code text}; 0 for null, empty or blank text. */
  public static int count(String text) {
    if (text == null) {
      return 0;
    }
    int words = 0;
    boolean inWord = false;
    for (int i = 0; i < text.length(); i++) {
      boolean space = Character.isWhitespace(text.charAt(i));
      if (!space && !inWord) {
        words++;
      }
      inWord = !space;
    }
    return words;
  }
}
