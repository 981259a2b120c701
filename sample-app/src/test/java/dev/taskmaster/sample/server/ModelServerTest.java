package dev.taskmaster.sample.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.taskmaster.sample.server.ServerStats.Outcome;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ModelServerTest {

  private static final String SYSTEM = "You are TaskMaster. Be brief.";
  private static final String PROMPT = "Create a task for the budget review";
  private static final int PROMPT_TOKENS = 5 + 7;

  private final HttpClient http = HttpClient.newHttpClient();
  private ModelServer server;

  @BeforeEach
  void start() {
    server = ModelServer.start(0);
  }

  @AfterEach
  void stop() {
    server.close();
  }

  // --- OpenAI ---

  @Test
  void chatCompletionHasTheOpenAiShapeAndExactUsage() throws Exception {
    HttpResponse<String> response = post("/v1/chat/completions", chat(false, false));
    assertEquals(200, response.statusCode());
    assertEquals("application/json", response.headers().firstValue("Content-Type").orElse(""));

    JsonObject body = json(response.body());
    assertTrue(body.get("id").getAsString().startsWith("chatcmpl-"));
    assertEquals("chat.completion", body.get("object").getAsString());
    assertTrue(body.get("created").getAsLong() > 1_600_000_000L);
    assertEquals("gpt-4o-mini", body.get("model").getAsString());
    JsonObject choice = body.getAsJsonArray("choices").get(0).getAsJsonObject();
    assertEquals(0, choice.get("index").getAsInt());
    assertEquals("stop", choice.get("finish_reason").getAsString());
    JsonObject message = choice.getAsJsonObject("message");
    assertEquals("assistant", message.get("role").getAsString());
    String content = message.get("content").getAsString();
    assertTrue(content.startsWith("Here is") || content.contains(PROMPT), content);
    assertTrue(content.length() >= 100 && content.length() <= 400, content);
    assertUsage(body.getAsJsonObject("usage"), PROMPT_TOKENS, TokenCounter.count(content));

    assertEquals(1, server.requestCount("/v1/chat/completions"));
    assertEquals(PROMPT_TOKENS, server.stats().promptTokens("/v1/chat/completions"));
    assertEquals(
        TokenCounter.count(content), server.stats().completionTokens("/v1/chat/completions"));
  }

  @Test
  void chatStreamIsServerSentEventsWithAFinalUsageChunk() throws Exception {
    HttpResponse<String> response = post("/v1/chat/completions", chat(true, true));
    assertEquals(200, response.statusCode());
    assertEquals("text/event-stream", response.headers().firstValue("Content-Type").orElse(""));

    List<String> events = sseEvents(response.body());
    assertEquals("[DONE]", events.get(events.size() - 1));
    List<JsonObject> chunks = new ArrayList<>();
    events.subList(0, events.size() - 1).forEach(e -> chunks.add(json(e)));
    assertTrue(chunks.size() > 4, "several chunks: " + chunks.size());

    JsonObject usageChunk = chunks.remove(chunks.size() - 1);
    assertEquals(0, usageChunk.getAsJsonArray("choices").size());
    String id = usageChunk.get("id").getAsString();
    StringBuilder content = new StringBuilder();
    for (int i = 0; i < chunks.size(); i++) {
      JsonObject chunk = chunks.get(i);
      assertEquals(id, chunk.get("id").getAsString());
      assertEquals("chat.completion.chunk", chunk.get("object").getAsString());
      assertEquals("gpt-4o-mini", chunk.get("model").getAsString());
      assertTrue(chunk.get("usage").isJsonNull());
      JsonObject choice = chunk.getAsJsonArray("choices").get(0).getAsJsonObject();
      JsonObject delta = choice.getAsJsonObject("delta");
      assertEquals(i == 0, delta.has("role"));
      content.append(delta.get("content").getAsString());
      boolean last = i == chunks.size() - 1;
      assertEquals(last ? "stop" : null, string(choice.get("finish_reason")));
    }
    assertUsage(
        usageChunk.getAsJsonObject("usage"), PROMPT_TOKENS, TokenCounter.count(content.toString()));
    assertTrue(content.length() >= 100, content.toString());
  }

  @Test
  void chatStreamWithoutIncludeUsageHasNoUsage() throws Exception {
    HttpResponse<String> response = post("/v1/chat/completions", chat(true, false));
    List<String> events = sseEvents(response.body());
    assertEquals("[DONE]", events.get(events.size() - 1));
    for (String event : events.subList(0, events.size() - 1)) {
      JsonObject chunk = json(event);
      assertFalse(chunk.has("usage"), event);
      assertEquals(1, chunk.getAsJsonArray("choices").size());
    }
    assertEquals(0, server.stats().promptTokens("/v1/chat/completions"));
    assertEquals(1, server.stats().outcomes("/v1/chat/completions", Outcome.OK));
  }

  @Test
  void streamChunksAreFlushedOneByOne() throws Exception {
    server.behaviour().chunkDelayMillis(40);
    long start = System.nanoTime();
    HttpResponse<InputStream> response =
        http.send(
            request("/v1/chat/completions", chat(true, false)),
            HttpResponse.BodyHandlers.ofInputStream());
    long firstLineNanos = 0;
    int lines = 0;
    try (BufferedReader reader =
        new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
      for (String line = reader.readLine(); line != null; line = reader.readLine()) {
        if (!line.isEmpty() && lines++ == 0) {
          firstLineNanos = System.nanoTime() - start;
        }
      }
    }
    long totalNanos = System.nanoTime() - start;
    assertTrue(lines > 5);
    assertTrue(
        totalNanos - firstLineNanos >= Duration.ofMillis(40L * (lines - 2)).toNanos(),
        "first chunk at " + firstLineNanos / 1_000_000 + " ms, end at " + totalNanos / 1_000_000);
  }

  @Test
  void maxTokensCutsTheAnswerWithFinishReasonLength() throws Exception {
    JsonObject request = chat(false, false);
    request.addProperty("max_completion_tokens", 4);
    JsonObject body = json(post("/v1/chat/completions", request).body());
    JsonObject choice = body.getAsJsonArray("choices").get(0).getAsJsonObject();
    assertEquals("length", choice.get("finish_reason").getAsString());
    assertEquals(
        4, TokenCounter.count(choice.getAsJsonObject("message").get("content").getAsString()));
    assertUsage(body.getAsJsonObject("usage"), PROMPT_TOKENS, 4);
  }

  @Test
  void contentPartsAreCountedToo() throws Exception {
    JsonObject request =
        json(
            "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":"
                + "[{\"type\":\"text\",\"text\":\"two words\"},{\"type\":\"text\",\"text\":\"and three more\"}]}]}");
    JsonObject body = json(post("/v1/chat/completions", request).body());
    assertEquals(5, body.getAsJsonObject("usage").get("prompt_tokens").getAsInt());
  }

  @Test
  void legacyCompletions() throws Exception {
    JsonObject body =
        json(
            post(
                    "/v1/completions",
                    json("{\"model\":\"gpt-3.5-turbo-instruct\",\"prompt\":\"Plan my week\"}"))
                .body());
    assertTrue(body.get("id").getAsString().startsWith("cmpl-"));
    assertEquals("text_completion", body.get("object").getAsString());
    assertEquals("gpt-3.5-turbo-instruct", body.get("model").getAsString());
    JsonObject choice = body.getAsJsonArray("choices").get(0).getAsJsonObject();
    String text = choice.get("text").getAsString();
    assertEquals("stop", choice.get("finish_reason").getAsString());
    assertUsage(body.getAsJsonObject("usage"), 3, TokenCounter.count(text));
  }

  @Test
  void responsesApi() throws Exception {
    JsonObject body =
        json(
            post(
                    "/v1/responses",
                    json(
                        "{\"model\":\"gpt-4o-mini\",\"instructions\":\"Be brief.\",\"input\":\"Plan my week\"}"))
                .body());
    assertTrue(body.get("id").getAsString().startsWith("resp_"));
    assertEquals("response", body.get("object").getAsString());
    assertEquals("completed", body.get("status").getAsString());
    JsonObject message = body.getAsJsonArray("output").get(0).getAsJsonObject();
    assertEquals("message", message.get("type").getAsString());
    assertEquals("assistant", message.get("role").getAsString());
    JsonObject text = message.getAsJsonArray("content").get(0).getAsJsonObject();
    assertEquals("output_text", text.get("type").getAsString());
    int outputTokens = TokenCounter.count(text.get("text").getAsString());
    JsonObject usage = body.getAsJsonObject("usage");
    assertEquals(2 + 3, usage.get("input_tokens").getAsInt());
    assertEquals(outputTokens, usage.get("output_tokens").getAsInt());
    assertEquals(5 + outputTokens, usage.get("total_tokens").getAsInt());
  }

  @Test
  void embeddingsAsFloatsOrBase64() throws Exception {
    JsonObject body =
        json(
            post(
                    "/v1/embeddings",
                    json(
                        "{\"model\":\"text-embedding-3-small\",\"input\":[\"budget review\",\"plan my week\"]}"))
                .body());
    assertEquals("list", body.get("object").getAsString());
    JsonArray data = body.getAsJsonArray("data");
    assertEquals(2, data.size());
    JsonObject first = data.get(0).getAsJsonObject();
    assertEquals("embedding", first.get("object").getAsString());
    assertEquals(1, data.get(1).getAsJsonObject().get("index").getAsInt());
    JsonArray vector = first.getAsJsonArray("embedding");
    assertEquals(32, vector.size());
    double norm = 0;
    for (JsonElement value : vector) {
      norm += value.getAsDouble() * value.getAsDouble();
    }
    assertEquals(1.0, norm, 1e-4);
    assertEquals(5, body.getAsJsonObject("usage").get("prompt_tokens").getAsInt());
    assertEquals(5, body.getAsJsonObject("usage").get("total_tokens").getAsInt());

    JsonObject base64 =
        json(
            post(
                    "/v1/embeddings",
                    json(
                        "{\"model\":\"m\",\"input\":\"budget review\",\"encoding_format\":\"base64\",\"dimensions\":8}"))
                .body());
    byte[] bytes =
        Base64.getDecoder()
            .decode(
                base64
                    .getAsJsonArray("data")
                    .get(0)
                    .getAsJsonObject()
                    .get("embedding")
                    .getAsString());
    assertEquals(8 * 4, bytes.length);
    float firstValue = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getFloat();
    assertEquals(ModelEndpoint.embedding("budget review", 8)[0], firstValue);
  }

  @Test
  void modelsList() throws Exception {
    JsonObject body = json(get("/v1/models").body());
    assertEquals("list", body.get("object").getAsString());
    JsonObject first = body.getAsJsonArray("data").get(0).getAsJsonObject();
    assertEquals("gpt-4o-mini", first.get("id").getAsString());
    assertEquals("model", first.get("object").getAsString());
  }

  @Test
  void answersAreCountedBeforeTheClientHasThem() throws Exception {
    long completionTokens = 0;
    for (int i = 1; i <= 30; i++) {
      boolean stream = i % 2 == 0;
      HttpResponse<String> response = post("/v1/chat/completions", chat(stream, true));
      completionTokens +=
          stream
              ? TokenCounter.count(streamedContent(response.body()))
              : TokenCounter.count(content(json(response.body())));
      assertEquals(i, server.stats().outcomes("/v1/chat/completions", Outcome.OK));
      assertEquals(completionTokens, server.stats().completionTokens("/v1/chat/completions"));
      HttpResponse<String> ollama = post("/api/chat", ollamaChat(stream));
      assertEquals(200, ollama.statusCode());
      assertEquals(i, server.stats().outcomes("/api/chat", Outcome.OK));
      assertEquals(i * PROMPT_TOKENS, server.stats().promptTokens("/api/chat"));
    }
  }

  // --- Ollama ---

  @Test
  void ollamaChatStreamsNewlineDelimitedJsonByDefault() throws Exception {
    HttpResponse<String> response = post("/api/chat", ollamaChat(null));
    assertEquals(200, response.statusCode());
    assertEquals("application/x-ndjson", response.headers().firstValue("Content-Type").orElse(""));
    assertTrue(response.body().endsWith("}\n"));
    List<String> lines = response.body().lines().toList();
    assertTrue(lines.size() > 4);
    StringBuilder content = new StringBuilder();
    for (String line : lines.subList(0, lines.size() - 1)) {
      JsonObject chunk = json(line);
      assertFalse(chunk.get("done").getAsBoolean());
      assertEquals("llama3.2", chunk.get("model").getAsString());
      assertNotNull(chunk.get("created_at").getAsString());
      assertEquals("assistant", chunk.getAsJsonObject("message").get("role").getAsString());
      content.append(chunk.getAsJsonObject("message").get("content").getAsString());
    }
    JsonObject last = json(lines.get(lines.size() - 1));
    assertTrue(last.get("done").getAsBoolean());
    assertEquals("stop", last.get("done_reason").getAsString());
    assertEquals("", last.getAsJsonObject("message").get("content").getAsString());
    assertEquals(PROMPT_TOKENS, last.get("prompt_eval_count").getAsInt());
    assertEquals(TokenCounter.count(content.toString()), last.get("eval_count").getAsInt());
    for (String key :
        List.of("total_duration", "load_duration", "prompt_eval_duration", "eval_duration")) {
      assertTrue(last.get(key).getAsLong() >= 0, key);
    }
    assertEquals(PROMPT_TOKENS, server.stats().promptTokens("/api/chat"));
  }

  @Test
  void ollamaChatWithoutStreaming() throws Exception {
    HttpResponse<String> response = post("/api/chat", ollamaChat(false));
    assertEquals("application/json", response.headers().firstValue("Content-Type").orElse(""));
    JsonObject body = json(response.body());
    for (String key :
        List.of(
            "model",
            "created_at",
            "message",
            "done_reason",
            "done",
            "total_duration",
            "load_duration",
            "prompt_eval_count",
            "prompt_eval_duration",
            "eval_count",
            "eval_duration")) {
      assertTrue(body.has(key), key);
    }
    assertTrue(body.get("done").getAsBoolean());
    String content = body.getAsJsonObject("message").get("content").getAsString();
    assertTrue(content.length() >= 100, content);
    assertEquals(PROMPT_TOKENS, body.get("prompt_eval_count").getAsInt());
    assertEquals(TokenCounter.count(content), body.get("eval_count").getAsInt());
    assertTrue(body.get("total_duration").getAsLong() > body.get("eval_duration").getAsLong());
  }

  @Test
  void ollamaGenerateEmbedAndTags() throws Exception {
    JsonObject generate =
        json(
            post(
                    "/api/generate",
                    json("{\"model\":\"llama3.2\",\"prompt\":\"Plan my week\",\"stream\":false}"))
                .body());
    String text = generate.get("response").getAsString();
    assertFalse(generate.has("message"));
    assertEquals(3, generate.get("prompt_eval_count").getAsInt());
    assertEquals(TokenCounter.count(text), generate.get("eval_count").getAsInt());

    List<String> lines =
        post("/api/generate", json("{\"model\":\"llama3.2\",\"prompt\":\"Plan my week\"}"))
            .body()
            .lines()
            .toList();
    assertTrue(json(lines.get(0)).has("response"));
    assertTrue(json(lines.get(lines.size() - 1)).get("done").getAsBoolean());

    JsonObject embed =
        json(
            post("/api/embed", json("{\"model\":\"nomic-embed-text\",\"input\":[\"a b\",\"c\"]}"))
                .body());
    assertEquals(2, embed.getAsJsonArray("embeddings").size());
    assertEquals(32, embed.getAsJsonArray("embeddings").get(0).getAsJsonArray().size());
    assertEquals(3, embed.get("prompt_eval_count").getAsInt());

    JsonObject tags = json(get("/api/tags").body());
    JsonObject model = tags.getAsJsonArray("models").get(0).getAsJsonObject();
    assertEquals("llama3.2:latest", model.get("name").getAsString());
    assertEquals("gguf", model.getAsJsonObject("details").get("format").getAsString());
  }

  // --- behaviours ---

  @Test
  void rateLimitAnswers429WithRetryAfter() throws Exception {
    server.behaviour().rateLimitRate(1).retryAfterSeconds(7);
    HttpResponse<String> response = post("/v1/chat/completions", chat(false, false));
    assertEquals(429, response.statusCode());
    assertEquals("7", response.headers().firstValue("Retry-After").orElse(""));
    JsonObject error = json(response.body()).getAsJsonObject("error");
    assertEquals("rate_limit_exceeded", error.get("code").getAsString());
    assertEquals("requests", error.get("type").getAsString());

    HttpResponse<String> ollama = post("/api/chat", ollamaChat(false));
    assertEquals(429, ollama.statusCode());
    assertTrue(json(ollama.body()).get("error").getAsString().contains("Rate limit"));
    assertEquals(1, server.stats().outcomes("/api/chat", Outcome.RATE_LIMITED));
  }

  @Test
  void serverErrorAnswers500() throws Exception {
    server.behaviour().errorRate(1);
    HttpResponse<String> response = post("/v1/chat/completions", chat(true, true));
    assertEquals(500, response.statusCode());
    assertEquals(
        "server_error", json(response.body()).getAsJsonObject("error").get("type").getAsString());
    assertEquals(1, server.stats().outcomes("/v1/chat/completions", Outcome.SERVER_ERROR));
    assertEquals(0, server.stats().promptTokens("/v1/chat/completions"));
  }

  @Test
  void refusalEmptyAndRepetitiveAnswers() throws Exception {
    server.behaviour().refusalRate(1);
    JsonObject refusal = json(post("/v1/chat/completions", chat(false, false)).body());
    assertEquals(AnswerGenerator.REFUSAL, content(refusal));
    assertUsage(refusal.getAsJsonObject("usage"), PROMPT_TOKENS, 8);

    server.behaviour().refusalRate(0).emptyRate(1);
    JsonObject empty = json(post("/v1/chat/completions", chat(false, false)).body());
    assertEquals("", content(empty));
    assertUsage(empty.getAsJsonObject("usage"), PROMPT_TOKENS, 0);
    List<String> events = sseEvents(post("/v1/chat/completions", chat(true, true)).body());
    assertEquals(4, events.size(), "role chunk, finish chunk, usage chunk, [DONE]: " + events);
    assertEquals(
        "stop",
        json(events.get(1))
            .getAsJsonArray("choices")
            .get(0)
            .getAsJsonObject()
            .get("finish_reason")
            .getAsString());

    server.behaviour().emptyRate(0).repetitionRate(1);
    String loop = content(json(post("/v1/chat/completions", chat(false, false)).body()));
    assertTrue(
        loop.endsWith(AnswerGenerator.LOOP_PHRASE + " " + AnswerGenerator.LOOP_PHRASE), loop);
  }

  @Test
  void verbosityMakesLongerAnswers() throws Exception {
    server.behaviour().seed(11);
    int normal =
        TokenCounter.count(content(json(post("/v1/chat/completions", chat(false, false)).body())));
    server.behaviour().seed(11).verbosity(3);
    int verbose =
        TokenCounter.count(content(json(post("/v1/chat/completions", chat(false, false)).body())));
    assertTrue(verbose > 2.5 * normal - 40, normal + " -> " + verbose);
  }

  @Test
  void latencyDelaysTheAnswer() throws Exception {
    server.behaviour().latencyMillis(150);
    long start = System.nanoTime();
    assertEquals(200, post("/v1/chat/completions", chat(false, false)).statusCode());
    assertTrue(System.nanoTime() - start >= Duration.ofMillis(150).toNanos());
  }

  @Test
  void concurrentRequestsAreServedInParallel() throws Exception {
    server.behaviour().latencyMillis(300);
    long start = System.nanoTime();
    List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      calls.add(
          http.sendAsync(
              request("/v1/chat/completions", chat(false, false)),
              HttpResponse.BodyHandlers.ofString()));
    }
    for (CompletableFuture<HttpResponse<String>> call : calls) {
      assertEquals(200, call.get().statusCode());
    }
    assertTrue(System.nanoTime() - start < Duration.ofMillis(1500).toNanos());
    assertEquals(8, server.requestCount("/v1/chat/completions"));
  }

  @Test
  void hangHoldsTheRequestUntilTheClientGivesUp() throws Exception {
    server.behaviour().hangRate(1);
    HttpRequest request =
        HttpRequest.newBuilder(uri("/v1/chat/completions"))
            .timeout(Duration.ofMillis(300))
            .POST(HttpRequest.BodyPublishers.ofString(chat(false, false).toString()))
            .build();
    assertThrows(
        HttpTimeoutException.class, () -> http.send(request, HttpResponse.BodyHandlers.ofString()));
    assertEquals(1, server.stats().outcomes("/v1/chat/completions", Outcome.HUNG));
  }

  @Test
  void hangEndsByDroppingTheConnection() {
    server.behaviour().hangRate(1).hangMaxMillis(100);
    IOException e = assertThrows(IOException.class, () -> post("/api/chat", ollamaChat(false)));
    assertFalse(e instanceof HttpTimeoutException, e.toString());
  }

  @Test
  void cutStreamEndsAfterTheGivenNumberOfChunksWithoutDone() throws Exception {
    server.behaviour().cutRate(1).cutAfterChunks(3);
    String wire = rawPost("/v1/chat/completions", chat(true, true));
    assertTrue(wire.startsWith("HTTP/1.1 200"), wire);
    assertTrue(wire.toLowerCase().contains("transfer-encoding: chunked"), wire);
    assertEquals(3, wire.split("data: ", -1).length - 1, wire);
    assertFalse(wire.contains("[DONE]"), wire);
    assertFalse(wire.endsWith("0\r\n\r\n"), "no last chunk: " + wire);
    assertEquals(1, server.stats().outcomes("/v1/chat/completions", Outcome.CUT));
    assertEquals(0, server.stats().completionTokens("/v1/chat/completions"));

    assertThrows(IOException.class, () -> post("/v1/chat/completions", chat(true, true)));
  }

  @Test
  void cutOllamaStreamNeverSendsDone() throws Exception {
    server.behaviour().cutRate(1).cutAfterChunks(1000);
    IOException e = assertThrows(IOException.class, () -> post("/api/chat", ollamaChat(true)));
    assertNotNull(e);
    assertEquals(1, server.stats().outcomes("/api/chat", Outcome.CUT));
    server.behaviour().cutRate(0);
    assertEquals(200, post("/api/chat", ollamaChat(false)).statusCode());
  }

  // --- control, errors, counts ---

  @Test
  void controlOverHttp() throws Exception {
    JsonObject settings = json(get("/control").body());
    assertEquals("stable", settings.get("scenario").getAsString());
    assertEquals(0.0, settings.get("refusal_rate").getAsDouble());

    HttpResponse<String> changed =
        post("/control", json("{\"refusal_rate\": 1, \"latency_ms\": 5}"));
    assertEquals(200, changed.statusCode());
    assertEquals(1.0, json(changed.body()).get("refusal_rate").getAsDouble());
    assertEquals(5, server.behaviour().latencyMillis());
    assertEquals(
        AnswerGenerator.REFUSAL,
        content(json(post("/v1/chat/completions", chat(false, false)).body())));

    HttpResponse<String> bad = post("/control", json("{\"error_rate\": 3}"));
    assertEquals(400, bad.statusCode());
    assertEquals(
        "error_rate must be a probability in [0, 1], got 3.0",
        json(bad.body()).get("error").getAsString());

    post("/control", json("{\"reset\": true}"));
    assertEquals(0.0, server.behaviour().refusalRate());

    JsonObject stats = json(get("/control/stats").body());
    assertEquals(1, stats.getAsJsonObject("/v1/chat/completions").get("requests").getAsInt());
    assertEquals(
        8, stats.getAsJsonObject("/v1/chat/completions").get("completion_tokens").getAsInt());
  }

  @Test
  void badRequestsGetApiStyleErrors() throws Exception {
    HttpResponse<String> notJson =
        http.send(
            HttpRequest.newBuilder(uri("/v1/chat/completions"))
                .POST(HttpRequest.BodyPublishers.ofString("{not json"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertEquals(400, notJson.statusCode());
    assertEquals(
        "invalid_request_error",
        json(notJson.body()).getAsJsonObject("error").get("type").getAsString());

    HttpResponse<String> noModel =
        post(
            "/v1/chat/completions",
            json("{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"));
    assertEquals(400, noModel.statusCode());
    assertTrue(noModel.body().contains("'model'"), noModel.body());

    assertEquals(405, get("/v1/chat/completions").statusCode());
    assertEquals(400, post("/api/chat", json("{\"model\":\"m\"}")).statusCode());
    HttpResponse<String> missing = get("/v1/nothing");
    assertEquals(404, missing.statusCode());
    assertTrue(json(missing.body()).has("error"));
    assertEquals(404, get("/api/nothing").statusCode());
    assertEquals(0, server.stats().outcomes("/v1/chat/completions", Outcome.OK));
    assertEquals(3, server.stats().outcomes("/v1/chat/completions", Outcome.BAD_REQUEST));
  }

  @Test
  void sameSeedSameAnswersOnAnotherServer() throws Exception {
    server.behaviour().seed(77).refusalRate(0.5);
    List<String> first = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      first.add(content(json(post("/v1/chat/completions", chat(false, false)).body())));
    }
    try (ModelServer other = ModelServer.start("127.0.0.1", 0, new Behaviour("stable", 77))) {
      other.behaviour().refusalRate(0.5);
      ModelServer mine = server;
      server = other;
      List<String> second = new ArrayList<>();
      for (int i = 0; i < 6; i++) {
        second.add(content(json(post("/v1/chat/completions", chat(false, false)).body())));
      }
      server = mine;
      assertEquals(first, second);
    }
    assertTrue(first.contains(AnswerGenerator.REFUSAL));
  }

  // --- helpers ---

  /** Everything the server sends on one HTTP/1.1 connection, read until it closes. */
  private String rawPost(String path, JsonObject body) throws IOException {
    byte[] content = body.toString().getBytes(StandardCharsets.UTF_8);
    try (Socket socket = new Socket("127.0.0.1", server.port())) {
      socket.setSoTimeout(5_000);
      String head =
          "POST "
              + path
              + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
              + "Content-Length: "
              + content.length
              + "\r\n\r\n";
      socket.getOutputStream().write(head.getBytes(StandardCharsets.US_ASCII));
      socket.getOutputStream().write(content);
      socket.getOutputStream().flush();
      return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  private static JsonObject chat(boolean stream, boolean includeUsage) {
    JsonObject request =
        json(
            "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"system\",\"content\":\""
                + SYSTEM
                + "\"},{\"role\":\"user\",\"content\":\""
                + PROMPT
                + "\"}]}");
    if (stream) {
      request.addProperty("stream", true);
    }
    if (includeUsage) {
      request.add("stream_options", json("{\"include_usage\":true}"));
    }
    return request;
  }

  private static JsonObject ollamaChat(Boolean stream) {
    JsonObject request =
        json(
            "{\"model\":\"llama3.2\",\"messages\":[{\"role\":\"system\",\"content\":\""
                + SYSTEM
                + "\"},{\"role\":\"user\",\"content\":\""
                + PROMPT
                + "\"}]}");
    if (stream != null) {
      request.addProperty("stream", stream);
    }
    return request;
  }

  /** The data of every event; asserts the SSE framing. */
  private static List<String> sseEvents(String body) {
    assertTrue(body.endsWith("\n\n"), body);
    List<String> events = new ArrayList<>();
    for (String event : body.substring(0, body.length() - 2).split("\n\n", -1)) {
      assertTrue(event.startsWith("data: "), event);
      assertFalse(event.contains("\n"), event);
      events.add(event.substring("data: ".length()));
    }
    return events;
  }

  private static void assertUsage(JsonObject usage, int prompt, int completion) {
    assertEquals(prompt, usage.get("prompt_tokens").getAsInt(), "prompt_tokens");
    assertEquals(completion, usage.get("completion_tokens").getAsInt(), "completion_tokens");
    assertEquals(prompt + completion, usage.get("total_tokens").getAsInt(), "total_tokens");
  }

  private static String content(JsonObject completion) {
    return completion
        .getAsJsonArray("choices")
        .get(0)
        .getAsJsonObject()
        .getAsJsonObject("message")
        .get("content")
        .getAsString();
  }

  private static String streamedContent(String body) {
    StringBuilder content = new StringBuilder();
    for (String event : sseEvents(body)) {
      if (!event.equals("[DONE]")) {
        for (JsonElement choice : json(event).getAsJsonArray("choices")) {
          JsonElement text = choice.getAsJsonObject().getAsJsonObject("delta").get("content");
          content.append(text == null ? "" : text.getAsString());
        }
      }
    }
    return content.toString();
  }

  private static String string(JsonElement element) {
    return element == null || element.isJsonNull() ? null : element.getAsString();
  }

  private static JsonObject json(String text) {
    return JsonParser.parseString(text).getAsJsonObject();
  }

  private URI uri(String path) {
    return URI.create(server.baseUrl() + path);
  }

  private HttpRequest request(String path, JsonObject body) {
    return HttpRequest.newBuilder(uri(path))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body.toString()))
        .build();
  }

  private HttpResponse<String> post(String path, JsonObject body)
      throws IOException, InterruptedException {
    return http.send(request(path, body), HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> get(String path) throws IOException, InterruptedException {
    return http.send(
        HttpRequest.newBuilder(uri(path)).GET().build(), HttpResponse.BodyHandlers.ofString());
  }
}
