package dev.taskmaster.sample.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.StreamResponse;
import com.openai.errors.InternalServerException;
import com.openai.errors.RateLimitException;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import com.openai.models.completions.Completion;
import com.openai.models.completions.CompletionCreateParams;
import com.openai.models.completions.CompletionUsage;
import com.openai.models.embeddings.CreateEmbeddingResponse;
import com.openai.models.embeddings.EmbeddingCreateParams;
import com.openai.models.responses.Response;
import com.openai.models.responses.ResponseCreateParams;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The official openai-java SDK reads every answer of the model server. */
class OpenAiSdkCompatibilityTest {

  private static ModelServer server;
  private static OpenAIClient client;

  @BeforeAll
  static void start() {
    server = ModelServer.start(0);
    client =
        OpenAIOkHttpClient.builder()
            .baseUrl(server.openAiBaseUrl())
            .apiKey("sk-test")
            .maxRetries(0)
            .timeout(Duration.ofSeconds(10))
            .build();
  }

  @AfterAll
  static void stop() {
    client.close();
    server.close();
  }

  @AfterEach
  void resetBehaviour() {
    server.behaviour().reset();
  }

  private static ChatCompletionCreateParams.Builder chat() {
    return ChatCompletionCreateParams.builder()
        .model("gpt-4o-mini")
        .addSystemMessage("You are TaskMaster.")
        .addUserMessage("Create a task for the budget review");
  }

  @Test
  void chatCompletion() {
    ChatCompletion completion = client.chat().completions().create(chat().build());
    String content = completion.choices().get(0).message().content().orElseThrow();
    CompletionUsage usage = completion.usage().orElseThrow();
    assertEquals("gpt-4o-mini", completion.model());
    assertEquals(
        ChatCompletion.Choice.FinishReason.STOP, completion.choices().get(0).finishReason());
    assertEquals(3 + 7, usage.promptTokens());
    assertEquals(TokenCounter.count(content), usage.completionTokens());
    assertEquals(usage.promptTokens() + usage.completionTokens(), usage.totalTokens());
    completion.validate();
  }

  @Test
  void chatCompletionStream() {
    ChatCompletionCreateParams params =
        chat()
            .streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build())
            .build();
    StringBuilder content = new StringBuilder();
    List<CompletionUsage> usages = new ArrayList<>();
    List<String> finishReasons = new ArrayList<>();
    try (StreamResponse<ChatCompletionChunk> stream =
        client.chat().completions().createStreaming(params)) {
      stream.stream()
          .forEach(
              chunk -> {
                chunk.validate();
                chunk.usage().ifPresent(usages::add);
                for (ChatCompletionChunk.Choice choice : chunk.choices()) {
                  choice.delta().content().ifPresent(content::append);
                  choice.finishReason().ifPresent(r -> finishReasons.add(r.asString()));
                }
              });
    }
    assertEquals(List.of("stop"), finishReasons);
    assertEquals(1, usages.size());
    assertEquals(TokenCounter.count(content.toString()), usages.get(0).completionTokens());
    assertEquals(10, usages.get(0).promptTokens());
  }

  @Test
  void cutStreamFailsInTheClient() {
    server.behaviour().cutRate(1).cutAfterChunks(2);
    assertThrows(
        RuntimeException.class,
        () -> {
          try (StreamResponse<ChatCompletionChunk> stream =
              client.chat().completions().createStreaming(chat().build())) {
            stream.stream().forEach(chunk -> {});
          }
        });
  }

  @Test
  void rateLimitAndServerErrorBecomeSdkExceptions() {
    server.behaviour().rateLimitRate(1);
    assertThrows(
        RateLimitException.class, () -> client.chat().completions().create(chat().build()));
    server.behaviour().rateLimitRate(0).errorRate(1);
    assertThrows(
        InternalServerException.class, () -> client.chat().completions().create(chat().build()));
  }

  @Test
  void sdkRetriesAreSeparateRequestsOnTheServer() {
    server.behaviour().rateLimitRate(1).retryAfterSeconds(0);
    long before = server.requestCount("/v1/chat/completions");
    OpenAIClient retrying = client.withOptions(options -> options.maxRetries(2));
    assertThrows(
        RateLimitException.class, () -> retrying.chat().completions().create(chat().build()));
    assertEquals(3, server.requestCount("/v1/chat/completions") - before);
  }

  @Test
  void legacyCompletion() {
    Completion completion =
        client
            .completions()
            .create(
                CompletionCreateParams.builder()
                    .model("gpt-3.5-turbo-instruct")
                    .prompt("Plan my week")
                    .build());
    String text = completion.choices().get(0).text();
    assertFalse(text.isBlank());
    assertEquals(TokenCounter.count(text), completion.usage().orElseThrow().completionTokens());
    completion.validate();
  }

  @Test
  void response() {
    Response response =
        client
            .responses()
            .create(
                ResponseCreateParams.builder().model("gpt-4o-mini").input("Plan my week").build());
    String text =
        response
            .output()
            .get(0)
            .message()
            .orElseThrow()
            .content()
            .get(0)
            .outputText()
            .orElseThrow()
            .text();
    assertEquals(3, response.usage().orElseThrow().inputTokens());
    assertEquals(TokenCounter.count(text), response.usage().orElseThrow().outputTokens());
    response.validate();
  }

  @Test
  void embeddingsInBothEncodings() {
    CreateEmbeddingResponse floats =
        client
            .embeddings()
            .create(
                EmbeddingCreateParams.builder()
                    .model("text-embedding-3-small")
                    .input("budget review")
                    .encodingFormat(EmbeddingCreateParams.EncodingFormat.FLOAT)
                    .build());
    assertEquals(32, floats.data().get(0).embedding().size());
    assertEquals(2, floats.usage().promptTokens());
    CreateEmbeddingResponse base64 =
        client
            .embeddings()
            .create(
                EmbeddingCreateParams.builder()
                    .model("text-embedding-3-small")
                    .input("budget review")
                    .build());
    assertEquals(floats.data().get(0).embedding(), base64.data().get(0).embedding());
  }

  @Test
  void models() {
    assertTrue(
        client.models().list().data().stream().anyMatch(model -> model.id().equals("gpt-4o-mini")));
  }
}
