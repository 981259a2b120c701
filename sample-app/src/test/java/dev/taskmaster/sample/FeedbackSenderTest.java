package dev.taskmaster.sample;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dev.taskmaster.sample.server.AnswerGenerator;
import dev.taskmaster.sample.server.ModelServer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class FeedbackSenderTest {

  @Test
  void refusalsEmptyAndLoopingAnswersLookBad() {
    assertTrue(FeedbackSender.looksBad(AnswerGenerator.REFUSAL));
    assertTrue(FeedbackSender.looksBad(""));
    assertTrue(
        FeedbackSender.looksBad(
            "Plan for \"x\": "
                + String.join(" ", java.util.Collections.nCopies(4, AnswerGenerator.LOOP_PHRASE))));
    assertFalse(FeedbackSender.looksBad("Plan for \"x\":\n1. List the open items before Friday."));
  }

  @Test
  void theAppRatesTheSharedAnswersWithTheServersIds() throws Exception {
    List<String> bodies = new CopyOnWriteArrayList<>();
    HttpServer agent = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    agent.createContext(
        "/feedback",
        exchange -> {
          String type = exchange.getRequestHeaders().getFirst("Content-Type");
          bodies.add(
              type
                  + " "
                  + new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
          exchange.sendResponseHeaders(200, -1);
          exchange.close();
        });
    agent.start();
    try (ModelServer server = ModelServer.start(0)) {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      TaskMasterApp.Options options =
          TaskMasterApp.Options.parse(
              new String[] {
                "--base-url", server.openAiBaseUrl(),
                "--requests", "20",
                "--rate", "0",
                "--ollama-share", "0.25",
                "--feedback-url", "http://127.0.0.1:" + agent.getAddress().getPort() + "/feedback",
                "--feedback-share", "0.4"
              },
              null);
      new TaskMasterApp(options, new PrintStream(bytes, true, StandardCharsets.UTF_8)).run();
      String output = bytes.toString(StandardCharsets.UTF_8);

      // 15 OpenAI answers, 40 % of them rated: exactly 6.
      assertEquals(6, bodies.size(), output);
      for (String body : bodies) {
        assertTrue(
            body.matches(
                "application/json \\{\"request_id\": \"chatcmpl-[A-Za-z0-9]+\", \"score\": [01]\\}"),
            body);
      }
      assertTrue(output.contains("feedback 6 accepted, 0 refused"), output);
    } finally {
      agent.stop(0);
    }
  }
}
