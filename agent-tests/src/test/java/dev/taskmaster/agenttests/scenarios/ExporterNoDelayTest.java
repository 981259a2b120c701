package dev.taskmaster.agenttests.scenarios;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.taskmaster.agenttests.fixtures.PlainApp;
import dev.taskmaster.agenttests.harness.AgentJvm;
import dev.taskmaster.agenttests.harness.TestEnvironment;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The agent opens the JDK HTTP server's internals to itself through its {@code Instrumentation} and
 * turns Nagle's algorithm off on its exporter's connections (a gzip scrape over loopback otherwise
 * waits 40 ms for a delayed acknowledgement). Seen through the agent's one DEBUG line about it:
 * that the socket option really is on is checked in the agent module's {@code
 * TcpNoDelayOpenedTest}; here, that the shaded agent in a child JVM, with nothing on its command
 * line but {@code -javaagent}, gets that far and not to the line that says it could not.
 */
class ExporterNoDelayTest {

  @Test
  void theExportersConnectionsGetTcpNoDelay() throws Exception {
    assertNoDelay(AgentJvm.builder(PlainApp.class));
  }

  @Test
  void onJdk25Too() throws Exception {
    assertNoDelay(AgentJvm.builder(PlainApp.class).javaHome(TestEnvironment.assumeJdk25Home()));
  }

  private static void assertNoDelay(AgentJvm.Builder builder) throws Exception {
    try (AgentJvm jvm = builder.agentArg("log.level", "debug").start().awaitReady()) {
      HttpResponse<byte[]> gzip =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + jvm.port() + "/metrics"))
                      .header("Accept-Encoding", "gzip")
                      .timeout(Duration.ofSeconds(10))
                      .build(),
                  HttpResponse.BodyHandlers.ofByteArray());
      jvm.scrapeText("/health");
      jvm.awaitStderr("TCP_NODELAY");
      List<String> lines =
          jvm.stderrLines().stream()
              .filter(line -> line.contains("TCP_NODELAY") || line.contains("Nagle"))
              .toList();
      assertAll(
          () -> assertEquals(200, gzip.statusCode()),
          () -> assertEquals("gzip", gzip.headers().firstValue("Content-Encoding").orElse("")),
          // Once, though two connections and more requests were served.
          () ->
              assertEquals(
                  List.of("[taskmaster] DEBUG exporter connections: TCP_NODELAY on"),
                  lines,
                  jvm.describe()));
    }
  }
}
