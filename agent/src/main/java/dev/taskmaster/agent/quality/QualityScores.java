package dev.taskmaster.agent.quality;

/** The original scorer's four scores of one response, each in [0, 1], and their mean. */
public final class QualityScores {

  /** Score of the response's length in characters. */
  public final double length;

  /** Score of the call's duration. */
  public final double latency;

  /** Score of the presence of a structure marker. */
  public final double format;

  /** Score of the share of distinct words. */
  public final double coherence;

  /** Mean of the four scores: {@code overall_quality}. */
  public final double overall;

  /** Length of the response in characters (Unicode code points). */
  public final int lengthChars;

  QualityScores(double length, double latency, double format, double coherence, int lengthChars) {
    this.length = length;
    this.latency = latency;
    this.format = format;
    this.coherence = coherence;
    this.overall = (length + latency + format + coherence) / 4;
    this.lengthChars = lengthChars;
  }

  @Override
  public String toString() {
    return "QualityScores{length="
        + length
        + ", latency="
        + latency
        + ", format="
        + format
        + ", coherence="
        + coherence
        + ", overall="
        + overall
        + '}';
  }
}
