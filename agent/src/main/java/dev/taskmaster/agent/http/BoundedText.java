package dev.taskmaster.agent.http;

/**
 * Text collected from pieces, kept up to a number of characters while the full length is still
 * counted. Never cuts between the two halves of a surrogate pair.
 */
final class BoundedText {

  private final int maxChars;
  private StringBuilder text;
  private long length;
  private int pieces;

  BoundedText(int maxChars) {
    this.maxChars = maxChars;
  }

  /** Appends a piece directly after the previous one. */
  void append(String piece) {
    add(piece, false);
  }

  /** Appends a piece, separated from the previous one by a newline that is not counted. */
  void appendPart(String piece) {
    add(piece, true);
  }

  private void add(String piece, boolean separate) {
    if (piece == null) {
      return;
    }
    length += piece.length();
    if (text == null) {
      text = new StringBuilder(Math.min(Math.max(16, piece.length()), maxChars));
    } else if (separate && pieces > 0 && text.length() < maxChars) {
      text.append('\n');
    }
    pieces++;
    int room = maxChars - text.length();
    if (room <= 0) {
      return;
    }
    if (piece.length() <= room) {
      text.append(piece);
      return;
    }
    int cut = room;
    if (Character.isHighSurrogate(piece.charAt(cut - 1))) {
      cut--;
    }
    text.append(piece, 0, cut);
  }

  /** Whether any piece, even an empty one, was appended. */
  boolean isPresent() {
    return text != null;
  }

  /** Characters appended in all, including those past the limit; separators are not counted. */
  long length() {
    return length;
  }

  /** The kept text, or {@code null} when nothing was appended. */
  String value() {
    return text == null ? null : text.toString();
  }
}
