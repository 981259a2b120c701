package dev.taskmaster.sample.server;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/** The OpenAI-compatible endpoints under {@code /v1}, with the field names of the real API. */
final class OpenAiEndpoints {

  /** Models listed by {@code GET /v1/models}; any model name is accepted in requests. */
  static final List<String> MODELS =
      List.of("gpt-4o-mini", "gpt-4o", "gpt-4.1-mini", "text-embedding-3-small");

  static final String FINGERPRINT = "fp_local0001";

  private OpenAiEndpoints() {}

  /** Base of the OpenAI endpoints: errors as {@code {"error": {message, type, param, code}}}. */
  abstract static class OpenAiEndpoint extends ModelEndpoint {
    OpenAiEndpoint(ModelServer server, String method, boolean drawsPlan) {
      super(server, method, drawsPlan);
    }

    @Override
    void sendError(HttpExchange exchange, int status, String message, String type, String code)
        throws IOException {
      JsonObject error = new JsonObject();
      error.addProperty("message", message);
      error.addProperty("type", type);
      error.add("param", JsonNull.INSTANCE);
      error.addProperty("code", code);
      JsonObject body = new JsonObject();
      body.add("error", error);
      sendJson(exchange, status, body);
    }

    /** Reads the fields shared by chat and legacy completions. */
    static Request completionRequest(JsonObject body) {
      Request request = new Request(body);
      request.model = requiredString(body, "model");
      request.stream = flag(body, "stream", false);
      JsonElement options = body.get("stream_options");
      if (options != null && options.isJsonObject()) {
        request.includeUsage = flag(options.getAsJsonObject(), "include_usage", false);
      }
      long maxCompletionTokens = optionalLong(body, "max_completion_tokens");
      request.maxTokens =
          maxCompletionTokens >= 0 ? maxCompletionTokens : optionalLong(body, "max_tokens");
      return request;
    }

    static JsonObject usage(long prompt, long completion) {
      JsonObject usage = new JsonObject();
      usage.addProperty("prompt_tokens", prompt);
      usage.addProperty("completion_tokens", completion);
      usage.addProperty("total_tokens", prompt + completion);
      return usage;
    }

    static JsonObject envelope(String id, String object, long created, String model) {
      JsonObject json = new JsonObject();
      json.addProperty("id", id);
      json.addProperty("object", object);
      json.addProperty("created", created);
      json.addProperty("model", model);
      return json;
    }
  }

  /** {@code POST /v1/chat/completions}, plain JSON or server-sent events. */
  static final class ChatCompletions extends OpenAiEndpoint {
    ChatCompletions(ModelServer server) {
      super(server, "POST", true);
    }

    @Override
    Request parse(JsonObject body) {
      Request request = completionRequest(body);
      JsonElement messages = body.get("messages");
      if (messages == null || !messages.isJsonArray() || messages.getAsJsonArray().isEmpty()) {
        throw new BadRequest("Missing required parameter: 'messages'.");
      }
      List<String> texts = new ArrayList<>();
      for (JsonElement message : messages.getAsJsonArray()) {
        if (!message.isJsonObject() || !message.getAsJsonObject().has("role")) {
          throw new BadRequest("Invalid 'messages': each message needs a 'role'.");
        }
        JsonObject m = message.getAsJsonObject();
        String text = contentText(m.get("content"));
        texts.add(text);
        if (m.get("role").getAsString().equals("user") || request.topic.isEmpty()) {
          request.topic = text;
        }
      }
      request.promptText = String.join(" ", texts);
      return request;
    }

