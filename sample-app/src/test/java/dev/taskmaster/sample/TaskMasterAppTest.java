package dev.taskmaster.sample;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.taskmaster.sample.server.ModelServer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class TaskMasterAppTest {

  @Test
  void sendsTheRequestedCallsSplitBetweenTheEndpoints() {
    try (ModelServer server = ModelServer.start(0)) {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      TaskMasterApp.Options options =
          TaskMasterApp.Options.parse(
              new String[] {
                "--base-url", server.openAiBaseUrl(),
                "--requests", "20",
                "--rate", "0",
                "--stream-share", "0.5",
                "--threads", "3"
              },
              null);
      TaskMasterApp.Result result =
          new TaskMasterApp(options, new PrintStream(bytes, true, StandardCharsets.UTF_8)).run();
      String output = bytes.toString(StandardCharsets.UTF_8);

      assertEquals(new TaskMasterApp.Result(8, 7, 5, 0), result, output);
      assertEquals(15, server.requestCount("/v1/chat/completions"));
      assertEquals(5, server.requestCount("/api/chat"));
      assertTrue(output.contains("done: "), output);
      assertTrue(output.contains("20 calls (8 chat, 7 streamed, 5 ollama), 0 errors"), output);
    }
  }

  @Test
  void reportsFailedCallsAndCarriesOn() {
    try (ModelServer server = ModelServer.start(0)) {
      server.behaviour().errorRate(1);
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      TaskMasterApp.Options options =
          TaskMasterApp.Options.parse(
              new String[] {
                "--base-url",
                server.openAiBaseUrl(),
                "--requests",
                "4",
                "--rate",
                "0",
                "--max-retries",
                "0"
              },
              null);
      TaskMasterApp.Result result =
          new TaskMasterApp(options, new PrintStream(bytes, true, StandardCharsets.UTF_8)).run();
      String output = bytes.toString(StandardCharsets.UTF_8);
      assertEquals(4, result.errors(), output);
      assertTrue(output.contains("chat failed: InternalServerException: 500"), output);
      assertTrue(
          output.contains("ollama failed: OllamaException: Ollama answered HTTP 500"), output);
    }
  }

  @Test
  void stopsAfterTheDuration() {
    try (ModelServer server = ModelServer.start(0)) {
      TaskMasterApp.Options options =
          TaskMasterApp.Options.parse(
              new String[] {
                "--base-url", server.openAiBaseUrl(), "--duration", "1500ms", "--rate", "4"
              },
              null);
      long start = System.nanoTime();
      TaskMasterApp.Result result =
          new TaskMasterApp(options, new PrintStream(new ByteArrayOutputStream())).run();
      long millis = (System.nanoTime() - start) / 1_000_000;
      // Six calls fall due before the deadline (at 0, 250, ..., 1250 ms). On a busy machine the
      // last ones can start late, past the deadline, and are then skipped: never more than six.
      assertTrue(result.calls() >= 1 && result.calls() <= 6, result.calls() + " calls");
      assertTrue(millis < 30_000, millis + " ms");
    }
  }

  @Test
  void picksSpreadsAShareEvenly() {
    int picked = 0;
    for (int i = 0; i < 100; i++) {
      picked += TaskMasterApp.picks(i, 0.25) ? 1 : 0;
    }
    assertEquals(25, picked);
    assertTrue(TaskMasterApp.picks(3, 0.25));
    assertTrue(!TaskMasterApp.picks(0, 0.25));
    assertTrue(!TaskMasterApp.picks(5, 0));
  }

  @Test
  void parsesFlags() {
    TaskMasterApp.Options defaults = TaskMasterApp.Options.parse(new String[0], null);
    assertEquals("http://127.0.0.1:8080/v1", defaults.baseUrl);
    assertEquals("http://127.0.0.1:8080", defaults.ollamaUrl);
    assertEquals("sk-local-demo", defaults.apiKey);
    assertEquals(Duration.ofSeconds(30), defaults.duration);
    assertEquals(-1, defaults.requests);

    TaskMasterApp.Options options =
        TaskMasterApp.Options.parse(
            new String[] {
              "--base-url", "https://api.example.com/v1", "--ollama-url", "none", "--duration",
              "2m", "--requests", "10", "--model", "gpt-4o"
            },
            "sk-from-env");
    assertNull(options.ollamaUrl);
    assertEquals("sk-from-env", options.apiKey);
    assertEquals(Duration.ofMinutes(2), options.duration);
    assertEquals(10, options.requests);
    assertEquals("gpt-4o", options.model);
    assertEquals(
        "https://api.example.com",
        TaskMasterApp.Options.parse(new String[] {"--base-url", "https://api.example.com/v1"}, null)
            .ollamaUrl);

    assertEquals(Duration.ofMillis(500), TaskMasterApp.Options.duration("--d", "500ms"));
    assertEquals(Duration.ofMinutes(90), TaskMasterApp.Options.duration("--d", "1.5h"));
    assertEquals(Duration.ofSeconds(5), TaskMasterApp.Options.duration("--d", "5"));
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> TaskMasterApp.Options.parse(new String[] {"--duration", "soon"}, null));
    assertEquals(
        "--duration must be a duration such as 30s, 2m, 1h or 500ms, got 'soon'", e.getMessage());
    assertThrows(
        IllegalArgumentException.class,
        () -> TaskMasterApp.Options.parse(new String[] {"--ollama-share", "2"}, null));
    assertThrows(
        IllegalArgumentException.class,
        () -> TaskMasterApp.Options.parse(new String[] {"--bogus", "1"}, null));
  }
}
