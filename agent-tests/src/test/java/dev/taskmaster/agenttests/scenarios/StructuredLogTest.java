package dev.taskmaster.agenttests.scenarios;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.taskmaster.agenttests.harness.AgentJvm;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The structured call log at its default destination, standard error: one JSON line per call, the
 * application's standard output untouched, no prompt or response text unless asked for.
 */
class StructuredLogTest {

  @Test
  void oneJsonLinePerCallOnStderrAndStdoutUnchanged() {
    String baseline;
    try (AgentJvm jvm = CoreScenario.coreApp().withoutAgent().start()) {
      jvm.awaitReady();
      assertEquals(0, jvm.finish());
      baseline = jvm.stdout();
    }
    try (AgentJvm jvm = CoreScenario.coreApp().withoutAgentArg("log.destination").start()) {
      jvm.awaitReady();
      // The lines are written by a background thread; the JVM's end flushes what is queued.
      assertEquals(0, jvm.finish(), jvm::describe);
      List<JsonObject> calls = new ArrayList<>();
      for (String line : jvm.stderrLines()) {
        if (line.startsWith("{")) {
          JsonObject json = JsonParser.parseString(line).getAsJsonObject();
          if ("request".equals(json.get("event_type").getAsString())) {
            calls.add(json);
          }
        }
      }
      long input = 0;
      long output = 0;
      for (JsonObject call : calls) {
        input += call.get("tokens_in").getAsLong();
        output += call.get("tokens_out").getAsLong();
      }
      long inputTokens = input;
      long outputTokens = output;
      assertAll(
          () -> assertEquals(baseline, jvm.stdout(), "the application's stdout changed"),
          () -> assertEquals(CoreScenario.CALLS, calls.size(), jvm::describe),
          () ->
              assertEquals(
                  CoreScenario.CALLS,
                  calls.stream()
                      .filter(call -> call.get("endpoint").getAsString().equals("chat"))
                      .filter(call -> call.get("model").getAsString().equals(CoreScenario.MODEL))
                      .filter(call -> call.get("status").getAsString().equals("success"))
                      .filter(
                          call -> call.get("service").getAsString().equals(CoreScenario.SERVICE))
                      .count()),
          () -> assertEquals(jvm.longResult("inputTokens"), inputTokens),
          () -> assertEquals(jvm.longResult("outputTokens"), outputTokens),
          () ->
              assertFalse(
                  calls.stream().anyMatch(call -> call.has("prompt") || call.has("response")),
                  "prompt or response text logged without capture.content"),
          () ->
              assertEquals(
                  CoreScenario.CALLS,
                  calls.stream()
                      .map(call -> call.get("request_id").getAsString())
                      .distinct()
                      .count(),
                  "request ids are not unique"));
    }
  }
}