    @Override
    void respond(HttpExchange exchange, Request request, Behaviour.Plan plan) throws IOException {
      Answer answer = answer(request, plan);
      String id = randomId("chatcmpl-", 29);
      long created = Instant.now().getEpochSecond();
      String finishReason = answer.truncated() ? "length" : "stop";
      int promptTokens = request.promptTokens();
      if (!request.stream) {
        JsonObject message = new JsonObject();
        message.addProperty("role", "assistant");
        message.addProperty("content", answer.text());
        message.add("refusal", JsonNull.INSTANCE);
        message.add("annotations", new JsonArray());
        JsonObject choice = new JsonObject();
        choice.addProperty("index", 0);
        choice.add("message", message);
        choice.add("logprobs", JsonNull.INSTANCE);
        choice.addProperty("finish_reason", finishReason);
        JsonObject body = envelope(id, "chat.completion", created, request.model);
        body.add("choices", one(choice));
        body.add("usage", usage(promptTokens, answer.completionTokens()));
        body.addProperty("service_tier", "default");
        body.addProperty("system_fingerprint", FINGERPRINT);
        sendAnswer(exchange, body, promptTokens, answer.completionTokens());
        return;
      }

      StreamWriter stream = new StreamWriter(exchange, "text/event-stream", plan);
      JsonObject first = new JsonObject();
      first.addProperty("role", "assistant");
      first.addProperty("content", "");
      first.add("refusal", JsonNull.INSTANCE);
      stream.send(event(chunk(id, created, request, first, null)), false);
      List<String> pieces = answer.chunks();
      if (pieces.isEmpty()) {
        stream.send(event(chunk(id, created, request, new JsonObject(), finishReason)), true);
      }
      for (int i = 0; i < pieces.size(); i++) {
        boolean last = i == pieces.size() - 1;
        JsonObject delta = new JsonObject();
        delta.addProperty("content", pieces.get(i));
        stream.send(event(chunk(id, created, request, delta, last ? finishReason : null)), last);
      }
      if (request.includeUsage) {
        JsonObject usageChunk = envelope(id, "chat.completion.chunk", created, request.model);
        usageChunk.addProperty("service_tier", "default");
        usageChunk.addProperty("system_fingerprint", FINGERPRINT);
        usageChunk.add("choices", new JsonArray());
        usageChunk.add("usage", usage(promptTokens, answer.completionTokens()));
        stream.send(
            event(usageChunk),
            false,
            () -> countUsage(exchange, promptTokens, answer.completionTokens()));
      }
      stream.send("data: [DONE]\n\n", false);
      stream.close();
    }

    private static JsonObject chunk(
        String id, long created, Request request, JsonObject delta, String finishReason) {
      JsonObject choice = new JsonObject();
      choice.addProperty("index", 0);
      choice.add("delta", delta);
      choice.add("logprobs", JsonNull.INSTANCE);
      choice.addProperty("finish_reason", finishReason);
      JsonObject chunk = envelope(id, "chat.completion.chunk", created, request.model);
      chunk.addProperty("service_tier", "default");
      chunk.addProperty("system_fingerprint", FINGERPRINT);
      chunk.add("choices", one(choice));
      if (request.includeUsage) {
        chunk.add("usage", JsonNull.INSTANCE);
      }
      return chunk;
    }
  }

  /** {@code POST /v1/completions}: the legacy completions API, plain JSON or server-sent events. */
  static final class Completions extends OpenAiEndpoint {
    Completions(ModelServer server) {
      super(server, "POST", true);
    }

    @Override
    Request parse(JsonObject body) {
      Request request = completionRequest(body);
      JsonElement prompt = body.get("prompt");
      if (prompt == null || prompt.isJsonNull()) {
        throw new BadRequest("Missing required parameter: 'prompt'.");
      }
      request.promptText = String.join(" ", inputs(body, "prompt"));
      request.topic = request.promptText;
      return request;
    }

    @Override
    void respond(HttpExchange exchange, Request request, Behaviour.Plan plan) throws IOException {
      Answer answer = answer(request, plan);
      String id = randomId("cmpl-", 29);
      long created = Instant.now().getEpochSecond();
      String finishReason = answer.truncated() ? "length" : "stop";
      int promptTokens = request.promptTokens();
      if (!request.stream) {
        JsonObject body = envelope(id, "text_completion", created, request.model);
        body.add("choices", one(choice(answer.text(), finishReason)));
        body.add("usage", usage(promptTokens, answer.completionTokens()));
        body.addProperty("system_fingerprint", FINGERPRINT);
        sendAnswer(exchange, body, promptTokens, answer.completionTokens());
        return;
      }

      StreamWriter stream = new StreamWriter(exchange, "text/event-stream", plan);
      List<String> pieces = answer.chunks();
      if (pieces.isEmpty()) {
        pieces = List.of("");
      }
      for (int i = 0; i < pieces.size(); i++) {
        boolean last = i == pieces.size() - 1;
        JsonObject chunk = envelope(id, "text_completion", created, request.model);
        chunk.add("choices", one(choice(pieces.get(i), last ? finishReason : null)));
        chunk.addProperty("system_fingerprint", FINGERPRINT);
        if (request.includeUsage) {
          chunk.add("usage", JsonNull.INSTANCE);
        }
        stream.send(event(chunk), last);
      }
      if (request.includeUsage) {
        JsonObject usageChunk = envelope(id, "text_completion", created, request.model);
        usageChunk.add("choices", new JsonArray());
        usageChunk.add("usage", usage(promptTokens, answer.completionTokens()));
        stream.send(
            event(usageChunk),
            false,
            () -> countUsage(exchange, promptTokens, answer.completionTokens()));
      }
      stream.send("data: [DONE]\n\n", false);
      stream.close();
    }

