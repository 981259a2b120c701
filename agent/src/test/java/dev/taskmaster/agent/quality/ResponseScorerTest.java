package dev.taskmaster.agent.quality;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class ResponseScorerTest {

  private final ResponseScorer scorer = new ResponseScorer(QualitySettings.defaults());

  @Test
  void lengthScoreChangesAtEachEdge() {
    assertEquals(0.3, scorer.lengthScore(0));
    assertEquals(0.3, scorer.lengthScore(19));
    assertEquals(0.7, scorer.lengthScore(20));
    assertEquals(0.7, scorer.lengthScore(49));
    assertEquals(1.0, scorer.lengthScore(50));
    assertEquals(1.0, scorer.lengthScore(500));
    assertEquals(0.7, scorer.lengthScore(501));
    assertEquals(0.7, scorer.lengthScore(1000));
    assertEquals(0.3, scorer.lengthScore(1001));
  }

  @Test
  void lengthCountsCharactersNotUtf16Units() {
    String fiftyEmoji = "\uD83D\uDE00".repeat(50);
    assertEquals(50, scorer.score(fiftyEmoji, 0).lengthChars);
    assertEquals(1.0, scorer.score(fiftyEmoji, 0).length);
  }

  @Test
  void latencyScoreChangesAtEachThreshold() {
    assertEquals(1.0, scorer.latencyScore(0));
    assertEquals(1.0, scorer.latencyScore(499.999));
    assertEquals(0.8, scorer.latencyScore(500));
    assertEquals(0.8, scorer.latencyScore(999.999));
    assertEquals(0.6, scorer.latencyScore(1000));
    assertEquals(0.6, scorer.latencyScore(1999.999));
    assertEquals(0.3, scorer.latencyScore(2000));
    assertEquals(0.3, scorer.latencyScore(60_000));
  }

  @Test
  void latencyIsTakenFromNanoseconds() {
    assertEquals(1.0, scorer.score("x", 499_999_999L).latency);
    assertEquals(0.8, scorer.score("x", 500_000_000L).latency);
  }

  @Test
  void formatScoreNeedsAStructureMarker() {
    assertEquals(1.0, scorer.formatScore("Answer: yes"));
    assertEquals(1.0, scorer.formatScore("well-known"));
    assertEquals(1.0, scorer.formatScore("a * b"));
    assertEquals(1.0, scorer.formatScore("**bold**"));
    assertEquals(1.0, scorer.formatScore("first line\nsecond line"));
    assertEquals(1.0, scorer.formatScore("first line\r"));
    assertEquals(0.5, scorer.formatScore("A plain sentence, with a comma."));
    assertEquals(0.5, scorer.formatScore(""));
  }

  @Test
  void coherenceScoreAppliesOnlyAboveFiveWords() {
    assertEquals(1.0, scorer.coherenceScore("same same same same same"));
    assertEquals(0.25, scorer.coherenceScore("same same same same same same"), 1e-12);
    assertEquals(0.75, scorer.coherenceScore("a b c a b c"), 1e-12);
    assertEquals(1.0, scorer.coherenceScore("one two three four five six"));
    assertEquals(1.0, scorer.coherenceScore(""));
  }

  @Test
  void coherenceWordsAreWhitespaceSeparatedAndCompareExactly() {
    // Six words, "Word" and "word" differ as in the original: 4 distinct -> 4/6 * 1.5 = 1.
    assertEquals(1.0, scorer.coherenceScore("word Word word. word \t\n x y"));
    // 2 distinct of 8: 2/8 * 1.5.
    assertEquals(0.375, scorer.coherenceScore("  a b a b\n a b a b  "), 1e-12);
  }

  @Test
  void coherenceCountsDistinctWordsOfALongText() {
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < 50_000; i++) {
      text.append("w").append(i % 20_000).append(' ');
    }
    assertEquals(20_000.0 / 50_000 * 1.5, scorer.coherenceScore(text.toString()), 1e-12);
  }

  @Test
  void overallIsTheMeanOfTheFourScores() {
    // 60 characters (1.0), 1.5 s (0.6), no marker (0.5), 10 distinct words (1.0).
    String text = "alpha bravo charlie delta echo foxtrot golf hotel india juli";
    QualityScores scores = scorer.score(text, 1_500_000_000L);
    assertEquals(1.0, scores.length);
    assertEquals(0.6, scores.latency);
    assertEquals(0.5, scores.format);
    assertEquals(1.0, scores.coherence);
    assertEquals((1.0 + 0.6 + 0.5 + 1.0) / 4, scores.overall, 1e-12);
  }

  @Test
  void everyThresholdIsConfigurable() {
    QualitySettings settings =
        QualitySettings.builder()
            .lengthIdeal(10, 20)
            .lengthAcceptable(5, 30)
            .lengthScores(0.9, 0.5, 0.1)
            .latency(new double[] {100}, new double[] {1.0, 0.0})
            .formatMarkers(List.of("#"))
            .formatScores(0.8, 0.2)
            .coherence(2, 1.0)
            .build();
    ResponseScorer custom = new ResponseScorer(settings);
    assertEquals(0.9, custom.lengthScore(10));
    assertEquals(0.5, custom.lengthScore(21));
    assertEquals(0.1, custom.lengthScore(31));
    assertEquals(1.0, custom.latencyScore(99));
    assertEquals(0.0, custom.latencyScore(100));
    assertEquals(0.8, custom.formatScore("# title"));
    assertEquals(0.2, custom.formatScore("a: b"));
    assertEquals(2.0 / 3, custom.coherenceScore("x x y"), 1e-12);
  }
}
