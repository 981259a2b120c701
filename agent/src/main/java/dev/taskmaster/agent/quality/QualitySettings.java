package dev.taskmaster.agent.quality;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * Immutable settings of response scoring and event detection. {@link #defaults()} reproduces the
 * product's original scorer; every threshold can be changed through {@link #builder()}.
 *
 * <p>Configuration keys (wired by the config package) are named in each builder method's Javadoc.
 */
public final class QualitySettings {

  /** Phrases that open a refusal, in lower case, with a plain apostrophe. */
  public static final List<String> DEFAULT_REFUSAL_PHRASES =
      List.of(
          "i'm sorry, but i can't",
          "i'm sorry, but i cannot",
          "i am sorry, but i cannot",
          "i'm sorry, i can't",
          "i'm sorry, i cannot",
          "i can't help with",
          "i cannot help with",
          "i can't assist with",
          "i cannot assist with",
          "i can't provide",
          "i cannot provide",
          "i can't comply",
          "i cannot comply",
          "i can't fulfill",
          "i cannot fulfill",
          "i'm unable to",
          "i am unable to",
          "i'm not able to",
          "i am not able to",
          "i won't be able to",
          "i must decline",
          "as an ai language model");

  /** Finish reasons that mean the answer was cut at the token limit (OpenAI, Ollama, Anthropic). */
  public static final List<String> DEFAULT_TRUNCATION_REASONS = List.of("length", "max_tokens");

  /** Markers whose presence makes a text structured for the format score. */
  public static final List<String> DEFAULT_FORMAT_MARKERS =
      List.of(":", "-", "*", "**", "\n", "\r");

  /** Upper bounds of the per-response quality histogram. */
  public static final double[] DEFAULT_HISTOGRAM_BUCKETS = {
    0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0
  };

  private static final QualitySettings DEFAULTS = builder().build();

  final int lengthIdealMin;
  final int lengthIdealMax;
  final int lengthAcceptableMin;
  final int lengthAcceptableMax;
  final double lengthIdealScore;
  final double lengthAcceptableScore;
  final double lengthOtherScore;
  final double[] latencyThresholdsMillis;
  final double[] latencyScores;
  final List<String> formatMarkers;
  final double formatStructuredScore;
  final double formatPlainScore;
  final int coherenceMinWords;
  final double coherenceFactor;
  final List<String> refusalPhrases;
  final int refusalScanChars;
  final List<String> truncationReasons;
  final int repetitionMinCopies;
  final int repetitionMinWords;
  final int repetitionMaxPeriod;
  final boolean jsonAcceptCodeFence;
  final int window;
  final double[] histogramBuckets;

  private QualitySettings(Builder b) {
    lengthIdealMin = b.lengthIdealMin;
    lengthIdealMax = b.lengthIdealMax;
    lengthAcceptableMin = b.lengthAcceptableMin;
    lengthAcceptableMax = b.lengthAcceptableMax;
    lengthIdealScore = b.lengthIdealScore;
    lengthAcceptableScore = b.lengthAcceptableScore;
    lengthOtherScore = b.lengthOtherScore;
    latencyThresholdsMillis = b.latencyThresholdsMillis.clone();
    latencyScores = b.latencyScores.clone();
    formatMarkers = List.copyOf(b.formatMarkers);
    formatStructuredScore = b.formatStructuredScore;
    formatPlainScore = b.formatPlainScore;
    coherenceMinWords = b.coherenceMinWords;
    coherenceFactor = b.coherenceFactor;
    refusalPhrases = normalizedPhrases(b.refusalPhrases);
    refusalScanChars = b.refusalScanChars;
    truncationReasons = List.copyOf(b.truncationReasons);
    repetitionMinCopies = b.repetitionMinCopies;
    repetitionMinWords = b.repetitionMinWords;
    repetitionMaxPeriod = b.repetitionMaxPeriod;
    jsonAcceptCodeFence = b.jsonAcceptCodeFence;
    window = b.window;
    histogramBuckets = b.histogramBuckets.clone();
  }

  /** The original scorer's settings. */
  public static QualitySettings defaults() {
    return DEFAULTS;
  }

  /** Starts from the defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** Phrases that mark a refusal, lower case. */
  public List<String> refusalPhrases() {
    return refusalPhrases;
  }

  /** Calls per endpoint and model over which the quality score gauge is averaged. */
  public int window() {
    return window;
  }

  /** Upper bounds of the per-response quality histogram. */
  public double[] histogramBuckets() {
    return histogramBuckets.clone();
  }

  private static List<String> normalizedPhrases(List<String> phrases) {
    List<String> normalized = new ArrayList<>(phrases.size());
    for (String phrase : phrases) {
      String p = phrase.trim().toLowerCase(Locale.ROOT).replace('\u2019', '\'');
      if (!p.isEmpty()) {
        normalized.add(p);
      }
    }
    return Collections.unmodifiableList(normalized);
  }

  /** Builds {@link QualitySettings}; every method names its configuration key and default. */
  public static final class Builder {
    private int lengthIdealMin = 50;
    private int lengthIdealMax = 500;
    private int lengthAcceptableMin = 20;
    private int lengthAcceptableMax = 1000;
    private double lengthIdealScore = 1.0;
    private double lengthAcceptableScore = 0.7;
    private double lengthOtherScore = 0.3;
    private double[] latencyThresholdsMillis = {500, 1000, 2000};
    private double[] latencyScores = {1.0, 0.8, 0.6, 0.3};
    private List<String> formatMarkers = DEFAULT_FORMAT_MARKERS;
    private double formatStructuredScore = 1.0;
    private double formatPlainScore = 0.5;
    private int coherenceMinWords = 5;
    private double coherenceFactor = 1.5;
    private List<String> refusalPhrases = DEFAULT_REFUSAL_PHRASES;
    private int refusalScanChars = 300;
    private List<String> truncationReasons = DEFAULT_TRUNCATION_REASONS;
    private int repetitionMinCopies = 3;
    private int repetitionMinWords = 20;
    private int repetitionMaxPeriod = 200;
    private boolean jsonAcceptCodeFence = false;
    private int window = 100;
    private double[] histogramBuckets = DEFAULT_HISTOGRAM_BUCKETS;

    private Builder() {}

    /**
     * {@code quality.length.ideal-min} and {@code quality.length.ideal-max}: lengths in characters,
     * both ends included, that score the ideal score. Default 50 to 500.
     */
    public Builder lengthIdeal(int min, int max) {
      requireRange("quality.length.ideal-min/-max", min, max);
      lengthIdealMin = min;
      lengthIdealMax = max;
      return this;
    }

    /**
     * {@code quality.length.acceptable-min} and {@code quality.length.acceptable-max}: the wider
     * range, both ends included, whose lengths outside the ideal range score the acceptable score.
     * Default 20 to 1000.
     */
    public Builder lengthAcceptable(int min, int max) {
      requireRange("quality.length.acceptable-min/-max", min, max);
      lengthAcceptableMin = min;
      lengthAcceptableMax = max;
      return this;
    }

    /**
     * {@code quality.length.scores}: scores of an ideal length, an acceptable one and any other.
     * Default 1.0, 0.7, 0.3.
     */
    public Builder lengthScores(double ideal, double acceptable, double other) {
      lengthIdealScore = ideal;
      lengthAcceptableScore = acceptable;
      lengthOtherScore = other;
      return this;
    }

    /**
     * {@code quality.latency.thresholds-ms} and {@code quality.latency.scores}: a call faster than
     * the i-th threshold (exclusive, ascending) scores the i-th score; slower than all of them, the
     * last score. Default thresholds 500, 1000, 2000 ms, scores 1.0, 0.8, 0.6, 0.3.
     */
    public Builder latency(double[] thresholdsMillis, double[] scores) {
      if (scores.length != thresholdsMillis.length + 1) {
        throw new IllegalArgumentException(
            "quality.latency.scores needs one score more than quality.latency.thresholds-ms, got "
                + Arrays.toString(scores)
                + " for "
                + Arrays.toString(thresholdsMillis));
      }
      for (int i = 1; i < thresholdsMillis.length; i++) {
        if (thresholdsMillis[i] <= thresholdsMillis[i - 1]) {
          throw new IllegalArgumentException(
              "quality.latency.thresholds-ms must ascend, got "
                  + Arrays.toString(thresholdsMillis));
        }
      }
      latencyThresholdsMillis = thresholdsMillis.clone();
      latencyScores = scores.clone();
      return this;
    }

    /**
     * {@code quality.format.markers}: substrings that make a text structured. Default {@code :},
     * {@code -}, {@code *}, {@code **} and a line break.
     */
    public Builder formatMarkers(List<String> markers) {
      formatMarkers = List.copyOf(markers);
      return this;
    }

    /**
     * {@code quality.format.scores}: score of a structured text and of a plain one. Default 1.0,
     * 0.5.
     */
    public Builder formatScores(double structured, double plain) {
      formatStructuredScore = structured;
      formatPlainScore = plain;
      return this;
    }

    /**
     * {@code quality.coherence.min-words} and {@code quality.coherence.factor}: a text of more than
     * {@code minWords} whitespace-separated words scores min(1, unique / words × factor); a shorter
     * one scores 1. Default 5 and 1.5.
     */
    public Builder coherence(int minWords, double factor) {
      coherenceMinWords = minWords;
      coherenceFactor = factor;
      return this;
    }

    /**
     * {@code quality.refusal.phrases}: phrases that mark a refusal when found, ignoring case, in
     * the first {@code quality.refusal.scan-chars} characters. Default {@link
     * #DEFAULT_REFUSAL_PHRASES}.
     */
    public Builder refusalPhrases(List<String> phrases) {
      refusalPhrases = List.copyOf(phrases);
      return this;
    }

    /**
     * {@code quality.refusal.scan-chars}: how much of the answer's start is searched; a refusal
     * opens an answer, and a longer scan would find the phrases inside helpful answers. Default
     * 300.
     */
    public Builder refusalScanChars(int chars) {
      requirePositive("quality.refusal.scan-chars", chars);
      refusalScanChars = chars;
      return this;
    }

    /**
     * {@code quality.truncation.reasons}: finish reasons (ignoring case) that count as truncated.
     * Default {@code length}, {@code max_tokens}.
     */
    public Builder truncationReasons(List<String> reasons) {
      truncationReasons = List.copyOf(reasons);
      return this;
    }

    /**
     * {@code quality.repetition.min-copies}, {@code quality.repetition.min-words} and {@code
     * quality.repetition.max-period}: a repetition loop is a run of words repeating with a period
     * of at most {@code maxPeriod} words, at least {@code minCopies} times in a row, whose repeated
     * part holds at least {@code minWords} words. Default 3 copies, 20 words, period up to 200.
     */
    public Builder repetition(int minCopies, int minWords, int maxPeriod) {
      if (minCopies < 2) {
        throw new IllegalArgumentException(
            "quality.repetition.min-copies must be at least 2, got " + minCopies);
      }
      requirePositive("quality.repetition.min-words", minWords);
      requirePositive("quality.repetition.max-period", maxPeriod);
      repetitionMinCopies = minCopies;
      repetitionMinWords = minWords;
      repetitionMaxPeriod = maxPeriod;
      return this;
    }

    /**
     * {@code quality.json.accept-code-fence}: whether JSON wrapped in a Markdown code fence counts
     * as valid. Default false: an application that asked for JSON usually parses the text as is.
     */
    public Builder jsonAcceptCodeFence(boolean accept) {
      jsonAcceptCodeFence = accept;
      return this;
    }

    /**
     * {@code quality.window}: calls per endpoint and model over which {@code quality_score} is
     * averaged. Default 100.
     */
    public Builder window(int calls) {
      requirePositive("quality.window", calls);
      window = calls;
      return this;
    }

    /** Upper bounds of the per-response quality histogram. Default 0.1 to 1.0 by 0.1. */
    public Builder histogramBuckets(double[] upperBounds) {
      histogramBuckets = upperBounds.clone();
      return this;
    }

    public QualitySettings build() {
      return new QualitySettings(this);
    }

    private static void requireRange(String key, int min, int max) {
      if (min < 0 || max < min) {
        throw new IllegalArgumentException(
            key + " needs 0 <= min <= max, got " + min + " to " + max);
      }
    }

    private static void requirePositive(String key, int value) {
      if (value <= 0) {
        throw new IllegalArgumentException(key + " must be positive, got " + value);
      }
    }
  }
}
