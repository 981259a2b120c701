package dev.taskmaster.sample.server;

import com.google.gson.JsonObject;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A local model server that speaks the OpenAI and Ollama HTTP APIs, with answers, token counts and
 * failures under test control.
 *
 * <p>Endpoints: {@code POST /v1/chat/completions}, {@code /v1/completions}, {@code /v1/responses},
 * {@code /v1/embeddings}, {@code GET /v1/models}; {@code POST /api/chat}, {@code /api/generate},
 * {@code /api/embed}, {@code GET /api/tags}; {@code GET|POST /control} to read or change the {@link
 * Behaviour}, {@code GET /control/stats} for the {@link ServerStats}. Token counts follow {@link
 * TokenCounter}.
 *
 * <pre>{@code
 * try (ModelServer server = ModelServer.start(0)) {
 *   server.behaviour().latencyMillis(50).refusalRate(0.1);
 *   // point a client at server.openAiBaseUrl() or server.baseUrl()
 *   long calls = server.requestCount("/v1/chat/completions");
 * }
 * }</pre>
 *
 * <p>As a program: {@code java -cp taskmaster-sample-app.jar
 * dev.taskmaster.sample.server.ModelServer [--port N] [--port-file PATH] [--host H] [--scenario
 * NAME] [--seed N] [--time-scale X] [--change-after N]}; the traffic scenarios ({@code
 * latency_step}, {@code verbose}, ...) are described on {@link Behaviour}.
 */
public final class ModelServer implements AutoCloseable {

  /** The address the server binds when none is given. */
  public static final String DEFAULT_HOST = "127.0.0.1";

  private final HttpServer http;
  private final ExecutorService executor;
  private final Behaviour behaviour;
  private final ServerStats stats = new ServerStats();
  private final CountDownLatch closing = new CountDownLatch(1);
  private final Map<String, HttpHandler> routes = new LinkedHashMap<>();

  private ModelServer(HttpServer http, ExecutorService executor, Behaviour behaviour) {
    this.http = http;
    this.executor = executor;
    this.behaviour = behaviour;
    routes.put("/v1/chat/completions", new OpenAiEndpoints.ChatCompletions(this));
    routes.put("/v1/completions", new OpenAiEndpoints.Completions(this));
    routes.put("/v1/responses", new OpenAiEndpoints.Responses(this));
    routes.put("/v1/embeddings", new OpenAiEndpoints.Embeddings(this));
    routes.put("/v1/models", new OpenAiEndpoints.Models(this));
    routes.put("/api/chat", new OllamaEndpoints.Chat(this));
    routes.put("/api/generate", new OllamaEndpoints.Generate(this));
    routes.put("/api/embed", new OllamaEndpoints.Embed(this));
    routes.put("/api/tags", new OllamaEndpoints.Tags(this));
    routes.put("/control", this::control);
    routes.put("/control/stats", this::controlStats);
  }

  /** Starts a server on {@value #DEFAULT_HOST}, {@code port} (0 for a free one), defaults. */
  public static ModelServer start(int port) {
    return start(DEFAULT_HOST, port, new Behaviour());
  }

  /** Starts a server on {@code host} and {@code port} (0 for a free one). */
  public static ModelServer start(String host, int port, Behaviour behaviour) {
    // Without it, small responses wait ~40 ms for a delayed ACK on loopback (Nagle).
    System.setProperty("sun.net.httpserver.nodelay", "true");
    AtomicInteger threads = new AtomicInteger();
    ExecutorService executor =
        Executors.newCachedThreadPool(
            task -> {
              Thread thread = new Thread(task, "model-server-" + threads.incrementAndGet());
              thread.setDaemon(true);
              return thread;
            });
    try {
      HttpServer http = HttpServer.create(new InetSocketAddress(host, port), 128);
      ModelServer server = new ModelServer(http, executor, behaviour);
      http.createContext("/", server::route);
      http.setExecutor(executor);
      http.start();
      return server;
    } catch (IOException e) {
      executor.shutdownNow();
      throw new UncheckedIOException("cannot listen on " + host + ":" + port, e);
    }
  }

  /** The bound port. */
  public int port() {
    return http.getAddress().getPort();
  }

  /** {@code http://host:port}, the base of the Ollama API and of {@code /control}. */
  public String baseUrl() {
    String host = http.getAddress().getAddress().getHostAddress();
    return "http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port();
  }

  /** {@code http://host:port/v1}, the base URL to give an OpenAI client. */
  public String openAiBaseUrl() {
    return baseUrl() + "/v1";
  }

  /** The live behaviour; changes apply to the next request. */
  public Behaviour behaviour() {
    return behaviour;
  }

  /** What the server received and reported so far. */
  public ServerStats stats() {
    return stats;
  }

  /** Requests received on {@code path} (for example {@code /v1/chat/completions}). */
  public long requestCount(String path) {
    return stats.requests(path);
  }

  /** Stops listening, drops hanging requests and open connections. */
  @Override
  public void close() {
    closing.countDown();
    http.stop(0);
    executor.shutdownNow();
  }

