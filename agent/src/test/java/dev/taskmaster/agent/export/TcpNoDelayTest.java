package dev.taskmaster.agent.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import com.sun.net.httpserver.HttpServer;
import dev.taskmaster.agent.util.AgentLog;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@link TcpNoDelay} where {@code sun.net.httpserver} is closed (as in a JVM without the agent's
 * {@code Instrumentation}) or its field is missing: a no-op, and the exporter serves as before.
 * With the package open: {@link TcpNoDelayOpenedTest}.
 */
class TcpNoDelayTest {

  @BeforeAll
  static void needsThePackageClosed() {
    // Run by -Dtest in the jdk-server-opened execution too, where these do not apply.
    assumeFalse(
        HttpServer.class.getModule().isOpen(TcpNoDelay.PACKAGE, TcpNoDelayTest.class.getModule()),
        TcpNoDelay.PACKAGE + " is open here");
  }

  @Test
  void isInactiveWhileThePackageIsClosed() {
    assertFalse(TcpNoDelay.forJdkServer().active());
  }

  @Test
  void isInactiveWhenTheJdkHasNoSuchClassOrField() {
    assertFalse(TcpNoDelay.resolve("sun.net.httpserver.NoSuchExchange", "chan").active());
    assertFalse(TcpNoDelay.resolve(TcpNoDelay.EXCHANGE_CLASS, "noSuchField").active());
    // A field of another type is not taken for the socket.
    assertFalse(TcpNoDelay.resolve(TcpNoDelay.EXCHANGE_CLASS, "protocol").active());
  }

  @Test
  void saysSoOnlyAtDebug() {
    PrintStream originalErr = System.err;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      AgentLog.setLevel("info");
      TcpNoDelay.forJdkServer();
      assertEquals("", captured.toString(StandardCharsets.UTF_8));
      AgentLog.setLevel("debug");
      TcpNoDelay.forJdkServer();
      assertEquals(
          "[taskmaster] DEBUG exporter connections keep Nagle's algorithm: sun.net.httpserver is"
              + " not open to the agent; a gzip scrape over loopback may wait 40 ms for a delayed"
              + " acknowledgement."
              + System.lineSeparator(),
          captured.toString(StandardCharsets.UTF_8));
    } finally {
      AgentLog.setLevel("info");
      System.setErr(originalErr);
    }
  }

  @Test
  void theExporterServesWhileThePackageIsClosed() throws Exception {
    MetricsExporter exporter =
        MetricsExporter.start("127.0.0.1", 0, null, new PrometheusRegistry(), null);
    try {
      HttpResponse<byte[]> response =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(
                          URI.create("http://127.0.0.1:" + exporter.port() + "/metrics"))
                      .header("Accept-Encoding", "gzip")
                      .build(),
                  HttpResponse.BodyHandlers.ofByteArray());
      assertEquals(200, response.statusCode());
      assertEquals("gzip", response.headers().firstValue("Content-Encoding").orElse(""));
    } finally {
      exporter.stop();
    }
  }
}
