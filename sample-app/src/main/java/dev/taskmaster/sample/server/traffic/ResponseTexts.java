package dev.taskmaster.sample.server.traffic;

import java.util.SplittableRandom;

/**
 * Builds assistant-like response texts from pools of sentences: plain paragraphs, Markdown lists,
 * short answers, JSON objects, refusals and repetition loops. Texts are varied enough that the
 * scorer's word statistics and the event detectors run as they would on real answers.
 */
final class ResponseTexts {

  private static final String[] SENTENCES = {
    "The simplest fix is to raise the connection pool size and watch the wait time.",
    "Start by checking whether the error appears on every request or only under load.",
    "In most cases the cache hit ratio explains the difference between the two environments.",
    "A retry with exponential backoff usually hides transient network failures from users.",
    "You can split the job into smaller batches so that each one finishes within the timeout.",
    "The query planner picks a sequential scan because the statistics are out of date.",
    "Running the analysis again after the vacuum should give the planner better estimates.",
    "Keep the configuration in version control and review every change like code.",
    "The report shows that most of the latency comes from the third-party payment API.",
    "If the disk fills up, the service stops accepting writes but keeps serving reads.",
    "A feature flag lets you ship the code dark and enable it for a few customers first.",
    "The migration script is idempotent, so running it twice does no harm.",
    "Customers in the northern region saw the slowdown first, about ten minutes earlier.",
    "We recommend rotating the keys every ninety days and after any suspected leak.",
    "The chart compares weekly active users before and after the redesign.",
    "Memory usage grows steadily because the listener is registered but never removed.",
    "For a quick estimate, multiply the average request size by the peak request rate.",
    "The contract allows either party to end the agreement with thirty days of notice.",
    "Most of the budget goes to infrastructure, followed by support and licences.",
    "The recipe works with fresh or frozen berries, though frozen ones release more juice.",
    "A short walk after lunch helps many people stay focused in the afternoon.",
    "The library was released under a permissive licence that allows commercial use.",
    "Translation quality improves noticeably when the glossary is provided up front.",
    "Each team owns its services end to end, from design to the on-call rotation.",
    "The second option costs more up front but is cheaper to operate over three years.",
    "When the queue backs up, the consumers fall behind and the alerts start firing.",
    "The test suite takes eleven minutes, mostly spent starting containers.",
    "Use a read replica for reporting so that heavy queries do not slow down checkout.",
    "The model tends to answer more precisely when the question names the format it wants.",
    "Battery life depends far more on screen brightness than on the processor.",
    "The museum is open every day except Monday, and entry is free on the first Sunday.",
    "Interest is calculated daily and paid into the account at the end of each month.",
    "Store the timestamps in UTC and convert them only when you display them.",
    "The outage began with an expired certificate on the internal load balancer.",
    "Two of the five candidates have experience with distributed databases.",
    "Compression cut the storage bill by almost half without a visible cost in speed.",
    "Ask the vendor whether the price includes updates after the first year.",
    "The itinerary leaves a free afternoon in Lisbon before the train to Porto.",
    "Logs older than thirty days are moved to cold storage and deleted after a year.",
    "The survey had a response rate of forty percent, which is high for this audience."
  };

  private static final String[] OPENINGS = {
    "Sure, here is what I found.",
    "Good question.",
    "Here is a short summary.",
    "There are a few things to consider.",
    "Based on the information you shared, here is my answer.",
    "Let me walk you through it."
  };

  private static final String[] SHORT_ANSWERS = {
    "Positive.",
    "Negative.",
    "Neutral.",
    "Yes, that is correct.",
    "No.",
    "The capital is Lisbon.",
    "Category: billing",
    "It takes about three days.",
    "42",
    "Spam.",
    "Refund approved for order 1182.",
    "The meeting is on Tuesday at ten."
  };

