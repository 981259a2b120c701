package dev.taskmaster.sample.ollama;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.taskmaster.sample.server.ModelServer;
import dev.taskmaster.sample.server.TokenCounter;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class OllamaClientTest {

  private ModelServer server;

  @BeforeEach
  void start() {
    server = ModelServer.start(0);
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void chatReturnsTheAnswerAndItsCounts() throws Exception {
    OllamaChatResponse response =
        new OllamaClient(server.baseUrl() + "/").chat("llama3.2", "Plan my week");
    assertEquals("llama3.2", response.getModel());
    assertEquals("stop", response.getDoneReason());
    assertEquals(3, response.getPromptEvalCount());
    assertTrue(response.getContent().length() >= 100, response.getContent());
    assertEquals(TokenCounter.count(response.getContent()), response.getEvalCount());
    assertTrue(response.getTotalDurationNanos() > 0);
    assertEquals(1, server.requestCount("/api/chat"));
    assertEquals(3, server.stats().promptTokens("/api/chat"));
    assertEquals(response.getEvalCount(), server.stats().completionTokens("/api/chat"));
  }

  @Test
  void httpErrorsBecomeOllamaExceptions() {
    server.behaviour().errorRate(1);
    OllamaException e =
        assertThrows(
            OllamaException.class, () -> new OllamaClient(server.baseUrl()).chat("llama3.2", "x"));
    assertEquals(500, e.statusCode());
    assertTrue(e.getMessage().startsWith("Ollama answered HTTP 500: The server had an error"));
  }

  @Test
  void givesUpAfterItsTimeout() {
    server.behaviour().hangRate(1);
    OllamaClient client = new OllamaClient(server.baseUrl(), Duration.ofMillis(200));
    assertThrows(HttpTimeoutException.class, () -> client.chat("llama3.2", "x"));
  }

  @Test
  void readsAnswersWithMissingFields() throws Exception {
    OllamaChatResponse response = OllamaClient.parse(200, "{\"model\":\"m\",\"done\":true}");
    assertEquals("", response.getContent());
    assertEquals(0, response.getEvalCount());
    assertEquals(null, response.getDoneReason());
    assertThrows(OllamaException.class, () -> OllamaClient.parse(200, "[1]"));
  }
}
