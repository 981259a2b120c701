package dev.taskmaster.agenttests.scenarios;

import static dev.taskmaster.agenttests.harness.AgentAssertions.assertHealthy;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.taskmaster.agenttests.fixtures.HttpClientsApp;
import dev.taskmaster.agenttests.fixtures.OkHttpEnqueueApp;
import dev.taskmaster.agenttests.harness.AgentJvm;
import dev.taskmaster.agenttests.harness.MetricsSnapshot;
import dev.taskmaster.agenttests.harness.TestEnvironment;
import dev.taskmaster.sample.server.ModelServer;
import dev.taskmaster.sample.server.ServerStats.Outcome;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Model calls made through each HTTP client library are recognised by their URL, with no
 * configuration, and counted exactly once with the server's own figures; the application reads the
 * same bytes and holds objects of the same classes as without the agent.
 */
class HttpClientsTest {

  private static final String CHAT = "/v1/chat/completions";

  @ParameterizedTest
  @ValueSource(strings = {"jdk", "okhttp", "apache", "urlconnection"})
  void everyCallIsCountedOnceWithTheServersFigures(String client) {
    verify(client, builder -> builder);
  }

  /** The JDK's own clients are instrumented inside the JDK: the same calls on JDK 25. */
  @ParameterizedTest
  @ValueSource(strings = {"jdk", "urlconnection"})
  void theJdksClientsOnJdk25(String client) {
    Optional<Path> jdk25 = TestEnvironment.jdk25Home();
    assumeTrue(jdk25.isPresent(), "no JDK 25 at agenttests.jdk25.home; skipped");
    verify(client, builder -> builder.javaHome(jdk25.get()));
  }

  /** The same application and calls with OkHttp 5 (and its okio and Kotlin) instead of 4.12. */
  @Test
  void okHttp5() throws IOException {
    List<Path> okhttp5 = okHttp5Jars();
    verify(
        "okhttp",
        builder -> {
          builder.withoutClasspathEntries(HttpClientsTest::isOkHttp4OrItsLibraries);
          okhttp5.forEach(builder::classpath);
          return builder;
        });
  }

  /**
   * OkHttp runs an enqueued call on its own threads: one enqueued from inside a watched method
   * belongs to that method's call and is not counted again; the others are counted.
   */
  @Test
  void okHttpCallsEnqueuedInsideAWatchedMethodAreNotCountedAgain() {
    try (ModelServer server = ModelServer.start(0);
        AgentJvm jvm =
            AgentJvm.builder(OkHttpEnqueueApp.class)
                .args(server.baseUrl())
                .intercept(
                    "wrapped",
                    "class=" + OkHttpEnqueueApp.class.getName(),
                    "method=wrapped",
                    "endpoint=wrapped")
                .start()) {
      jvm.awaitReady();
      MetricsSnapshot metrics =
          scrapeWhen(jvm, m -> m.sum("taskmaster_tokens_output_total", "model", "gpt-async") > 0);
      assertAll(
          () -> assertEquals(5, jvm.longResult("answered")),
          () -> assertEquals(5, server.requestCount(CHAT)),
          () -> assertEquals(3, success(metrics, "gpt-async")),
          () -> assertEquals(2, metrics.sum("taskmaster_requests_total", "endpoint", "wrapped")),
          () -> assertFalse(metrics.has("taskmaster_requests_total", "model", "gpt-inside")),
          () -> assertEquals(5, metrics.sum("taskmaster_requests_total")),
          () -> assertHealthy(jvm, metrics));
    }
  }

