package dev.taskmaster.sample;

import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Plays the users of TaskMaster who rate an answer with a thumbs up (1) or down (0): posts {@code
 * {"request_id": ..., "score": ...}} to the TaskMaster agent's {@code /feedback}. The verdict is
 * random, but follows the answer: a plan gets a thumbs up 85 % of the time, a refusal, an empty or
 * a looping answer 10 %. So a model server scenario that answers worse makes the users less
 * satisfied. Thread-safe.
 */
final class FeedbackSender {

  static final double GOOD_ANSWER_UP = 0.85;
  static final double BAD_ANSWER_UP = 0.10;

  private final URI url;
  private final String token;
  private final PrintStream out;
  private final HttpClient http =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();
  private final Random random;
  private final AtomicLong accepted = new AtomicLong();
  private final AtomicLong refused = new AtomicLong();
  private volatile boolean refusalReported;

  /**
   * @param token sent as {@code Authorization: Bearer}, or {@code null}
   */
  FeedbackSender(URI url, String token, long seed, PrintStream out) {
    this.url = url;
    this.token = token;
    this.random = new Random(seed);
    this.out = out;
  }

  /** Rates one answer and sends it; a failure is counted and reported once, never thrown. */
  void send(String requestId, String answer) {
    double up;
    synchronized (random) {
      up = random.nextDouble() < (looksBad(answer) ? BAD_ANSWER_UP : GOOD_ANSWER_UP) ? 1 : 0;
    }
    String body =
        String.format(
            Locale.ROOT, "{\"request_id\": \"%s\", \"score\": %s}", json(requestId), (int) up);
    HttpRequest.Builder request =
        HttpRequest.newBuilder(url)
            .timeout(Duration.ofSeconds(5))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body));
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    try {
      HttpResponse<String> response =
          http.send(request.build(), HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() == 200) {
        accepted.incrementAndGet();
      } else {
        refused(response.statusCode() + " " + response.body());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      refused("interrupted");
    } catch (Exception e) {
      refused(e.toString());
    }
  }

  long accepted() {
    return accepted.get();
  }

  long refused() {
    return refused.get();
  }

  /** A refusal, an empty answer or one that loops on a phrase. */
  static boolean looksBad(String answer) {
    if (answer == null || answer.isBlank() || answer.startsWith("I'm sorry")) {
      return true;
    }
    String[] sentences = answer.split("(?<=\\.)\\s+");
    int repeats = 0;
    for (int i = 1; i < sentences.length; i++) {
      if (sentences[i].equals(sentences[i - 1])) {
        repeats++;
      }
    }
    return repeats >= 2;
  }

  private void refused(String why) {
    refused.incrementAndGet();
    if (!refusalReported) {
      refusalReported = true;
      out.printf("[app] feedback to %s not accepted (reported once): %s%n", url, why);
    }
  }

  private static String json(String text) {
    return text.replace("\\", "\\\\").replace("\"", "\\\"");
  }
}
