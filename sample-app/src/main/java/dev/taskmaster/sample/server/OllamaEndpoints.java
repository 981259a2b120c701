package dev.taskmaster.sample.server;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The Ollama-compatible endpoints under {@code /api}, with the field names of the real API. As in
 * Ollama, {@code "stream"} defaults to true: newline-delimited JSON, one object per line.
 */
final class OllamaEndpoints {

  /** Models listed by {@code GET /api/tags}; any model name is accepted in requests. */
  static final List<String> MODELS = List.of("llama3.2:latest", "nomic-embed-text:latest");

  static final String NDJSON = "application/x-ndjson";

  private OllamaEndpoints() {}

  /** Base of the Ollama endpoints: errors as {@code {"error": "message"}}. */
  abstract static class OllamaEndpoint extends ModelEndpoint {
    OllamaEndpoint(ModelServer server, String method, boolean drawsPlan) {
      super(server, method, drawsPlan);
    }

    @Override
    void sendError(HttpExchange exchange, int status, String message, String type, String code)
        throws IOException {
      JsonObject body = new JsonObject();
      body.addProperty("error", message);
      sendJson(exchange, status, body);
    }

    /** Reads {@code model}, {@code stream} and {@code options.num_predict}. */
    static Request generationRequest(JsonObject body) {
      Request request = new Request(body);
      request.model = requiredString(body, "model");
      request.stream = flag(body, "stream", true);
      JsonElement options = body.get("options");
      if (options != null && options.isJsonObject()) {
        request.maxTokens = optionalLong(options.getAsJsonObject(), "num_predict");
      }
      return request;
    }

    /**
     * Writes the answer as one JSON object or as NDJSON lines: partial objects with {@code
     * done:false}, then a final one with {@code done:true}, the done reason and the counts.
     */
    void answer(HttpExchange exchange, Request request, Behaviour.Plan plan, String textField)
        throws IOException {
      long start = System.nanoTime() - plan.latencyMillis() * 1_000_000;
      Answer answer = answer(request, plan);
      String doneReason = answer.truncated() ? "length" : "stop";
      int promptTokens = request.promptTokens();
      if (!request.stream) {
        JsonObject body = line(request.model, textField, answer.text());
        done(body, doneReason, start, promptTokens, answer.completionTokens());
        sendAnswer(exchange, body, promptTokens, answer.completionTokens());
        return;
      }

      StreamWriter stream = new StreamWriter(exchange, NDJSON, plan);
      for (String piece : answer.chunks()) {
        JsonObject line = line(request.model, textField, piece);
        line.addProperty("done", false);
        stream.send(GSON.toJson(line) + "\n", false);
      }
      JsonObject last = line(request.model, textField, "");
      done(last, doneReason, start, promptTokens, answer.completionTokens());
      stream.send(
          GSON.toJson(last) + "\n",
          true,
          () -> countUsage(exchange, promptTokens, answer.completionTokens()));
      stream.close();
    }

    private static JsonObject line(String model, String textField, String text) {
      JsonObject line = new JsonObject();
      line.addProperty("model", model);
      line.addProperty("created_at", Instant.now().toString());
      if (textField.equals("message")) {
        JsonObject message = new JsonObject();
        message.addProperty("role", "assistant");
        message.addProperty("content", text);
        line.add("message", message);
      } else {
        line.addProperty(textField, text);
      }
      return line;
    }

    /** Adds the fields of the final object; durations in nanoseconds, as Ollama reports them. */
    private static void done(
        JsonObject line, String doneReason, long startNanos, int promptTokens, int evalTokens) {
      long total = Math.max(1, System.nanoTime() - startNanos);
      long load = total / 20;
      long promptEval = total / 10;
      line.addProperty("done_reason", doneReason);
      line.addProperty("done", true);
      line.addProperty("total_duration", total);
      line.addProperty("load_duration", load);
      line.addProperty("prompt_eval_count", promptTokens);
      line.addProperty("prompt_eval_duration", promptEval);
      line.addProperty("eval_count", evalTokens);
      line.addProperty("eval_duration", total - load - promptEval);
    }
  }

  /** {@code POST /api/chat}. */
  static final class Chat extends OllamaEndpoint {
    Chat(ModelServer server) {
      super(server, "POST", true);
    }

