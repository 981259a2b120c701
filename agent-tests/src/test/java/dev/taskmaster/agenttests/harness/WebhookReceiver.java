package dev.taskmaster.agenttests.harness;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * An HTTP server in the test JVM that records every POST it receives, such as Alertmanager's
 * webhook notifications. It answers 200 at once. Runs on the JDK's {@code com.sun.net.httpserver};
 * the test JVM sets {@code sun.net.httpserver.nodelay=true}, so answers are not held back.
 */
public final class WebhookReceiver implements AutoCloseable {

  /** One received request. */
  public record Request(String path, String body) {}

  private final HttpServer server;
  private final List<Request> requests = new ArrayList<>();

  private WebhookReceiver(HttpServer server) {
    this.server = server;
  }

  /** Starts a receiver on a free loopback port. */
  public static WebhookReceiver start() {
    try {
      HttpServer server =
          HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
      WebhookReceiver receiver = new WebhookReceiver(server);
      server.createContext(
          "/",
          exchange -> {
            try (InputStream in = exchange.getRequestBody()) {
              String body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
              receiver.record(new Request(exchange.getRequestURI().getPath(), body));
              exchange.sendResponseHeaders(200, -1);
            } finally {
              exchange.close();
            }
          });
      server.start();
      return receiver;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The URL of a path on this receiver. */
  public URI uri(String path) {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
  }

  /** Every request so far, in order of arrival. */
  public List<Request> requests() {
    synchronized (requests) {
      return List.copyOf(requests);
    }
  }

  /**
   * Waits up to {@code timeout} for a request that matches; returns it, or {@code null}. Requests
   * received before the call count too.
   */
  public Request await(Predicate<Request> condition, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (requests) {
      while (true) {
        for (Request request : requests) {
          if (condition.test(request)) {
            return request;
          }
        }
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return null;
        }
        try {
          requests.wait(Math.max(1, left / 1_000_000));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return null;
        }
      }
    }
  }

  private void record(Request request) {
    synchronized (requests) {
      requests.add(request);
      requests.notifyAll();
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