    private static JsonObject choice(String text, String finishReason) {
      JsonObject choice = new JsonObject();
      choice.addProperty("text", text);
      choice.addProperty("index", 0);
      choice.add("logprobs", JsonNull.INSTANCE);
      choice.addProperty("finish_reason", finishReason);
      return choice;
    }
  }

  /** {@code POST /v1/responses}: the Responses API, plain JSON only. */
  static final class Responses extends OpenAiEndpoint {
    Responses(ModelServer server) {
      super(server, "POST", true);
    }

    @Override
    Request parse(JsonObject body) {
      Request request = new Request(body);
      request.model = requiredString(body, "model");
      if (flag(body, "stream", false)) {
        throw new BadRequest("Streaming of the Responses API is not supported by this server.");
      }
      request.maxTokens = optionalLong(body, "max_output_tokens");
      JsonElement input = body.get("input");
      if (input == null || input.isJsonNull()) {
        throw new BadRequest("Missing required parameter: 'input'.");
      }
      List<String> texts = new ArrayList<>();
      JsonElement instructions = body.get("instructions");
      if (instructions != null && !instructions.isJsonNull()) {
        texts.add(instructions.getAsString());
      }
      if (input.isJsonArray()) {
        for (JsonElement item : input.getAsJsonArray()) {
          String text =
              item.isJsonObject() ? contentText(item.getAsJsonObject().get("content")) : "";
          texts.add(text);
          request.topic = text;
        }
      } else {
        request.topic = input.getAsString();
        texts.add(request.topic);
      }
      request.promptText = String.join(" ", texts);
      return request;
    }

    @Override
    void respond(HttpExchange exchange, Request request, Behaviour.Plan plan) throws IOException {
      Answer answer = answer(request, plan);
      int promptTokens = request.promptTokens();
      JsonObject text = new JsonObject();
      text.addProperty("type", "output_text");
      text.addProperty("text", answer.text());
      text.add("annotations", new JsonArray());
      JsonObject message = new JsonObject();
      message.addProperty("type", "message");
      message.addProperty("id", randomId("msg_", 48));
      message.addProperty("status", answer.truncated() ? "incomplete" : "completed");
      message.addProperty("role", "assistant");
      message.add("content", one(text));

      JsonObject usage = new JsonObject();
      usage.addProperty("input_tokens", promptTokens);
      JsonObject inputDetails = new JsonObject();
      inputDetails.addProperty("cached_tokens", 0);
      inputDetails.addProperty("cache_write_tokens", 0);
      usage.add("input_tokens_details", inputDetails);
      usage.addProperty("output_tokens", answer.completionTokens());
      JsonObject outputDetails = new JsonObject();
      outputDetails.addProperty("reasoning_tokens", 0);
      usage.add("output_tokens_details", outputDetails);
      usage.addProperty("total_tokens", promptTokens + answer.completionTokens());

      JsonObject body = new JsonObject();
      body.addProperty("id", randomId("resp_", 48));
      body.addProperty("object", "response");
      body.addProperty("created_at", Instant.now().getEpochSecond());
      body.addProperty("status", answer.truncated() ? "incomplete" : "completed");
      body.add("error", JsonNull.INSTANCE);
      if (answer.truncated()) {
        JsonObject details = new JsonObject();
        details.addProperty("reason", "max_output_tokens");
        body.add("incomplete_details", details);
      } else {
        body.add("incomplete_details", JsonNull.INSTANCE);
      }
      body.add("instructions", request.body.get("instructions"));
      body.add("max_output_tokens", request.body.get("max_output_tokens"));
      body.addProperty("model", request.model);
      body.add("output", one(message));
      body.addProperty("parallel_tool_calls", true);
      body.add("previous_response_id", JsonNull.INSTANCE);
      body.addProperty("temperature", 1.0);
      body.addProperty("tool_choice", "auto");
      body.add("tools", new JsonArray());
      body.addProperty("top_p", 1.0);
      body.addProperty("truncation", "disabled");
      body.add("usage", usage);
      body.add("metadata", new JsonObject());
      sendAnswer(exchange, body, promptTokens, answer.completionTokens());
    }
  }

