package dev.taskmaster.agent.quality;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class RepetitionDetectorTest {

  private final RepetitionDetector detector = new RepetitionDetector(3, 20, 200);

  private static final String PROSE =
      "The migration moved the orders table to the new cluster over a weekend. Reads were"
          + " switched first, then writes, and the old cluster was kept for a week in case the"
          + " new one misbehaved. In the end the cutover took four hours, most of it spent"
          + " waiting for the replicas to catch up. The team then removed the feature flag,"
          + " archived the old snapshots and wrote a short note on what they would do"
          + " differently: start the replication earlier, and test the rollback path for real.";

  @Test
  void aSentenceRepeatedOverAndOverIsALoop() {
    assertTrue(detector.detect(PROSE + " I hope this helps you with your project.".repeat(6)));
  }

  @Test
  void oneWordRepeatedIsALoop() {
    assertTrue(detector.detect("The answer is " + "very ".repeat(25) + "long."));
  }

  @Test
  void aRepeatedParagraphIsALoopWhateverItsPunctuationAndCase() {
    String paragraph = PROSE.substring(0, 200);
    String text = paragraph + "\n\n" + paragraph.toUpperCase() + "\n" + paragraph.replace('.', ';');
    assertTrue(detector.detect(text));
  }

  @Test
  void aLoopAtTheEndOfALongAnswerIsFound() {
    String text = PROSE.repeat(1).concat(" ") + numberedList(300) + " and then".repeat(30);
    assertTrue(detector.detect(text));
  }

  @Test
  void twoCopiesAreNotALoop() {
    String sentence = "Restart the service after changing the configuration file please. ";
    assertFalse(detector.detect(PROSE + sentence + sentence));
  }

  @Test
  void aShortRepeatBelowTheWordMinimumIsNotALoop() {
    assertFalse(detector.detect("No. No. No. " + PROSE));
    assertFalse(detector.detect("It was a very very very good idea. " + PROSE));
  }

  @Test
  void normalProseIsNotALoop() {
    assertFalse(detector.detect(PROSE));
    assertFalse(detector.detect(PROSE + " " + PROSE.substring(100)));
  }

  @Test
  void aTextThatReusesItsWordsButDoesNotRepeatARunIsNotALoop() {
    StringBuilder text = new StringBuilder();
    String[] words = {"data", "the", "of", "model", "and", "data", "a", "the", "model"};
    java.util.Random random = new java.util.Random(7);
    for (int i = 0; i < 2000; i++) {
      text.append(words[random.nextInt(words.length)]).append(' ');
    }
    // A low distinct-word ratio (the coherence score punishes it) but no repeated run.
    assertTrue(
        new ResponseScorer(QualitySettings.defaults()).coherenceScore(text.toString()) < 0.1);
    assertFalse(detector.detect(text.toString()));
  }

  @Test
  void structuredAnswersAreNotLoops() {
    String table =
        "| Region | Q1 | Q2 | Q3 |\n| --- | --- | --- | --- |\n"
            + "| North | 10 | 12 | 14 |\n| South | 9 | 11 | 10 |\n| East | 7 | 7 | 8 |\n"
            + "| West | 0 | 0 | 0 |\n| Total | 26 | 30 | 32 |\n";
    String code =
        "```java\nint a = 0;\nint b = 0;\nint c = 0;\nfor (int i = 0; i < n; i++) {\n"
            + "  a += i;\n  b += i;\n  c += i;\n}\n```";
    String json =
        "[{\"id\": 1, \"status\": \"ok\"}, {\"id\": 2, \"status\": \"ok\"}, "
            + "{\"id\": 3, \"status\": \"ok\"}, {\"id\": 4, \"status\": \"ok\"}, "
            + "{\"id\": 5, \"status\": \"ok\"}, {\"id\": 6, \"status\": \"ok\"}]";
    assertFalse(detector.detect(table));
    assertFalse(detector.detect(code));
    assertFalse(detector.detect(json));
    assertFalse(detector.detect(numberedList(40)));
  }

  @Test
  void theDetectorIsReusable() {
    assertTrue(detector.detect("again and ".repeat(30)));
    assertFalse(detector.detect(PROSE));
    assertTrue(detector.detect("again and ".repeat(30)));
  }

  private static String numberedList(int items) {
    StringBuilder list = new StringBuilder();
    for (int i = 1; i <= items; i++) {
      list.append(i).append(". Step ").append(i).append(": check item ").append(i * 7).append('\n');
    }
    return list.toString();
  }
}
