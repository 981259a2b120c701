package dev.taskmaster.sample.server;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.taskmaster.sample.server.ServerStats.Outcome;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One endpoint of the model server: checks the method, parses the request, draws a {@link
 * Behaviour.Plan}, plays its failure or latency, then lets the subclass write the answer.
 */
abstract class ModelEndpoint implements HttpHandler {

  static final Gson GSON = new GsonBuilder().serializeNulls().disableHtmlEscaping().create();

  /** Words per streamed chunk. */
  static final int WORDS_PER_CHUNK = 3;

  private static final Pattern WORD_WITH_SPACE = Pattern.compile("\\S+\\s*");
  private static final String ID_CHARS =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

  final ModelServer server;
  private final String method;
  private final boolean drawsPlan;

  ModelEndpoint(ModelServer server, String method, boolean drawsPlan) {
    this.server = server;
    this.method = method;
    this.drawsPlan = drawsPlan;
  }

  /** What the subclass needs from a parsed request. */
  static final class Request {
    final JsonObject body;
    String model;

    /** All prompt text, for the token count. */
    String promptText = "";

    /** The text the answer is about (usually the last user message). */
    String topic = "";

    boolean stream;
    boolean includeUsage;

    /** Answer length limit in words (tokens), or -1. */
    long maxTokens = -1;

    Request(JsonObject body) {
      this.body = body;
    }

    int promptTokens() {
      return TokenCounter.count(promptText);
    }
  }

  /** A generated answer, already cut to the request's token limit. */
  record Answer(String text, int completionTokens, boolean truncated) {
    List<String> chunks() {
      List<String> pieces = new ArrayList<>();
      Matcher words = WORD_WITH_SPACE.matcher(text);
      while (words.find()) {
        pieces.add(words.group());
      }
      List<String> chunks = new ArrayList<>();
      for (int i = 0; i < pieces.size(); i += WORDS_PER_CHUNK) {
        chunks.add(
            String.join("", pieces.subList(i, Math.min(pieces.size(), i + WORDS_PER_CHUNK))));
      }
      return chunks;
    }
  }

  /** Thrown out of the handler to make the JDK server drop the connection without a response. */
  static final class DropConnection extends RuntimeException {
    DropConnection() {
      super("connection dropped on purpose", null, false, false);
    }
  }

  /** A client error answered with HTTP 400 and the message. */
  static final class BadRequest extends RuntimeException {
    BadRequest(String message) {
      super(message, null, false, false);
    }
  }

  /** Reads the request body and fills a {@link Request}; throws {@link BadRequest}. */
  abstract Request parse(JsonObject body);

  /** Writes the answer to a request that drew no failure. */
  abstract void respond(HttpExchange exchange, Request request, Behaviour.Plan plan)
      throws IOException;

  /** Writes an error in the style of the API family. */
  abstract void sendError(
      HttpExchange exchange, int status, String message, String type, String code)
      throws IOException;

  @Override
  public final void handle(HttpExchange exchange) throws IOException {
    String path = exchange.getRequestURI().getPath();
    Request request;
    Behaviour.Plan plan = null;
    try {
      if (!exchange.getRequestMethod().equalsIgnoreCase(method)) {
        exchange.getResponseHeaders().set("Allow", method);
        badRequest(exchange, path, 405, "Method " + exchange.getRequestMethod() + " not allowed");
        return;
      }
      request = parse(method.equals("POST") ? readJson(exchange) : new JsonObject());
      if (drawsPlan) {
        plan = server.behaviour().plan(request.stream);
      }
    } catch (BadRequest | IllegalStateException | UnsupportedOperationException e) {
      // Gson's getAs... methods throw the last two on a value of the wrong JSON type.
      badRequest(exchange, path, 400, e.getMessage());
      return;
    }
    if (plan == null) {
      respond(exchange, request, null);
      return;
    }

    switch (plan.fault()) {
      case HANG -> {
        server.stats().outcome(path, Outcome.HUNG);
        server.awaitClose(plan.hangMillis());
        throw new DropConnection();
      }
      case RATE_LIMIT -> {
        server.stats().outcome(path, Outcome.RATE_LIMITED);
        exchange.getResponseHeaders().set("Retry-After", Long.toString(plan.retryAfterSeconds()));
        sendError(
            exchange,
            429,
            "Rate limit reached for requests. Please try again in "
                + plan.retryAfterSeconds()
                + "s.",
            "requests",
            "rate_limit_exceeded");
        return;
      }
      case SERVER_ERROR -> {
        server.stats().outcome(path, Outcome.SERVER_ERROR);
        sendError(
            exchange,
            500,
            "The server had an error while processing your request. Sorry about that!",
            "server_error",
            null);
        return;
      }
      default -> {}
    }

    pause(plan.latencyMillis());
    try {
      respond(exchange, request, plan);
    } catch (DropConnection e) {
      server.stats().outcome(path, Outcome.CUT);
      throw e;
    }
  }

