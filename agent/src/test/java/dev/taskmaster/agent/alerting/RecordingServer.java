package dev.taskmaster.agent.alerting;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/** A JDK HTTP server on loopback that records requests and answers as a test tells it. */
final class RecordingServer implements AutoCloseable {

  /** One request as received. */
  static final class Request {
    final String method;
    final String path;
    final Map<String, List<String>> headers;
    final String body;

    Request(String method, String path, Map<String, List<String>> headers, String body) {
      this.method = method;
      this.path = path;
      this.headers = headers;
      this.body = body;
    }

    String header(String name) {
      for (Map.Entry<String, List<String>> header : headers.entrySet()) {
        if (header.getKey().equalsIgnoreCase(name)) {
          return header.getValue().get(0);
        }
      }
      return null;
    }
  }

  /** What to answer. */
  static final class Answer {
    final int status;
    final String body;
    final long delayMillis;

    Answer(int status, String body, long delayMillis) {
      this.status = status;
      this.body = body;
      this.delayMillis = delayMillis;
    }

    static Answer of(int status) {
      return new Answer(status, "", 0);
    }

    static Answer of(int status, String body) {
      return new Answer(status, body, 0);
    }
  }

  final BlockingQueue<Request> requests = new LinkedBlockingQueue<>();
  final List<Request> all = new CopyOnWriteArrayList<>();
  private final HttpServer server;
  private final ExecutorService executor;
  private volatile Function<Request, Answer> answers = request -> Answer.of(200);

  RecordingServer() throws IOException {
    // Without it, the JDK server answers small responses about 40 ms late on loopback.
    System.setProperty("sun.net.httpserver.nodelay", "true");
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    executor =
        Executors.newCachedThreadPool(
            task -> {
              Thread thread = new Thread(task, "recording-server");
              thread.setDaemon(true);
              return thread;
            });
    server.setExecutor(executor);
    server.createContext(
        "/",
        exchange -> {
          String body =
              new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
          Request request =
              new Request(
                  exchange.getRequestMethod(),
                  exchange.getRequestURI().getPath(),
                  Map.copyOf(exchange.getRequestHeaders()),
                  body);
          all.add(request);
          requests.add(request);
          Answer answer = answers.apply(request);
          try {
            if (answer.delayMillis > 0) {
              Thread.sleep(answer.delayMillis);
            }
            byte[] bytes = answer.body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(answer.status, bytes.length == 0 ? -1 : bytes.length);
            if (bytes.length > 0) {
              try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
              }
            }
          } catch (InterruptedException | IOException ignored) {
            // The client gave up.
          } finally {
            exchange.close();
          }
        });
    server.start();
  }

  void answer(Function<Request, Answer> answers) {
    this.answers = answers;
  }

  URI uri(String path) {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
  }

  Request next(long timeoutMillis) throws InterruptedException {
    return requests.poll(timeoutMillis, TimeUnit.MILLISECONDS);
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
