package dev.taskmaster.agent.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.reflect.Field;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@link TcpNoDelay} where {@code sun.net.httpserver} is open, as the agent opens it: run by its
 * own surefire execution with {@code --add-opens jdk.httpserver/sun.net.httpserver=ALL-UNNAMED},
 * apart from the other tests, which see the package closed.
 *
 * <p>Run with {@code -Dtest=...} in the default execution, where the package is closed, it is
 * skipped; in its own execution ({@code taskmaster.test.jdkServerOpen} set), a closed package fails
 * it.
 *
 * <p>The handler reads the option from the accepted socket through another path than the one the
 * exporter sets it through (the exchange the handler receives, its {@code ExchangeImpl}, its
 * connection, its channel) and answers {@code true} or {@code false}.
 */
class TcpNoDelayOpenedTest {

  private static final HttpClient HTTP =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  @BeforeAll
  static void needsThePackageOpen() {
    boolean open =
        HttpServer.class
            .getModule()
            .isOpen(TcpNoDelay.PACKAGE, TcpNoDelayOpenedTest.class.getModule());
    if (Boolean.getBoolean("taskmaster.test.jdkServerOpen")) {
      assertTrue(open, "the surefire execution did not open " + TcpNoDelay.PACKAGE);
    }
    assumeTrue(open, TcpNoDelay.PACKAGE + " is closed here; see the jdk-server-opened execution");
  }

  @Test
  void resolvesWhenThePackageIsOpen() {
    assertTrue(TcpNoDelay.forJdkServer().active());
  }

  @Test
  void theExportersThreadsTurnNagleOffOnEveryConnection() throws Exception {
    ExecutorService threads = new MetricsExporter.ExporterThreads(TcpNoDelay.forJdkServer());
    HttpServer server = serve(threads);
    try {
      URI uri = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/");
      // The second request reuses the kept-alive connection: set again, still on.
      assertEquals("true", get(uri));
      assertEquals("true", get(uri));
      assertEquals("true", get(HttpClient.newHttpClient(), uri));
    } finally {
      server.stop(0);
      threads.shutdownNow();
    }
  }

  @Test
  void anyOtherExecutorLeavesTheJdkDefault() throws Exception {
    // The control: the same server and check with a plain executor answer false, so the check
    // above tells one state from the other.
    ExecutorService threads = Executors.newFixedThreadPool(2);
    HttpServer server = serve(threads);
    try {
      assertEquals(
          "false", get(URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/")));
    } finally {
      server.stop(0);
      threads.shutdownNow();
    }
  }

  @Test
  void theRunningExporterServesEveryPathWithNagleOff() throws Exception {
    MetricsExporter exporter =
        MetricsExporter.start("127.0.0.1", 0, null, new PrometheusRegistry(), new NoDelayAnswer());
    try {
      URI base = URI.create("http://127.0.0.1:" + exporter.port());
      assertEquals("true", get(base.resolve("/status")));
      HttpResponse<String> metrics =
          HTTP.send(
              HttpRequest.newBuilder(base.resolve("/metrics"))
                  .header("Accept-Encoding", "gzip")
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertEquals(200, metrics.statusCode());
      assertEquals("true", get(base.resolve("/status")));
    } finally {
      exporter.stop();
    }
  }

  private static HttpServer serve(ExecutorService threads) throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", new NoDelayAnswer());
    server.setExecutor(threads);
    server.start();
    return server;
  }

  private static String get(URI uri) throws Exception {
    return get(HTTP, uri);
  }

  private static String get(HttpClient client, URI uri) throws Exception {
    HttpResponse<String> response =
        client.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(200, response.statusCode(), response.body());
    return response.body();
  }

  /** Answers whether the exchange's socket has {@code TCP_NODELAY} on. */
  private static final class NoDelayAnswer implements HttpHandler {
    @Override
    public void handle(HttpExchange exchange) throws IOException {
      byte[] body;
      try {
        body =
            String.valueOf(socketOf(exchange).getOption(StandardSocketOptions.TCP_NODELAY))
                .getBytes(StandardCharsets.UTF_8);
      } catch (ReflectiveOperationException | RuntimeException failure) {
        body = failure.toString().getBytes(StandardCharsets.UTF_8);
      }
      exchange.sendResponseHeaders(200, body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    }

    private static SocketChannel socketOf(HttpExchange exchange)
        throws ReflectiveOperationException {
      Object impl = read(exchange, "impl");
      Object connection = read(impl, "connection");
      return (SocketChannel) read(connection, "chan");
    }

    private static Object read(Object owner, String name) throws ReflectiveOperationException {
      Field field = owner.getClass().getDeclaredField(name);
      field.setAccessible(true);
      return field.get(owner);
    }
  }
}