  private void badRequest(HttpExchange exchange, String path, int status, String message)
      throws IOException {
    server.stats().outcome(path, Outcome.BAD_REQUEST);
    sendError(exchange, status, message, "invalid_request_error", null);
  }

  /** The answer the plan asks for, limited to {@code request.maxTokens} words. */
  static Answer answer(Request request, Behaviour.Plan plan) {
    if (plan.reply() != null) {
      // The traffic model plays the model: its length, its token count, its finish reason.
      return new Answer(
          plan.reply().text(),
          (int) plan.reply().outputTokens(),
          "length".equals(plan.reply().finishReason()));
    }
    String text =
        AnswerGenerator.generate(
            request.topic, plan.answerKind(), plan.verbosity(), new Random(plan.answerSeed()));
    int words = TokenCounter.count(text);
    if (request.maxTokens >= 0 && words > request.maxTokens) {
      Matcher matcher = WORD_WITH_SPACE.matcher(text);
      StringBuilder cut = new StringBuilder();
      for (long i = 0; i < request.maxTokens && matcher.find(); i++) {
        cut.append(matcher.group());
      }
      return new Answer(cut.toString().strip(), (int) request.maxTokens, true);
    }
    return new Answer(text, words, false);
  }

  /** Records the usage sent to the client. */
  void countUsage(HttpExchange exchange, long promptTokens, long completionTokens) {
    server.stats().usage(exchange.getRequestURI().getPath(), promptTokens, completionTokens);
  }

  /**
   * Counts a complete answer and its usage, then sends it. Counting comes first so that a client
   * holding the answer always finds it in the stats.
   */
  void sendAnswer(HttpExchange exchange, JsonElement body, long promptTokens, long completionTokens)
      throws IOException {
    countUsage(exchange, promptTokens, completionTokens);
    server.stats().outcome(exchange.getRequestURI().getPath(), Outcome.OK);
    sendJson(exchange, 200, body);
  }

  /**
   * Sends the frames of a stream one by one, flushing each, with the plan's chunk delay between
   * them; cuts the stream as the plan says by dropping the connection.
   */
  final class StreamWriter {
    private final HttpExchange exchange;
    private final OutputStream out;
    private final Behaviour.Plan plan;
    private int sent;

    StreamWriter(HttpExchange exchange, String contentType, Behaviour.Plan plan)
        throws IOException {
      exchange.getResponseHeaders().set("Content-Type", contentType);
      exchange.getResponseHeaders().set("Cache-Control", "no-cache");
      exchange.sendResponseHeaders(200, 0);
      this.exchange = exchange;
      this.out = exchange.getResponseBody();
      this.plan = plan;
    }

    /**
     * Sends one frame.
     *
     * @param finishing whether this frame ends the answer (carries the finish reason); a cut stream
     *     never sends it
     */
    void send(String frame, boolean finishing) throws IOException {
      send(frame, finishing, () -> {});
    }

    /** Sends one frame, running {@code beforeWrite} once the frame is sure to be sent. */
    void send(String frame, boolean finishing, Runnable beforeWrite) throws IOException {
      if (sent > 0) {
        pause(plan.chunkDelayMillis());
      }
      if (plan.cutAfterChunks() >= 0 && (sent >= plan.cutAfterChunks() || finishing)) {
        throw new DropConnection();
      }
      beforeWrite.run();
      out.write(frame.getBytes(StandardCharsets.UTF_8));
      out.flush();
      sent++;
    }

    /** Counts the answer as complete, then ends the stream. */
    void close() throws IOException {
      server.stats().outcome(exchange.getRequestURI().getPath(), Outcome.OK);
      out.close();
    }
  }

  static JsonObject readJson(HttpExchange exchange) {
    try (InputStream in = exchange.getRequestBody()) {
      String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      JsonElement json = JsonParser.parseString(text);
      if (!json.isJsonObject()) {
        throw new BadRequest("The request body must be a JSON object.");
      }
      return json.getAsJsonObject();
    } catch (IOException | JsonParseException e) {
      throw new BadRequest("We could not parse the JSON body of your request: " + e.getMessage());
    }
  }

