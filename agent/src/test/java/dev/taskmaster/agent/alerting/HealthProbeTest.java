package dev.taskmaster.agent.alerting;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonParser;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class HealthProbeTest {

  private static final String OPENAI_MODELS =
      "{\"object\":\"list\",\"data\":[{\"id\":\"gpt-4o-mini\",\"object\":\"model\"}]}";
  private static final String OLLAMA_TAGS =
      "{\"models\":[{\"name\":\"llama3.2:latest\",\"model\":\"llama3.2:latest\",\"size\":1}]}";

  private RecordingServer server;
  private final List<Boolean> results = new CopyOnWriteArrayList<>();

  @BeforeEach
  void start() throws Exception {
    server = new RecordingServer();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private HealthProbe probe(HealthSettings.Builder settings) {
    return new HealthProbe(settings.build(), results::add);
  }

  private HealthSettings.Builder to(String path) {
    return HealthSettings.builder().url(server.uri(path)).timeout(Duration.ofMillis(500));
  }

  @Test
  void a2xxAnswerIsUpAndSendsNoAuthorizationUnlessConfigured() throws Exception {
    server.answer(request -> RecordingServer.Answer.of(200, OPENAI_MODELS));

    assertTrue(probe(to("/v1/models")).probeAndReport());

    RecordingServer.Request request = server.next(1_000);
    assertEquals("GET", request.method);
    assertEquals("/v1/models", request.path);
    assertNull(request.header("Authorization"));
    assertEquals(List.of(true), results);
  }

  @Test
  void configuredHeadersAreSent() throws Exception {
    probe(to("/v1/models").headers(Map.of("Authorization", "Bearer sk-probe123456789")))
        .probeAndReport();

    assertEquals("Bearer sk-probe123456789", server.next(1_000).header("Authorization"));
  }

  @Test
  void anErrorAnswerATimeoutOrNoServerIsDown() throws Exception {
    server.answer(request -> RecordingServer.Answer.of(503));
    assertFalse(probe(to("/api/tags")).probeAndReport());

    // The answer is held until the probe has returned: only its timeout can end it.
    CountDownLatch released = new CountDownLatch(1);
    server.answer(
        request -> {
          try {
            released.await();
          } catch (InterruptedException stopped) {
            Thread.currentThread().interrupt();
          }
          return RecordingServer.Answer.of(200, OLLAMA_TAGS);
        });
    try {
      assertFalse(
          assertTimeoutPreemptively(
              Duration.ofSeconds(30), () -> probe(to("/api/tags")).probeAndReport()),
          "a held answer is a timeout");
    } finally {
      released.countDown();
    }

    URI nothing = URI.create("http://127.0.0.1:" + ExternalTools.freePort() + "/api/tags");
    assertFalse(probe(HealthSettings.builder().url(nothing)).probeAndReport());
    assertEquals(List.of(false, false, false), results);
  }

  @Test
  void aConfiguredModelMustBeListed() {
    server.answer(request -> RecordingServer.Answer.of(200, OLLAMA_TAGS));
    assertTrue(probe(to("/api/tags").model("llama3.2")).probeAndReport(), ":latest implied");
    assertTrue(probe(to("/api/tags").model("llama3.2:latest")).probeAndReport());
    assertFalse(probe(to("/api/tags").model("llama3.2:1b")).probeAndReport());
    assertFalse(probe(to("/api/tags").model("mistral")).probeAndReport());

    server.answer(request -> RecordingServer.Answer.of(200, OPENAI_MODELS));
    assertTrue(probe(to("/v1/models").model("gpt-4o-mini")).probeAndReport());
    assertFalse(probe(to("/v1/models").model("gpt-4o")).probeAndReport());

    server.answer(request -> RecordingServer.Answer.of(200, "<html>ok</html>"));
    assertFalse(probe(to("/").model("gpt-4o")).probeAndReport());
  }

  @Test
  void findsModelsByIdNameOrModelOnly() {
    assertTrue(HealthProbe.lists(JsonParser.parseString("[{\"id\":\"m\"}]"), "m"));
    assertFalse(HealthProbe.lists(JsonParser.parseString("{\"owned_by\":\"m\"}"), "m"));
    assertTrue(
        HealthProbe.lists(JsonParser.parseString("{\"a\":{\"b\":[{\"name\":\"m\"}]}}"), "m"));
  }

  @Test
  void probesOnASchedule() throws Exception {
    HealthProbe probe = probe(to("/v1/models").interval(Duration.ofSeconds(1)));

    probe.start();
    Thread.sleep(1_500);
    probe.stop();

    assertTrue(results.size() >= 2 && results.size() <= 3, "probes: " + results.size());
  }

  @Test
  void theUrlMustBeHttp() {
    assertThrows(
        IllegalArgumentException.class,
        () -> HealthSettings.builder().url(URI.create("file:///etc/passwd")));
  }

  @Test
  void withoutAUrlNothingRuns() throws Exception {
    HealthProbe probe = new HealthProbe(HealthSettings.builder().build(), results::add);

    probe.start();
    Thread.sleep(100);
    probe.stop();

    assertTrue(results.isEmpty());
  }
}
