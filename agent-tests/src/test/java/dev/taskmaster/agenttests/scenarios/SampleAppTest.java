package dev.taskmaster.agenttests.scenarios;

import static dev.taskmaster.agenttests.harness.AgentAssertions.assertHealthy;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.taskmaster.agenttests.harness.AgentJvm;
import dev.taskmaster.agenttests.harness.MetricsSnapshot;
import dev.taskmaster.sample.TaskMasterAppFixture;
import dev.taskmaster.sample.server.Behaviour;
import dev.taskmaster.sample.server.ModelServer;
import dev.taskmaster.sample.server.ServerStats.Outcome;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The sample application, configured by {@code sample-app/agent.properties}, against the model
 * server running in the test JVM: every call of both clients counted exactly, with exactly the
 * tokens the server reported.
 */
class SampleAppTest {

  private static final String CHAT_PATH = "/v1/chat/completions";
  private static final String OLLAMA_PATH = "/api/chat";
  private static final String CHAT_MODEL = "gpt-4o-mini";
  private static final String OLLAMA_MODEL = "llama3.2";
  private static final int REQUESTS = 24;
  private static final double ERROR_RATE = 0.3;

  static Path sampleConfig() {
    Path config = Path.of(System.getProperty("agenttests.sample.config"));
    assertTrue(Files.isRegularFile(config), "no sample configuration at " + config);
    return config;
  }

  static AgentJvm.Builder sampleApp(ModelServer server, String... extraFlags) {
    return AgentJvm.builder(TaskMasterAppFixture.class)
        .agentArg("config", sampleConfig().toString())
        .args(
            "--base-url",
            server.openAiBaseUrl(),
            "--requests",
            REQUESTS,
            "--rate",
            0,
            "--threads",
            2,
            "--ollama-share",
            0.25,
            "--progress-every",
            "1h")
        .args((Object[]) extraFlags);
  }

  @Test
  void everyCallOfBothClientsIsCountedWithTheServersTokens() {
    try (ModelServer server = ModelServer.start(0);
        AgentJvm jvm = sampleApp(server).start()) {
      jvm.awaitReady();
      MetricsSnapshot metrics = settled(jvm, server);
      String[] chat = {"endpoint", "chat", "model", CHAT_MODEL};
      String[] ollama = {"endpoint", "ollama_chat", "model", OLLAMA_MODEL};
      assertAll(
          () -> assertEquals(0, jvm.longResult("result.errors"), jvm::describe),
          () -> assertEquals(REQUESTS / 4, jvm.longResult("result.ollamaCalls")),
          () -> assertEquals(REQUESTS - REQUESTS / 4, jvm.longResult("result.chatCalls")),
          () -> assertEquals(jvm.longResult("result.chatCalls"), server.requestCount(CHAT_PATH)),
          () ->
              assertEquals(jvm.longResult("result.ollamaCalls"), server.requestCount(OLLAMA_PATH)),
          () ->
              assertEquals(
                  server.requestCount(CHAT_PATH),
                  metrics.value("taskmaster_requests_total", with(chat, "status", "success"))),
          () ->
              assertEquals(
                  server.requestCount(OLLAMA_PATH),
                  metrics.value("taskmaster_requests_total", with(ollama, "status", "success"))),
          () -> assertEquals(REQUESTS, metrics.sum("taskmaster_requests_total")),
          () ->
              assertEquals(
                  server.stats().promptTokens(CHAT_PATH),
                  metrics.value("taskmaster_tokens_input_total", chat)),
          () ->
              assertEquals(
                  server.stats().completionTokens(CHAT_PATH),
                  metrics.value("taskmaster_tokens_output_total", chat)),
          () ->
              assertEquals(
                  server.stats().promptTokens(OLLAMA_PATH),
                  metrics.value("taskmaster_tokens_input_total", ollama)),
          () ->
              assertEquals(
                  server.stats().completionTokens(OLLAMA_PATH),
                  metrics.value("taskmaster_tokens_output_total", ollama)),
          () -> assertEquals(0, metrics.sum("taskmaster_tokens_missing_total")),
          () ->
              assertEquals(
                  server.requestCount(CHAT_PATH),
                  metrics.value("taskmaster_response_length_chars_count", chat)),
          () ->
              assertEquals(
                  server.requestCount(OLLAMA_PATH),
                  metrics.value("taskmaster_response_length_chars_count", ollama)),
          () -> assertEquals(1, metrics.value("taskmaster_model_loaded", "model", CHAT_MODEL)),
          () -> assertEquals(1, metrics.value("taskmaster_model_loaded", "model", OLLAMA_MODEL)),
          () ->
              assertEquals(
                  1, metrics.value("taskmaster_agent_info", "service", "taskmaster-sample")),
          () -> assertHealthy(jvm, metrics));
    }
  }