  static void sendJson(HttpExchange exchange, int status, JsonElement body) throws IOException {
    byte[] bytes = GSON.toJson(body).getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  static String requiredString(JsonObject body, String key) {
    JsonElement value = body.get(key);
    if (value == null || value.isJsonNull()) {
      throw new BadRequest("Missing required parameter: '" + key + "'.");
    }
    if (!value.isJsonPrimitive() || !value.getAsJsonPrimitive().isString()) {
      throw new BadRequest("Invalid type for '" + key + "': expected a string.");
    }
    return value.getAsString();
  }

  static boolean flag(JsonObject body, String key, boolean absent) {
    JsonElement value = body.get(key);
    if (value == null || value.isJsonNull()) {
      return absent;
    }
    if (!value.isJsonPrimitive() || !value.getAsJsonPrimitive().isBoolean()) {
      throw new BadRequest("Invalid type for '" + key + "': expected a boolean.");
    }
    return value.getAsBoolean();
  }

  static long optionalLong(JsonObject body, String key) {
    JsonElement value = body.get(key);
    if (value == null || value.isJsonNull()) {
      return -1;
    }
    if (!value.isJsonPrimitive() || !value.getAsJsonPrimitive().isNumber()) {
      throw new BadRequest("Invalid type for '" + key + "': expected an integer.");
    }
    long n = value.getAsLong();
    if (n < 0) {
      throw new BadRequest(
          "Invalid '" + key + "': expected a non-negative integer, got " + n + ".");
    }
    return n;
  }

  /**
   * The text of a message content: a string, or an array of parts whose {@code text} fields are
   * joined with a space.
   */
  static String contentText(JsonElement content) {
    if (content == null || content.isJsonNull()) {
      return "";
    }
    if (content.isJsonPrimitive()) {
      return content.getAsString();
    }
    if (content.isJsonArray()) {
      List<String> texts = new ArrayList<>();
      for (JsonElement part : content.getAsJsonArray()) {
        if (part.isJsonObject() && part.getAsJsonObject().has("text")) {
          texts.add(part.getAsJsonObject().get("text").getAsString());
        } else if (part.isJsonPrimitive()) {
          texts.add(part.getAsString());
        }
      }
      return String.join(" ", texts);
    }
    throw new BadRequest("Invalid content: expected a string or an array of content parts.");
  }

  /** Inputs of an embedding request: a string or an array of strings. */
  static List<String> inputs(JsonObject body, String key) {
    JsonElement input = body.get(key);
    if (input == null || input.isJsonNull()) {
      throw new BadRequest("Missing required parameter: '" + key + "'.");
    }
    List<String> inputs = new ArrayList<>();
    if (input.isJsonArray()) {
      for (JsonElement item : input.getAsJsonArray()) {
        if (!item.isJsonPrimitive() || !item.getAsJsonPrimitive().isString()) {
          throw new BadRequest("Invalid '" + key + "': expected a string or an array of strings.");
        }
        inputs.add(item.getAsString());
      }
    } else if (input.isJsonPrimitive() && input.getAsJsonPrimitive().isString()) {
      inputs.add(input.getAsString());
    } else {
      throw new BadRequest("Invalid '" + key + "': expected a string or an array of strings.");
    }
    return inputs;
  }

  /** A unit vector derived from the text alone. */
  static float[] embedding(String text, int dimensions) {
    Random random = new Random(text.hashCode() * 31L + dimensions);
    float[] vector = new float[dimensions];
    double norm = 0;
    for (int i = 0; i < dimensions; i++) {
      vector[i] = (float) random.nextGaussian();
      norm += vector[i] * vector[i];
    }
    float scale = (float) (1 / Math.sqrt(norm));
    for (int i = 0; i < dimensions; i++) {
      vector[i] *= scale;
    }
    return vector;
  }

  static String randomId(String prefix, int length) {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    StringBuilder id = new StringBuilder(prefix);
    for (int i = 0; i < length; i++) {
      id.append(ID_CHARS.charAt(random.nextInt(ID_CHARS.length())));
    }
    return id.toString();
  }

  static void pause(long millis) {
    if (millis <= 0) {
      return;
    }
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new DropConnection();
    }
  }
}
