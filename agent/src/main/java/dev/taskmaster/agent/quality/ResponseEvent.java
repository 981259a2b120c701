package dev.taskmaster.agent.quality;

/**
 * Something a response did that a mean score would hide; counted, never averaged into a score. Each
 * is one bit of the mask that {@link ResponseEventDetector#detect} returns.
 */
public enum ResponseEvent {
  /** A successful call whose answer is blank, or reported zero output tokens with no text. */
  EMPTY("empty"),
  /** The answer opens with a refusal phrase. */
  REFUSAL("refusal"),
  /** The server stopped the answer at the token limit. */
  TRUNCATED("truncated"),
  /** The answer repeats a run of words over and over. */
  REPETITION("repetition"),
  /** The request asked for JSON and the answer is not valid JSON. */
  INVALID_JSON("invalid_json");

  private static final ResponseEvent[] VALUES = values();

  private final String label;

  ResponseEvent(String label) {
    this.label = label;
  }

  /** The {@code event} label value. */
  public String label() {
    return label;
  }

  /** This event's bit in an event mask. */
  public int bit() {
    return 1 << ordinal();
  }

  /** Whether the mask holds this event. */
  public boolean in(int mask) {
    return (mask & bit()) != 0;
  }

  static ResponseEvent[] all() {
    return VALUES;
  }
}
