package dev.taskmaster.sample.server;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Builds task-assistant answers from a prompt; deterministic for a given {@link Random}. */
public final class AnswerGenerator {

  /** The exact text of a refusal. */
  public static final String REFUSAL = "I'm sorry, but I can't help with that.";

  /** The phrase a repetitive answer loops on. */
  public static final String LOOP_PHRASE = "I will add this to your task list.";

  /** The kinds of answer the server can give. */
  public enum Kind {
    NORMAL,
    REFUSAL,
    EMPTY,
    REPETITION
  }

  private static final String[] OPENINGS = {
    "Here is a task plan for \"%s\":",
    "Sure! Here is how I would handle \"%s\":",
    "Plan for \"%s\":",
    "Got it. Breaking \"%s\" down into steps:",
  };
  private static final String[] VERBS = {
    "List",
    "Review",
    "Check",
    "Schedule",
    "Confirm",
    "Draft",
    "Share",
    "Update",
    "Prioritise",
    "Estimate",
    "Assign",
    "Close",
  };
  private static final String[] OBJECTS = {
    "the open items",
    "the deadlines",
    "the owner of each item",
    "the budget figures",
    "the dependencies",
    "a short status note",
    "the calendar",
    "the follow-up tasks",
    "any blocked work",
    "the agenda",
    "the main risks",
    "last week's notes",
  };
  private static final String[] TAILS = {
    "before Friday.",
    "with the team.",
    "and mark it done.",
    "in the tracker.",
    "by end of day.",
    "first thing tomorrow.",
    "so nothing slips.",
    "and flag anything overdue.",
  };
  private static final String[] CLOSINGS = {
    "Let me know if you want reminders.",
    "I can turn this into tasks if you like.",
    "Reply with changes and I will update the plan.",
  };
  private static final int TOPIC_WORDS = 8;

  private AnswerGenerator() {}

  /**
   * An answer to {@code prompt}.
   *
   * @param verbosity multiplies the number of steps (or loops); 1 gives 100 to 400 characters
   */
  public static String generate(String prompt, Kind kind, double verbosity, Random random) {
    switch (kind) {
      case REFUSAL:
        return REFUSAL;
      case EMPTY:
        return "";
      case REPETITION:
        return repetition(prompt, verbosity, random);
      default:
        return plan(prompt, verbosity, random);
    }
  }

  private static String plan(String prompt, double verbosity, Random random) {
    StringBuilder answer = new StringBuilder(opening(prompt, random));
    int steps = scaled(3 + random.nextInt(3), verbosity);
    for (int i = 1; i <= steps; i++) {
      answer
          .append('\n')
          .append(i)
          .append(". ")
          .append(pick(VERBS, random))
          .append(' ')
          .append(pick(OBJECTS, random))
          .append(' ')
          .append(pick(TAILS, random));
    }
    return answer.append('\n').append(pick(CLOSINGS, random)).toString();
  }

  private static String repetition(String prompt, double verbosity, Random random) {
    List<String> parts = new ArrayList<>();
    parts.add(opening(prompt, random));
    int loops = Math.max(4, scaled(8, verbosity));
    for (int i = 0; i < loops; i++) {
      parts.add(LOOP_PHRASE);
    }
    return String.join(" ", parts);
  }

  private static String opening(String prompt, Random random) {
    return String.format(pick(OPENINGS, random), topic(prompt));
  }

  /** The first few words of the prompt without trailing punctuation. */
  static String topic(String prompt) {
    String[] words = prompt == null ? new String[0] : prompt.trim().split("\\s+");
    if (words.length == 0 || words[0].isEmpty()) {
      return "your request";
    }
    int n = Math.min(words.length, TOPIC_WORDS);
    String topic = String.join(" ", List.of(words).subList(0, n)).replaceAll("[.!?:;,]+$", "");
    return n < words.length ? topic + " ..." : topic;
  }

  private static int scaled(int base, double verbosity) {
    return Math.max(1, (int) Math.round(base * verbosity));
  }

  private static String pick(String[] options, Random random) {
    return options[random.nextInt(options.length)];
  }
}
