package dev.taskmaster.sample.server;

import com.google.gson.JsonObject;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * What the model server received and reported, per request path ({@code /v1/chat/completions},
 * {@code /api/chat}, ...), for tests to compare with what a monitor counted.
 *
 * <p>Tokens are added only when the server sent them to the client: in a complete non-streaming
 * answer, in the final usage chunk of an OpenAI stream (only sent when {@code
 * stream_options.include_usage} is true) or in the final {@code done:true} line of an Ollama
 * stream. Requests are counted on arrival, outcomes and tokens just before the last bytes of the
 * answer are written: a client that holds a complete answer always finds it counted.
 */
public final class ServerStats {

  /** How a request ended. */
  public enum Outcome {
    /** A complete answer, streamed or not. */
    OK,
    /** HTTP 400, 404 or 405. */
    BAD_REQUEST,
    /** HTTP 429. */
    RATE_LIMITED,
    /** HTTP 500. */
    SERVER_ERROR,
    /** Held, then the connection was dropped. */
    HUNG,
    /** A stream closed before its end. */
    CUT
  }

  private final Map<String, PathStats> paths = new ConcurrentHashMap<>();

  /** Requests received on {@code path}, whatever their outcome. */
  public long requests(String path) {
    PathStats stats = paths.get(path);
    return stats == null ? 0 : stats.requests.sum();
  }

  /** Requests received on every path. */
  public long requests() {
    return paths.values().stream().mapToLong(s -> s.requests.sum()).sum();
  }

  /** Requests on {@code path} that ended with {@code outcome}. */
  public long outcomes(String path, Outcome outcome) {
    PathStats stats = paths.get(path);
    return stats == null ? 0 : stats.outcomes.get(outcome).sum();
  }

  /** Prompt (input) tokens reported to clients of {@code path}. */
  public long promptTokens(String path) {
    PathStats stats = paths.get(path);
    return stats == null ? 0 : stats.promptTokens.sum();
  }

  /** Completion (output) tokens reported to clients of {@code path}. */
  public long completionTokens(String path) {
    PathStats stats = paths.get(path);
    return stats == null ? 0 : stats.completionTokens.sum();
  }

  /** Forgets everything counted so far. */
  public void reset() {
    paths.clear();
  }

  void request(String path) {
    of(path).requests.increment();
  }

  void outcome(String path, Outcome outcome) {
    of(path).outcomes.get(outcome).increment();
  }

  void usage(String path, long promptTokens, long completionTokens) {
    PathStats stats = of(path);
    stats.promptTokens.add(promptTokens);
    stats.completionTokens.add(completionTokens);
  }

  private PathStats of(String path) {
    return paths.computeIfAbsent(path, p -> new PathStats());
  }

  /** The counts as returned by {@code GET /control/stats}: one object per path. */
  public JsonObject toJson() {
    JsonObject json = new JsonObject();
    new TreeMap<>(paths)
        .forEach(
            (path, stats) -> {
              JsonObject entry = new JsonObject();
              entry.addProperty("requests", stats.requests.sum());
              for (Outcome outcome : Outcome.values()) {
                entry.addProperty(outcome.name().toLowerCase(), stats.outcomes.get(outcome).sum());
              }
              entry.addProperty("prompt_tokens", stats.promptTokens.sum());
              entry.addProperty("completion_tokens", stats.completionTokens.sum());
              json.add(path, entry);
            });
    return json;
  }

  /**
   * One line per path, such as {@code /api/chat: 12 requests (11 ok, 1 rate_limited), 96 prompt
   * tokens, 610 completion tokens}; paths under {@code /control} are left out.
   */
  public String toText() {
    StringBuilder text = new StringBuilder();
    new TreeMap<>(paths)
        .forEach(
            (path, stats) -> {
              if (path.startsWith("/control")) {
                return;
              }
              StringBuilder outcomes = new StringBuilder();
              for (Outcome outcome : Outcome.values()) {
                long n = stats.outcomes.get(outcome).sum();
                if (n > 0) {
                  outcomes.append(outcomes.length() == 0 ? "" : ", ");
                  outcomes.append(n).append(' ').append(outcome.name().toLowerCase());
                }
              }
              text.append(
                  String.format(
                      "%s: %d requests (%s), %d prompt tokens, %d completion tokens%n",
                      path,
                      stats.requests.sum(),
                      outcomes,
                      stats.promptTokens.sum(),
                      stats.completionTokens.sum()));
            });
    return text.toString();
  }

  private static final class PathStats {
    final LongAdder requests = new LongAdder();
    final LongAdder promptTokens = new LongAdder();
    final LongAdder completionTokens = new LongAdder();
    final Map<Outcome, LongAdder> outcomes = new ConcurrentHashMap<>();

    PathStats() {
      for (Outcome outcome : Outcome.values()) {
        outcomes.put(outcome, new LongAdder());
      }
    }
  }
}