  private static final String[] REFUSALS = {
    "I'm sorry, but I can't help with that request.",
    "I'm sorry, but I cannot provide that information.",
    "I can't assist with that, but I can help you find official resources instead.",
    "As an AI language model, I am unable to give personal legal advice.",
    "I'm unable to share details about other customers' accounts.",
    "I cannot help with creating that content."
  };

  private static final String[] LOOP_SENTENCES = {
    "I hope this helps.",
    "Let me know if you have any other questions.",
    "The answer is the same as above.",
    "Please check the configuration again and try once more.",
    "and then the process starts again"
  };

  private static final String[] JSON_KEYS = {
    "name", "category", "priority", "score", "language", "summary", "owner", "status", "region"
  };

  private static final String[] JSON_WORDS = {
    "billing", "high", "low", "open", "closed", "en", "pt", "north", "south", "refund", "ticket"
  };

  private ResponseTexts() {}

  /** An answer of about {@code words} words, Markdown-structured about half the time. */
  static String answer(SplittableRandom random, int words) {
    StringBuilder text = new StringBuilder(words * 7);
    boolean structured = random.nextInt(2) == 0;
    text.append(OPENINGS[random.nextInt(OPENINGS.length)]);
    int written = 6;
    while (written < words) {
      String sentence = SENTENCES[random.nextInt(SENTENCES.length)];
      if (structured) {
        text.append("\n- ").append(sentence);
      } else {
        text.append(random.nextInt(5) == 0 ? "\n\n" : " ").append(sentence);
      }
      written += 14;
    }
    return text.toString();
  }

  /** A short answer: a label, a number or a sentence. */
  static String shortAnswer(SplittableRandom random) {
    return SHORT_ANSWERS[random.nextInt(SHORT_ANSWERS.length)];
  }

  /** A JSON object of a few fields. */
  static String json(SplittableRandom random) {
    StringBuilder text = new StringBuilder(160).append('{');
    int fields = 2 + random.nextInt(7);
    for (int i = 0; i < fields; i++) {
      if (i > 0) {
        text.append(", ");
      }
      text.append('"').append(JSON_KEYS[i]).append("\": ");
      switch (random.nextInt(3)) {
        case 0:
          text.append(random.nextInt(1000) / 100.0);
          break;
        case 1:
          text.append('"').append(JSON_WORDS[random.nextInt(JSON_WORDS.length)]).append('"');
          break;
        default:
          text.append("[\"")
              .append(JSON_WORDS[random.nextInt(JSON_WORDS.length)])
              .append("\", \"")
              .append(JSON_WORDS[random.nextInt(JSON_WORDS.length)])
              .append("\"]");
      }
    }
    return text.append('}').toString();
  }

  /** JSON as models get it wrong: a preamble, a code fence, or a cut-off object. */
  static String brokenJson(SplittableRandom random) {
    String json = json(random);
    switch (random.nextInt(3)) {
      case 0:
        return "Here is the JSON you asked for: " + json;
      case 1:
        return "```json\n" + json + "\n```";
      default:
        return json.substring(0, json.length() / 2);
    }
  }

  /** A refusal. */
  static String refusal(SplittableRandom random) {
    return REFUSALS[random.nextInt(REFUSALS.length)];
  }

  /**
   * An answer that starts normally and then repeats one sentence: {@code copies} times, or until
   * {@code maxWords} when {@code copies} is 0.
   */
  static String loop(SplittableRandom random, int words, int copies, int maxWords) {
    StringBuilder text = new StringBuilder(answer(random, Math.max(10, words)));
    String sentence = LOOP_SENTENCES[random.nextInt(LOOP_SENTENCES.length)];
    int sentenceWords = sentence.split(" ").length;
    int written = Math.max(10, words);
    for (int i = 0; copies == 0 ? written + sentenceWords <= maxWords : i < copies; i++) {
      text.append(' ').append(sentence);
      written += sentenceWords;
    }
    return text.toString();
  }

  /** The first {@code fraction} of a text, cut inside a word as a token limit does. */
  static String cut(String text, double fraction) {
    return text.substring(0, Math.max(1, (int) (text.length() * fraction)));
  }
}
