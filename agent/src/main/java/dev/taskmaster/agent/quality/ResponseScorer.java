package dev.taskmaster.agent.quality;

/**
 * The product's original quality scorer, with configurable thresholds: length, latency, format and
 * coherence scores of one response, and their mean.
 *
 * <p>Linear in the response's length, and allocates one small result per call. Not thread-safe: it
 * reuses a buffer, and the agent calls it from its one background thread.
 */
public final class ResponseScorer {

  private static final long FNV_OFFSET = 0xcbf29ce484222325L;
  private static final long FNV_PRIME = 0x100000001b3L;

  private final QualitySettings settings;
  private final WordHashSet distinctWords = new WordHashSet(1024);

  public ResponseScorer(QualitySettings settings) {
    this.settings = settings;
  }

  /**
   * Scores one response.
   *
   * @param text the response text, not {@code null} (an empty text is scored as the original did)
   * @param durationNanos the call's duration
   */
  public QualityScores score(String text, long durationNanos) {
    int lengthChars = text.codePointCount(0, text.length());
    return new QualityScores(
        lengthScore(lengthChars),
        latencyScore(durationNanos / 1e6),
        formatScore(text),
        coherenceScore(text),
        lengthChars);
  }

  /** {@code length_score} of a response of this many characters. */
  public double lengthScore(int chars) {
    QualitySettings s = settings;
    if (chars >= s.lengthIdealMin && chars <= s.lengthIdealMax) {
      return s.lengthIdealScore;
    }
    if (chars >= s.lengthAcceptableMin && chars <= s.lengthAcceptableMax) {
      return s.lengthAcceptableScore;
    }
    return s.lengthOtherScore;
  }

  /** {@code latency_score} of a call of this many milliseconds. */
  public double latencyScore(double millis) {
    double[] thresholds = settings.latencyThresholdsMillis;
    for (int i = 0; i < thresholds.length; i++) {
      if (millis < thresholds[i]) {
        return settings.latencyScores[i];
      }
    }
    return settings.latencyScores[thresholds.length];
  }

  /** {@code format_score}: whether the text holds a structure marker. */
  public double formatScore(String text) {
    for (String marker : settings.formatMarkers) {
      if (text.contains(marker)) {
        return settings.formatStructuredScore;
      }
    }
    return settings.formatPlainScore;
  }

  /**
   * {@code coherence_score}: min(1, distinct words / words × factor) over whitespace-separated
   * words, compared exactly as the original did; 1 for a text of at most the minimum word count.
   */
  public double coherenceScore(String text) {
    distinctWords.clear();
    int words = 0;
    long hash = FNV_OFFSET;
    boolean inWord = false;
    for (int i = 0, n = text.length(); i < n; i++) {
      char c = text.charAt(i);
      if (Character.isWhitespace(c)) {
        if (inWord) {
          distinctWords.add(hash);
          words++;
          inWord = false;
        }
      } else {
        if (!inWord) {
          hash = FNV_OFFSET;
          inWord = true;
        }
        hash = (hash ^ c) * FNV_PRIME;
      }
    }
    if (inWord) {
      distinctWords.add(hash);
      words++;
    }
    if (words <= settings.coherenceMinWords) {
      return 1.0;
    }
    return Math.min(1.0, (double) distinctWords.size() / words * settings.coherenceFactor);
  }
}
