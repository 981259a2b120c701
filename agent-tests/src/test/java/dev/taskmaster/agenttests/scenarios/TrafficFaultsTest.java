package dev.taskmaster.agenttests.scenarios;

import static dev.taskmaster.agenttests.harness.AgentAssertions.assertHealthy;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.taskmaster.agenttests.fixtures.faults.TrafficFaultsApp;
import dev.taskmaster.agenttests.harness.AgentJvm;
import dev.taskmaster.agenttests.harness.MetricsSnapshot;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

/**
 * Answers that no model server should send, through every HTTP client library the agent recognises:
 * the application reads the same bytes (the same SHA-256), gets the same statuses and the same
 * exceptions as without the agent, and the agent counts each call once. HTTP 500, a server that
 * hangs, a stream cut midway and a refused connection are in {@link HttpClientsTest}.
 */
@Execution(ExecutionMode.CONCURRENT)
class TrafficFaultsTest {

  /**
   * Four clients each read a 10 MiB answer and wait out a {@code Retry-After}: about 5 s alone, but
   * several times that when the other concurrent scenarios load the 2 cores.
   */
  private static final Duration READY_TIMEOUT = Duration.ofMinutes(2);

  private static final String[] CLIENTS = {"jdk", "okhttp", "apache", "urlconnection"};

  @Test
  void badAnswersReachTheApplicationUnchanged(@TempDir Path temp) throws Exception {
    // Names resolve from this file only: no-such-host.invalid fails at once, with no DNS query.
    Path hosts = Files.writeString(temp.resolve("hosts"), "127.0.0.1 localhost\n");
    CompletableFuture<Map<String, String>> baseline =
        CompletableFuture.supplyAsync(
            () -> {
              try (AgentJvm jvm = app(hosts).withoutAgent().start()) {
                jvm.awaitLine("READY", READY_TIMEOUT);
                return jvm.results();
              }
            });
    try (AgentJvm jvm = app(hosts).start()) {
      jvm.awaitLine("READY", READY_TIMEOUT);
      // 4 clients x (non-JSON, truncated, binary): counted as parse errors on the agent's thread.
      MetricsSnapshot metrics =
          HttpClientsTest.scrapeWhen(
              jvm,
              m ->
                  m.sum("taskmaster_errors_total", "kind", "parse") == 12
                      && m.sum("taskmaster_responses_not_parsed_total") == 4);
      Map<String, String> results = jvm.results();
      assertAll(
          () -> assertEquals(baseline.get(), results, "the application saw something else"),
          () -> assertEquals("429 1", results.get("retryAfter")),
          () ->
              assertEquals(
                  "200 sha=" + results.get("hugeSha"),
                  results.get("jdk.huge"),
                  "the 10 MiB answer changed"),
          () -> assertEquals("java.net.ConnectException", results.get("jdk.dns")),
          () -> assertEquals("java.net.UnknownHostException", results.get("okhttp.dns")),
          // Each client: non-JSON, truncated and binary answers are successes whose body did not
          // parse; the 10 MiB one is a success too big to read.
          () ->
              assertEquals(
                  16,
                  metrics.sum(
                      "taskmaster_requests_total", "model", "gpt-fault", "status", "success"),
                  metrics::text),
          () -> assertEquals(12, metrics.sum("taskmaster_errors_total", "kind", "parse")),
          () ->
              assertEquals(
                  4, metrics.value("taskmaster_responses_not_parsed_total", "reason", "too_large")),
          // 429 with Retry-After: 1, once per client, and once more from Apache, which honours it
          // and retries; and once more through the JDK client for the header.
          () -> assertEquals(6, metrics.sum("taskmaster_errors_total", "kind", "rate_limited")),
          // The host that does not resolve: one connection error per client.
          () -> assertEquals(4, metrics.sum("taskmaster_errors_total", "kind", "connection")),
          // 6 calls per client, Apache's retry and the JDK client's call for the header.
          () -> assertEquals(26, metrics.sum("taskmaster_requests_total"), metrics::text),
          () -> assertEquals(0, metrics.sum("taskmaster_tokens_input_total")),
          () -> assertHealthy(jvm, metrics, "taskmaster", line -> line.startsWith("SLF4J")));
    }
  }

  private static AgentJvm.Builder app(Path hosts) {
    return AgentJvm.builder(TrafficFaultsApp.class)
        .jvmOption("-Djdk.net.hosts.file=" + hosts)
        .args((Object[]) CLIENTS);
  }
}
