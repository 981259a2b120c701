package dev.taskmaster.sample.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.taskmaster.sample.server.AnswerGenerator.Kind;
import java.util.Random;
import org.junit.jupiter.api.Test;

class AnswerGeneratorTest {

  private static final String PROMPT = "Create a task for the budget review";

  @Test
  void normalAnswersAreTaskPlansOfOneHundredToFourHundredCharacters() {
    for (long seed = 0; seed < 200; seed++) {
      String answer = AnswerGenerator.generate(PROMPT, Kind.NORMAL, 1, new Random(seed));
      assertTrue(answer.length() >= 100 && answer.length() <= 400, answer.length() + ": " + answer);
      assertTrue(answer.contains("\"Create a task for the budget review\""), answer);
      assertTrue(answer.contains("\n1. "), answer);
    }
  }

  @Test
  void sameSeedSameAnswer() {
    assertEquals(
        AnswerGenerator.generate(PROMPT, Kind.NORMAL, 1, new Random(7)),
        AnswerGenerator.generate(PROMPT, Kind.NORMAL, 1, new Random(7)));
  }

  @Test
  void verbosityMultipliesTheSteps() {
    String normal = AnswerGenerator.generate(PROMPT, Kind.NORMAL, 1, new Random(3));
    String verbose = AnswerGenerator.generate(PROMPT, Kind.NORMAL, 4, new Random(3));
    long normalSteps = normal.lines().filter(l -> l.matches("\\d+\\. .*")).count();
    long verboseSteps = verbose.lines().filter(l -> l.matches("\\d+\\. .*")).count();
    assertEquals(normalSteps * 4, verboseSteps);
  }

  @Test
  void refusalEmptyAndRepetition() {
    assertEquals(
        "I'm sorry, but I can't help with that.",
        AnswerGenerator.generate(PROMPT, Kind.REFUSAL, 1, new Random(1)));
    assertEquals("", AnswerGenerator.generate(PROMPT, Kind.EMPTY, 1, new Random(1)));
    String loop = AnswerGenerator.generate(PROMPT, Kind.REPETITION, 1, new Random(1));
    int loops =
        (loop.length() - loop.replace(AnswerGenerator.LOOP_PHRASE, "").length())
            / AnswerGenerator.LOOP_PHRASE.length();
    assertEquals(8, loops);
  }

  @Test
  void longPromptsAreShortenedInTheAnswer() {
    assertEquals(
        "one two three four five six seven eight ...",
        AnswerGenerator.topic("one two three four five six seven eight nine"));
    assertEquals("Plan my week", AnswerGenerator.topic(" Plan my week?! "));
    assertEquals("your request", AnswerGenerator.topic("   "));
  }
}