  /**
   * One worker thread sends the calls one at a time, so the server's seeded failures fall on the
   * same requests on every run; {@link #expectedOutcomes} replays that sequence.
   */
  @Test
  void retriedAndFailedCallsCountOncePerApplicationCall() {
    try (ModelServer server = ModelServer.start(0)) {
      server.behaviour().errorRate(ERROR_RATE);
      long[] expected = expectedOutcomes(server.behaviour().seed());
      try (AgentJvm jvm = sampleApp(server, "--max-retries", "1").args("--threads", 1).start()) {
        jvm.awaitReady();
        MetricsSnapshot metrics = settled(jvm, server);
        assertAll(
            () -> assertEquals(expected[0], jvm.longResult("result.errors"), jvm::describe),
            () -> assertEquals(expected[1], server.requestCount(CHAT_PATH)),
            () -> assertEquals(REQUESTS / 4, server.requestCount(OLLAMA_PATH)),
            () ->
                assertEquals(expected[2], server.stats().outcomes(CHAT_PATH, Outcome.SERVER_ERROR)),
            () -> assertEquals(REQUESTS, metrics.sum("taskmaster_requests_total")),
            () ->
                assertEquals(
                    expected[0], metrics.sum("taskmaster_requests_total", "status", "error")),
            () ->
                assertEquals(
                    REQUESTS - expected[0],
                    metrics.sum("taskmaster_requests_total", "status", "success")),
            () ->
                assertEquals(
                    server.stats().promptTokens(CHAT_PATH),
                    metrics.sum("taskmaster_tokens_input_total", "endpoint", "chat")),
            () ->
                assertEquals(
                    server.stats().completionTokens(OLLAMA_PATH),
                    metrics.sum("taskmaster_tokens_output_total", "endpoint", "ollama_chat")),
            () -> assertHealthy(jvm, metrics));
      }
    }
  }

  /**
   * What the app sees when it sends {@link #REQUESTS} calls one at a time with one retry of the
   * OpenAI calls, against a server seeded with {@code seed}: {application errors, chat requests on
   * the wire, chat requests answered with HTTP 500}. The Ollama client does not retry.
   */
  private static long[] expectedOutcomes(long seed) {
    Behaviour replay = new Behaviour().seed(seed).errorRate(ERROR_RATE);
    long errors = 0;
    long chatRequests = 0;
    long chatFailures = 0;
    for (int call = 0; call < REQUESTS; call++) {
      boolean ollama = Math.floor((call + 1) * 0.25) > Math.floor(call * 0.25);
      boolean failed = failed(replay);
      if (!ollama) {
        chatRequests++;
        if (failed) {
          chatFailures++;
          chatRequests++;
          failed = failed(replay);
          chatFailures += failed ? 1 : 0;
        }
      }
      errors += failed ? 1 : 0;
    }
    // Both paths must be taken, or the scenario proves nothing.
    assertTrue(chatFailures > errors && errors > 0, "seed " + seed + " fails no call twice");
    return new long[] {errors, chatRequests, chatFailures};
  }

  private static boolean failed(Behaviour replay) {
    return replay.plan(false).fault() == Behaviour.Fault.SERVER_ERROR;
  }

  /** Scrapes once every call's tokens are counted: the agent parses answers in the background. */
  private static MetricsSnapshot settled(AgentJvm jvm, ModelServer server) {
    long output = server.stats().completionTokens(CHAT_PATH);
    long ollamaOutput = server.stats().completionTokens(OLLAMA_PATH);
    return HttpClientsTest.scrapeWhen(
        jvm,
        m ->
            m.sum("taskmaster_requests_total") == REQUESTS
                && m.sum("taskmaster_tokens_output_total", "endpoint", "chat") == output
                && m.sum("taskmaster_tokens_output_total", "endpoint", "ollama_chat")
                    == ollamaOutput);
  }

  private static String[] with(String[] labels, String name, String value) {
    String[] all = java.util.Arrays.copyOf(labels, labels.length + 2);
    all[labels.length] = name;
    all[labels.length + 1] = value;
    return all;
  }
}
