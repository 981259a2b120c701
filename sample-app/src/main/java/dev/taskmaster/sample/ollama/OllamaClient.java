package dev.taskmaster.sample.ollama;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * A small client of Ollama's {@code /api/chat}, on the JDK's {@link HttpClient}. Thread-safe.
 *
 * <pre>{@code
 * OllamaClient ollama = new OllamaClient("http://127.0.0.1:11434");
 * OllamaChatResponse answer = ollama.chat("llama3.2", "Plan my week");
 * }</pre>
 */
public class OllamaClient {

  /** Time allowed for one call when none is given. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);

  private final URI chatUri;
  private final Duration timeout;
  private final HttpClient http;

  /** A client of the server at {@code baseUrl} (for example {@code http://127.0.0.1:11434}). */
  public OllamaClient(String baseUrl) {
    this(baseUrl, DEFAULT_TIMEOUT);
  }

  /** A client whose calls give up after {@code timeout}. */
  public OllamaClient(String baseUrl, Duration timeout) {
    String base = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
    this.chatUri = URI.create(base + "/api/chat");
    this.timeout = timeout;
    this.http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(timeout)
            .build();
  }

  /**
   * Sends {@code prompt} as one user message to {@code model}, without streaming, and returns the
   * answer.
   *
   * @throws OllamaException if the server answers with an HTTP error or an unreadable body
   * @throws IOException if the server cannot be reached or the call times out
   */
  public OllamaChatResponse chat(String model, String prompt)
      throws IOException, InterruptedException {
    JsonObject message = new JsonObject();
    message.addProperty("role", "user");
    message.addProperty("content", prompt);
    JsonArray messages = new JsonArray();
    messages.add(message);
    JsonObject body = new JsonObject();
    body.addProperty("model", model);
    body.add("messages", messages);
    body.addProperty("stream", false);

    HttpRequest request =
        HttpRequest.newBuilder(chatUri)
            .timeout(timeout)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body.toString(), StandardCharsets.UTF_8))
            .build();
    HttpResponse<String> response =
        http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));

    if (response.statusCode() / 100 != 2) {
      throw new OllamaException(
          response.statusCode(),
          "Ollama answered HTTP " + response.statusCode() + ": " + errorText(response.body()));
    }
    return parse(response.statusCode(), response.body());
  }

  static OllamaChatResponse parse(int status, String text) throws OllamaException {
    try {
      JsonObject json = JsonParser.parseString(text).getAsJsonObject();
      JsonElement message = json.get("message");
      String content =
          message != null && message.isJsonObject() && message.getAsJsonObject().has("content")
              ? message.getAsJsonObject().get("content").getAsString()
              : "";
      return new OllamaChatResponse(
          string(json, "model"),
          content,
          string(json, "done_reason"),
          json.has("prompt_eval_count") ? json.get("prompt_eval_count").getAsInt() : 0,
          json.has("eval_count") ? json.get("eval_count").getAsInt() : 0,
          json.has("total_duration") ? json.get("total_duration").getAsLong() : 0);
    } catch (JsonParseException | IllegalStateException | UnsupportedOperationException e) {
      throw new OllamaException(status, "Ollama answered a body that is not a chat answer: " + e);
    }
  }

  private static String string(JsonObject json, String key) {
    JsonElement value = json.get(key);
    return value == null || value.isJsonNull() ? null : value.getAsString();
  }

  private static String errorText(String body) {
    try {
      JsonElement error = JsonParser.parseString(body).getAsJsonObject().get("error");
      if (error != null && error.isJsonPrimitive()) {
        return error.getAsString();
      }
    } catch (RuntimeException e) {
      // not JSON: fall through to the raw text
    }
    return body.length() > 200 ? body.substring(0, 200) + "..." : body;
  }

  @Override
  public String toString() {
    return "OllamaClient{" + chatUri + "}";
  }
}