  /** Waits up to {@code millis} or until the server closes. */
  void awaitClose(long millis) {
    try {
      closing.await(millis, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void route(HttpExchange exchange) throws IOException {
    String path = exchange.getRequestURI().getPath();
    stats.request(path);
    HttpHandler handler = routes.get(path);
    if (handler != null) {
      handler.handle(exchange);
      return;
    }
    stats.outcome(path, ServerStats.Outcome.BAD_REQUEST);
    JsonObject body = new JsonObject();
    if (path.startsWith("/api/")) {
      body.addProperty("error", "404 page not found");
    } else {
      JsonObject error = new JsonObject();
      error.addProperty(
          "message", "Invalid URL (" + exchange.getRequestMethod() + " " + path + ")");
      error.addProperty("type", "invalid_request_error");
      error.add("param", null);
      error.add("code", null);
      body.add("error", error);
    }
    ModelEndpoint.sendJson(exchange, 404, body);
  }

  private void control(HttpExchange exchange) throws IOException {
    switch (exchange.getRequestMethod()) {
      case "GET" -> ModelEndpoint.sendJson(exchange, 200, behaviour.toJson());
      case "POST" -> {
        try {
          behaviour.apply(ModelEndpoint.readJson(exchange));
          ModelEndpoint.sendJson(exchange, 200, behaviour.toJson());
        } catch (IllegalArgumentException | ModelEndpoint.BadRequest e) {
          JsonObject body = new JsonObject();
          body.addProperty("error", e.getMessage());
          ModelEndpoint.sendJson(exchange, 400, body);
        }
      }
      default -> {
        exchange.getResponseHeaders().set("Allow", "GET, POST");
        exchange.sendResponseHeaders(405, -1);
        exchange.close();
      }
    }
  }

  private void controlStats(HttpExchange exchange) throws IOException {
    ModelEndpoint.sendJson(exchange, 200, stats.toJson());
  }

  /** Runs the server until the process is stopped; see the class comment for the flags. */
  public static void main(String[] args) throws IOException, InterruptedException {
    String host = DEFAULT_HOST;
    int port = 8080;
    Path portFile = null;
    String scenario = Behaviour.DEFAULT_SCENARIO;
    long seed = Behaviour.DEFAULT_SEED;
    double timeScale = Behaviour.DEFAULT_TIME_SCALE;
    long changeAfter = 0;
    try {
      for (int i = 0; i < args.length; i++) {
        String flag = args[i];
        if (flag.equals("--help") || flag.equals("-h")) {
          System.out.println(usage());
          return;
        }
        if (i + 1 >= args.length) {
          throw new IllegalArgumentException(flag + " needs a value");
        }
        String value = args[++i];
        switch (flag) {
          case "--host" -> host = value;
          case "--port" -> port = Integer.parseInt(value);
          case "--port-file" -> portFile = Path.of(value);
          case "--scenario" -> scenario = value;
          case "--seed" -> seed = Long.parseLong(value);
          case "--time-scale" -> timeScale = Double.parseDouble(value);
          case "--change-after" -> changeAfter = Long.parseLong(value);
          default -> throw new IllegalArgumentException("unknown flag " + flag);
        }
      }
      behaviour(scenario, seed, timeScale, changeAfter);
    } catch (IllegalArgumentException e) {
      System.err.println("model-server: " + e.getMessage() + "\n" + usage());
      System.exit(2);
      return;
    }

    ModelServer server = start(host, port, new Behaviour(scenario, seed).timeScale(timeScale));
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  server.close();
                  System.out.print(
                      "model-server: stopped after "
                          + server.stats().requests()
                          + " requests\n"
                          + server.stats().toText().replaceAll("(?m)^", "model-server:   "));
                  System.out.flush();
                },
                "model-server-shutdown"));
    if (portFile != null) {
      // Written whole then moved, so a script polling for the file never reads half a number.
      Path tmp = portFile.resolveSibling(portFile.getFileName() + ".tmp");
      Files.writeString(tmp, server.port() + "\n", StandardCharsets.UTF_8);
      Files.move(
          tmp, portFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
    System.out.println(
        "model-server: listening on "
            + server.baseUrl()
            + " (OpenAI base "
            + server.openAiBaseUrl()
            + ", scenario "
            + scenario
            + ", seed "
            + seed
            + ")");
    server.closing.await();
  }

  private static Behaviour behaviour(
      String scenario, long seed, double timeScale, long changeAfter) {
    Behaviour behaviour = new Behaviour(scenario, seed).timeScale(timeScale);
    return changeAfter > 0 ? behaviour.changeAfter(changeAfter) : behaviour;
  }

  private static String usage() {
    return "usage: ModelServer [--port N (0 = free port, default 8080)] [--port-file PATH]"
        + " [--host ADDRESS (default 127.0.0.1)] [--scenario NAME (one of "
        + String.join(", ", Behaviour.scenarioNames())
        + ")] [--seed N (default 42)] [--time-scale X (real seconds per simulated second of"
        + " the traffic scenarios, default "
        + Behaviour.DEFAULT_TIME_SCALE
        + ")] [--change-after N (requests of unchanged traffic before a traffic scenario's"
        + " change)]";
  }
}