  private static void verify(String client, UnaryOperator<AgentJvm.Builder> customize) {
    Map<String, String> baseline;
    try (ModelServer server = ModelServer.start(0);
        AgentJvm jvm = customize.apply(app(client, server)).withoutAgent().start()) {
      jvm.awaitReady();
      baseline = jvm.results();
    }
    try (ModelServer server = ModelServer.start(0);
        AgentJvm jvm = customize.apply(app(client, server)).start()) {
      jvm.awaitReady();
      long serverOutput = jvm.longResult("server.completionTokens");
      MetricsSnapshot metrics =
          scrapeWhen(
              jvm,
              m ->
                  // Every figure asserted below that the background thread records, not only a
                  // sum that could be reached with one call still unparsed.
                  m.sum("taskmaster_tokens_output_total") == serverOutput + 16
                      && m.sum("taskmaster_tokens_input_total", "model", "gpt-gzip") == 10
                      && m.sum("taskmaster_tokens_output_total", "model", "gpt-gzip") == 16
                      && m.sum("taskmaster_responses_not_parsed_total") == 1
                      && success(m, "gpt-probe") == 5
                      && success(m, "llama-probe") == 2
                      && success(m, "gpt-big") == 1
                      && success(m, "gpt-gzip") == 2);
      long rateLimited = server.stats().outcomes(CHAT, Outcome.RATE_LIMITED);
      assertAll(
          () -> assertEquals(baseline, jvm.results(), "the application saw something else"),
          () -> assertEquals(jvm.result("big.sentSha"), jvm.result("big.readSha")),
          () -> assertEquals("200", jvm.result("big")),
          () -> assertEquals(5, success(metrics, "gpt-probe")),
          () -> assertEquals(2, success(metrics, "llama-probe")),
          () -> assertEquals(1, success(metrics, "gpt-big")),
          () -> assertEquals(2, success(metrics, "gpt-gzip")),
          () -> assertEquals(1, metrics.sum("taskmaster_requests_total", "status", "cancelled")),
          () -> assertEquals(rateLimited, errors(metrics, "rate_limited")),
          () -> assertEquals(client.equals("apache") ? 2 : 1, rateLimited, "Apache retries once"),
          () -> assertEquals(1, errors(metrics, "http_5xx")),
          () -> assertEquals(1, server.stats().outcomes(CHAT, Outcome.SERVER_ERROR)),
          () -> assertEquals(1, errors(metrics, "timeout")),
          // The cut stream and the refused connection.
          () -> assertEquals(2, errors(metrics, "connection")),
          () -> assertEquals(1, server.stats().outcomes(CHAT, Outcome.CUT)),
          () -> assertEquals(0, errors(metrics, "parse")),
          () ->
              assertEquals(
                  rateLimited + 4,
                  metrics.sum("taskmaster_requests_total", "status", "error"),
                  metrics::text),
          // Every request the model server received, once, and the one that never reached it (the
          // refused connection; HttpURLConnection fails it before its body is written, so its
          // model is unknown).
          () ->
              assertEquals(
                  server.requestCount(CHAT) + 1,
                  metrics.sum("taskmaster_requests_total", "model", "gpt-probe")
                      + metrics.sum("taskmaster_requests_total", "model", "unknown")),
          () ->
              assertEquals(
                  client.equals("urlconnection") ? 1 : 0,
                  metrics.sum("taskmaster_requests_total", "model", "unknown")),
          () ->
              assertEquals(
                  server.requestCount("/api/chat"),
                  metrics.sum("taskmaster_requests_total", "model", "llama-probe")),
          () ->
              assertEquals(
                  jvm.longResult("server.promptTokens"),
                  metrics.value("taskmaster_tokens_input_total", "model", "gpt-probe")
                      + metrics.value("taskmaster_tokens_input_total", "model", "llama-probe")),
          () ->
              assertEquals(
                  jvm.longResult("server.completionTokens"),
                  metrics.value("taskmaster_tokens_output_total", "model", "gpt-probe")
                      + metrics.value("taskmaster_tokens_output_total", "model", "llama-probe")),
          () ->
              assertEquals(10, metrics.value("taskmaster_tokens_input_total", "model", "gpt-gzip")),
          () ->
              assertEquals(
                  16, metrics.value("taskmaster_tokens_output_total", "model", "gpt-gzip")),
          () ->
              assertEquals(
                  1, metrics.value("taskmaster_responses_not_parsed_total", "reason", "too_large")),
          () ->
              assertEquals(
                  2,
                  metrics.value(
                      "taskmaster_time_to_first_token_seconds_count", "model", "gpt-probe")),
          () ->
              assertEquals(
                  2,
                  metrics.value(
                      "taskmaster_time_to_first_token_seconds_count", "model", "llama-probe")),
          () -> assertFalse(metrics.text().contains("sk-fixture-secret"), "a key in the metrics"),
          () -> assertFalse(jvm.stderr().contains("sk-fixture-secret"), "a key on stderr"),
          () -> assertHealthy(jvm, metrics, "taskmaster", line -> line.startsWith("SLF4J")));
    }
  }

  /**
   * Scrapes until {@code settled} holds, or {@link AgentJvm#SETTLE_TIMEOUT} passed (then returns
   * the last scrape, for the assertions to show what is missing): response bodies are parsed, and
   * their tokens counted, on the agent's background thread after the application has its answer,
   * which on a loaded machine can take seconds.
   */
  static MetricsSnapshot scrapeWhen(AgentJvm jvm, Predicate<MetricsSnapshot> settled) {
    return jvm.scrapeWhen(settled);
  }

  private static AgentJvm.Builder app(String client, ModelServer server) {
    return AgentJvm.builder(HttpClientsApp.class).args(client, server.baseUrl());
  }

  private static double success(MetricsSnapshot metrics, String model) {
    return metrics.value("taskmaster_requests_total", "model", model, "status", "success");
  }

  private static double errors(MetricsSnapshot metrics, String kind) {
    return metrics.sum("taskmaster_errors_total", "kind", kind);
  }

  private static boolean isOkHttp4OrItsLibraries(Path entry) {
    String name = entry.getFileName().toString();
    return name.startsWith("okhttp-")
        || name.startsWith("okio")
        || name.startsWith("kotlin-stdlib");
  }

  private static List<Path> okHttp5Jars() throws IOException {
    String directory = System.getProperty("agenttests.okhttp5.dir");
    assertTrue(directory != null, "system property agenttests.okhttp5.dir is not set");
    try (Stream<Path> jars = Files.list(Path.of(directory))) {
      List<Path> found = jars.filter(path -> path.toString().endsWith(".jar")).sorted().toList();
      assertTrue(
          found.stream().anyMatch(path -> path.getFileName().toString().startsWith("okhttp-jvm-5")),
          "no OkHttp 5 in " + directory);
      return found;
    }
  }
}