  /** {@code POST /v1/embeddings}: float arrays, or base64 when {@code encoding_format} asks. */
  static final class Embeddings extends OpenAiEndpoint {
    static final int DEFAULT_DIMENSIONS = 32;

    Embeddings(ModelServer server) {
      super(server, "POST", true);
    }

    @Override
    Request parse(JsonObject body) {
      Request request = new Request(body);
      request.model = requiredString(body, "model");
      request.promptText = String.join(" ", inputs(body, "input"));
      optionalLong(body, "dimensions");
      JsonElement format = body.get("encoding_format");
      if (format != null
          && !format.isJsonNull()
          && !List.of("float", "base64").contains(format.getAsString())) {
        throw new BadRequest("Invalid 'encoding_format': expected 'float' or 'base64'.");
      }
      return request;
    }

    @Override
    void respond(HttpExchange exchange, Request request, Behaviour.Plan plan) throws IOException {
      long dimensions = optionalLong(request.body, "dimensions");
      int dims = dimensions > 0 ? (int) Math.min(dimensions, 4096) : DEFAULT_DIMENSIONS;
      JsonElement format = request.body.get("encoding_format");
      boolean base64 =
          format != null && !format.isJsonNull() && format.getAsString().equals("base64");
      JsonArray data = new JsonArray();
      List<String> inputs = inputs(request.body, "input");
      for (int i = 0; i < inputs.size(); i++) {
        float[] vector = embedding(inputs.get(i), dims);
        JsonObject item = new JsonObject();
        item.addProperty("object", "embedding");
        item.addProperty("index", i);
        if (base64) {
          ByteBuffer bytes = ByteBuffer.allocate(4 * dims).order(ByteOrder.LITTLE_ENDIAN);
          for (float value : vector) {
            bytes.putFloat(value);
          }
          item.addProperty("embedding", Base64.getEncoder().encodeToString(bytes.array()));
        } else {
          JsonArray values = new JsonArray();
          for (float value : vector) {
            values.add(value);
          }
          item.add("embedding", values);
        }
        data.add(item);
      }
      int promptTokens = request.promptTokens();
      JsonObject usage = new JsonObject();
      usage.addProperty("prompt_tokens", promptTokens);
      usage.addProperty("total_tokens", promptTokens);
      JsonObject body = new JsonObject();
      body.addProperty("object", "list");
      body.add("data", data);
      body.addProperty("model", request.model);
      body.add("usage", usage);
      sendAnswer(exchange, body, promptTokens, 0);
    }
  }

  /** {@code GET /v1/models}. */
  static final class Models extends OpenAiEndpoint {
    Models(ModelServer server) {
      super(server, "GET", false);
    }

    @Override
    Request parse(JsonObject body) {
      return new Request(body);
    }

    @Override
    void respond(HttpExchange exchange, Request request, Behaviour.Plan plan) throws IOException {
      JsonArray data = new JsonArray();
      for (String id : MODELS) {
        JsonObject model = new JsonObject();
        model.addProperty("id", id);
        model.addProperty("object", "model");
        model.addProperty("created", 1_721_172_741L);
        model.addProperty("owned_by", "system");
        data.add(model);
      }
      JsonObject body = new JsonObject();
      body.addProperty("object", "list");
      body.add("data", data);
      sendAnswer(exchange, body, 0, 0);
    }
  }

  static String event(JsonObject json) {
    return "data: " + ModelEndpoint.GSON.toJson(json) + "\n\n";
  }

  static JsonArray one(JsonElement element) {
    JsonArray array = new JsonArray();
    array.add(element);
    return array;
  }
}
