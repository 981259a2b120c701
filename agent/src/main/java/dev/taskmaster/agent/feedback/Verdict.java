package dev.taskmaster.agent.feedback;

/** How a feedback score reads: the {@code verdict} label of {@code taskmaster_feedback_total}. */
public enum Verdict {
  /** A score above 0.5, such as a thumbs up (1). */
  POSITIVE("positive"),
  /** A score of exactly 0.5. */
  NEUTRAL("neutral"),
  /** A score below 0.5, such as a thumbs down (0). */
  NEGATIVE("negative");

  private final String label;

  Verdict(String label) {
    this.label = label;
  }

  /** The label value. */
  public String label() {
    return label;
  }

  /** The verdict of a score from 0 to 1. */
  public static Verdict of(double score) {
    if (score > 0.5) {
      return POSITIVE;
    }
    return score < 0.5 ? NEGATIVE : NEUTRAL;
  }
}