    @Override
    Request parse(JsonObject body) {
      Request request = generationRequest(body);
      JsonElement messages = body.get("messages");
      if (messages == null || !messages.isJsonArray()) {
        throw new BadRequest("messages is required");
      }
      List<String> texts = new ArrayList<>();
      for (JsonElement message : messages.getAsJsonArray()) {
        if (!message.isJsonObject()) {
          throw new BadRequest("invalid message: expected an object");
        }
        JsonObject m = message.getAsJsonObject();
        String text = contentText(m.get("content"));
        texts.add(text);
        JsonElement role = m.get("role");
        if (role != null && role.getAsString().equals("user") || request.topic.isEmpty()) {
          request.topic = text;
        }
      }
      request.promptText = String.join(" ", texts);
      return request;
    }

    @Override
    void respond(HttpExchange exchange, Request request, Behaviour.Plan plan) throws IOException {
      answer(exchange, request, plan, "message");
    }
  }

  /** {@code POST /api/generate}. */
  static final class Generate extends OllamaEndpoint {
    Generate(ModelServer server) {
      super(server, "POST", true);
    }

    @Override
    Request parse(JsonObject body) {
      Request request = generationRequest(body);
      String prompt = requiredString(body, "prompt");
      JsonElement system = body.get("system");
      String systemText = system == null || system.isJsonNull() ? "" : system.getAsString();
      request.promptText = systemText + " " + prompt;
      request.topic = prompt;
      return request;
    }

    @Override
    void respond(HttpExchange exchange, Request request, Behaviour.Plan plan) throws IOException {
      answer(exchange, request, plan, "response");
    }
  }

  /** {@code POST /api/embed}. */
  static final class Embed extends OllamaEndpoint {
    static final int DIMENSIONS = 32;

    Embed(ModelServer server) {
      super(server, "POST", true);
    }

    @Override
    Request parse(JsonObject body) {
      Request request = new Request(body);
      request.model = requiredString(body, "model");
      request.promptText = String.join(" ", inputs(body, "input"));
      return request;
    }

    @Override
    void respond(HttpExchange exchange, Request request, Behaviour.Plan plan) throws IOException {
      long start = System.nanoTime() - plan.latencyMillis() * 1_000_000;
      JsonArray embeddings = new JsonArray();
      for (String input : inputs(request.body, "input")) {
        JsonArray values = new JsonArray();
        for (float value : embedding(input, DIMENSIONS)) {
          values.add(value);
        }
        embeddings.add(values);
      }
      long total = Math.max(1, System.nanoTime() - start);
      int promptTokens = request.promptTokens();
      JsonObject body = new JsonObject();
      body.addProperty("model", request.model);
      body.add("embeddings", embeddings);
      body.addProperty("total_duration", total);
      body.addProperty("load_duration", total / 20);
      body.addProperty("prompt_eval_count", promptTokens);
      sendAnswer(exchange, body, promptTokens, 0);
    }
  }

  /** {@code GET /api/tags}. */
  static final class Tags extends OllamaEndpoint {
    Tags(ModelServer server) {
      super(server, "GET", false);
    }

    @Override
    Request parse(JsonObject body) {
      return new Request(body);
    }

    @Override
    void respond(HttpExchange exchange, Request request, Behaviour.Plan plan) throws IOException {
      JsonArray models = new JsonArray();
      for (String name : MODELS) {
        boolean embed = name.startsWith("nomic");
        JsonObject details = new JsonObject();
        details.addProperty("parent_model", "");
        details.addProperty("format", "gguf");
        details.addProperty("family", embed ? "nomic-bert" : "llama");
        JsonArray families = new JsonArray();
        families.add(embed ? "nomic-bert" : "llama");
        details.add("families", families);
        details.addProperty("parameter_size", embed ? "137M" : "3.2B");
        details.addProperty("quantization_level", embed ? "F16" : "Q4_K_M");
        JsonObject model = new JsonObject();
        model.addProperty("name", name);
        model.addProperty("model", name);
        model.addProperty("modified_at", "2025-01-15T10:12:31.451729+00:00");
        model.addProperty("size", embed ? 274_302_450L : 2_019_393_189L);
        model.addProperty("digest", Integer.toHexString(name.hashCode()).repeat(8));
        model.add("details", details);
        models.add(model);
      }
      JsonObject body = new JsonObject();
      body.add("models", models);
      sendAnswer(exchange, body, 0, 0);
    }
  }
}
