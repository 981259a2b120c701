package dev.taskmaster.agenttests.scenarios;

import static java.util.stream.Collectors.toSet;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.taskmaster.agenttests.fixtures.SdkClientsApp;
import dev.taskmaster.agenttests.harness.AgentJvm;
import dev.taskmaster.agenttests.harness.MetricsSnapshot;
import dev.taskmaster.sample.server.ModelServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The structured call log at its default destination, standard error: one JSON line per call, the
 * application's standard output untouched, no prompt or response text unless asked for; and in a
 * file rotated by size, with the server's own response ids.
 */
class StructuredLogTest {

  private static final Pattern UTC_MILLIS =
      Pattern.compile("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}Z");

  @TempDir Path directory;

  /**
   * openai-java calls through OkHttp, seen on the wire: each call's line carries the id the SDK
   * read from the answer ({@code chatcmpl-...}, the streamed call's from its chunks) as {@code
   * request_id}, and its quality scores; the file is rotated at 1 KB into {@code .1}, {@code .2},
   * ... and the lines still queued at the JVM's end are written.
   */
  @Test
  void aFileRotatedBySizeHoldsALinePerCallWithTheServersResponseId() throws Exception {
    Path log = directory.resolve("calls.log");
    Instant before = Instant.now();
    try (ModelServer server = ModelServer.start(0);
        AgentJvm jvm =
            AgentJvm.builder(SdkClientsApp.class)
                .args("openai", server.baseUrl())
                .agentArg("log.destination", "file")
                .agentArg("log.file", log.toString())
                .agentArg("log.file.max-bytes", "1024")
                .agentArg("log.file.keep", "50")
                .start()) {
      jvm.awaitReady();
      long output = jvm.longResult("outputTokens");
      MetricsSnapshot metrics =
          HttpClientsTest.scrapeWhen(jvm, m -> m.sum("taskmaster_tokens_output_total") == output);
      assertEquals(0, jvm.finish(), jvm::describe);
      Instant after = Instant.now();

      List<Path> files = new ArrayList<>();
      for (int index = 50; index >= 1; index--) {
        Path rotated = directory.resolve("calls.log." + index);
        if (Files.exists(rotated)) {
          files.add(rotated);
        }
      }
      files.add(log);
      List<JsonObject> lines = new ArrayList<>();
      for (Path file : files) {
        assertTrue(Files.size(file) <= 1024, file + " has " + Files.size(file) + " bytes");
        for (String line : Files.readAllLines(file)) {
          lines.add(JsonParser.parseString(line).getAsJsonObject());
        }
      }
      List<JsonObject> calls =
          lines.stream().filter(line -> "request".equals(string(line, "event_type"))).toList();
      assertAll(
          () -> assertTrue(files.size() >= 2, "not rotated: " + files),
          () ->
              assertEquals(
                  Set.of(jvm.result("ids").split(",")),
                  calls.stream().map(call -> string(call, "request_id")).collect(toSet())),
          () -> assertEquals(3, calls.size(), lines::toString),
          () -> assertTrue(jvm.result("ids").startsWith("chatcmpl-"), jvm.result("ids")),
          () ->
              assertEquals(
                  jvm.longResult("inputTokens"),
                  calls.stream().mapToLong(call -> call.get("tokens_in").getAsLong()).sum()),
          () ->
              assertEquals(
                  output,
                  calls.stream().mapToLong(call -> call.get("tokens_out").getAsLong()).sum()),
          () ->
              assertEquals(
                  List.of("gpt-sdk", "gpt-sdk", "gpt-sdk"),
                  calls.stream().map(call -> string(call, "model")).toList()),
          () ->
              assertEquals(
                  List.of("success", "success", "success"),
                  calls.stream().map(call -> string(call, "status")).toList()),
          () -> {
            for (JsonObject line : lines) {
              String timestamp = string(line, "timestamp");
              assertTrue(UTC_MILLIS.matcher(timestamp).matches(), timestamp);
              Instant at = Instant.parse(timestamp);
              assertFalse(
                  at.isBefore(before.truncatedTo(ChronoUnit.MILLIS)) || at.isAfter(after),
                  timestamp);
              assertTrue(
                  Set.of("request", "agent", "drift", "alert").contains(string(line, "event_type")),
                  line.toString());
            }
          },
          () -> {
            for (JsonObject call : calls) {
              double mean =
                  (number(call, "length_score")
                          + number(call, "latency_score")
                          + number(call, "format_score")
                          + number(call, "coherence_score"))
                      / 4;
              assertEquals(mean, number(call, "quality_score"), 0.0, call.toString());
              assertEquals(
                  number(call, "latency_ms") < 500 ? 1.0 : 0.8,
                  number(call, "latency_score"),
                  call.toString());
            }
          },
          () -> assertEquals(0, metrics.sum("taskmaster_log_dropped_total")),
          () ->
              assertFalse(
                  jvm.stderr().contains("\"event_type\""),
                  "JSON lines on stderr too: " + jvm.stderr()));
    }
  }

  private static double number(JsonObject json, String name) {
    assertTrue(json.has(name), name + " missing: " + json);
    return json.get(name).getAsDouble();
  }

  private static String string(JsonObject json, String name) {
    return json.has(name) && !json.get(name).isJsonNull() ? json.get(name).getAsString() : null;
  }

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
