package dev.taskmaster.agent.logging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.taskmaster.agent.core.ModelCall;
import dev.taskmaster.agent.quality.QualityLogFields;
import dev.taskmaster.agent.quality.QualitySettings;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class CallLogListenerTest {

  private static final String SECRET = "sk-live0123456789abcdef";

  private final RecordingSink sink = new RecordingSink();
  private final List<Throwable> failures = new ArrayList<>();

  private CallLogListener listener(LogSettings settings) {
    StructuredLog log =
        new StructuredLog(
            settings, new PrometheusRegistry(), "taskmaster", Clock.systemUTC(), sink);
    return new CallLogListener(log, settings, failures::add);
  }

  private static JsonObject logged(CallLogListener listener, ModelCall call) {
    return JsonParser.parseString(listener.line(call).toJson()).getAsJsonObject();
  }

  private static final String PROMPT =
      "Summarise: my key is " + SECRET + ", mail me at jane@example.com";
  private static final String RESPONSE = "Sure.\nDone \u2028 here";

  private static ModelCall.Builder success() {
    return ModelCall.builder("chat", "gpt-4o-mini", ModelCall.SUCCESS)
        .requestId("chatcmpl-123")
        .startEpochMillis(1_700_000_000_000L)
        .durationNanos(1_500_123_456L)
        .prompt(PROMPT)
        .response(RESPONSE)
        .inputTokens(12)
        .outputTokens(80)
        .finishReason("stop");
  }

  @Test
  void aSuccessfulCallHasEveryStandardField() {
    CallLogListener listener = listener(LogSettings.builder().serviceName("checkout").build());

    JsonObject line = logged(listener, success().build());

    assertEquals("2023-11-14T22:13:21.500Z", line.get("timestamp").getAsString());
    assertEquals("INFO", line.get("level").getAsString());
    assertEquals("checkout", line.get("service").getAsString());
    assertEquals(
        "chat call to gpt-4o-mini succeeded in 1500 ms", line.get("message").getAsString());
    assertEquals("request", line.get("event_type").getAsString());
    assertEquals("chatcmpl-123", line.get("request_id").getAsString());
    assertEquals("chat", line.get("endpoint").getAsString());
    assertEquals("gpt-4o-mini", line.get("model").getAsString());
    assertEquals("success", line.get("status").getAsString());
    assertEquals(PROMPT.length(), line.get("prompt_length").getAsInt());
    assertEquals(RESPONSE.length(), line.get("response_length").getAsInt());
    assertEquals(1500.123, line.get("latency_ms").getAsDouble(), 0.0);
    assertEquals(12, line.get("tokens_in").getAsLong());
    assertEquals(80, line.get("tokens_out").getAsLong());
    assertEquals("stop", line.get("finish_reason").getAsString());
    assertFalse(line.has("error"));
    assertFalse(line.has("error_kind"));
  }

  @Test
  void contentIsNotWrittenUnlessCaptureIsOn() throws Exception {
    CallLogListener listener = listener(LogSettings.defaults());

    listener.onCall(success().build());
    sink.entered.await();
    Thread.sleep(50);

    String written = String.join("", sink.lines);
    assertFalse(written.contains("prompt\""), written);
    assertFalse(written.contains("\"response\""), written);
    assertFalse(written.contains("Summarise"), written);
    assertFalse(written.contains(SECRET), written);
  }

  @Test
  void capturedContentIsRedactedAndStaysOnOneLine() {
    CallLogListener listener = listener(LogSettings.builder().captureContent(true).build());

    JsonObject line = logged(listener, success().build());

    assertEquals(
        "Summarise: my key is [REDACTED], mail me at [REDACTED]", line.get("prompt").getAsString());
    assertEquals(RESPONSE, line.get("response").getAsString());
    String raw = listener.line(success().build()).toJson();
    assertFalse(raw.contains("\n"));
    assertFalse(raw.contains("\u2028"));
    assertFalse(raw.contains(SECRET));
  }

  @Test
  void longContentIsCutAfterTheConfiguredLength() {
    CallLogListener listener =
        listener(LogSettings.builder().captureContent(true).captureMaxChars(20).build());

    JsonObject line = logged(listener, success().response("a".repeat(25)).build());

    assertEquals("a".repeat(20) + "...[5 chars cut]", line.get("response").getAsString());
  }

  @Test
  void configuredPatternsAreRedactedToo() {
    CallLogListener listener =
        listener(
            LogSettings.builder()
                .captureContent(true)
                .redact(List.of(Pattern.compile("order-\\d+")))
                .build());

    JsonObject line = logged(listener, success().prompt("where is order-4711?").build());

    assertEquals("where is [REDACTED]?", line.get("prompt").getAsString());
  }

  @Test
  void aFailedCallAddsTheErrorRedacted() {
    CallLogListener listener = listener(LogSettings.defaults());
    ModelCall call =
        ModelCall.builder("chat", "gpt-4o", ModelCall.ERROR)
            .startEpochMillis(1_700_000_000_000L)
            .durationNanos(42_000_000L)
            .error("http_401", "Incorrect API key provided: " + SECRET)
            .build();

    JsonObject line = logged(listener, call);

    assertEquals("ERROR", line.get("level").getAsString());
    assertEquals("error", line.get("status").getAsString());
    assertEquals("http_401", line.get("error_kind").getAsString());
    assertEquals("Incorrect API key provided: [REDACTED]", line.get("error").getAsString());
    assertEquals(
        "chat call to gpt-4o failed after 42 ms (http_401)", line.get("message").getAsString());
    assertTrue(line.get("tokens_in").isJsonNull());
    assertTrue(line.get("response_length").isJsonNull());
    assertTrue(
        line.get("request_id").getAsString().matches("tm-[0-9a-f]{16}"),
        "a call without a server-given id gets a generated one");
  }

  @Test
  void attachedFieldsFollowAndCannotReplaceStandardOnes() {
    CallLogListener listener = listener(LogSettings.defaults());
    listener.addFields((call, line) -> line.put("quality_score", 0.82).put("status", "forged"));
    listener.addFields(
        (call, line) -> {
          throw new IllegalStateException("scorer broke");
        });

    JsonObject line = logged(listener, success().build());

    assertEquals(0.82, line.get("quality_score").getAsDouble(), 0.0);
    assertEquals("success", line.get("status").getAsString());
    assertEquals(1, failures.size());
  }

  @Test
  void aSuccessfulCallCarriesItsQualityScoresAndAFailedOneNone() {
    CallLogListener listener = listener(LogSettings.defaults());
    listener.addFields(new QualityLogFields(QualitySettings.defaults()));

    JsonObject line = logged(listener, success().build());

    // 17 characters (length 0.3), 1500 ms (latency 0.6), a line break (format 1), three words
    // (coherence 1): their mean.
    assertEquals(0.3, line.get("length_score").getAsDouble(), 0.0);
    assertEquals(0.6, line.get("latency_score").getAsDouble(), 0.0);
    assertEquals(1.0, line.get("format_score").getAsDouble(), 0.0);
    assertEquals(1.0, line.get("coherence_score").getAsDouble(), 0.0);
    assertEquals(0.725, line.get("quality_score").getAsDouble(), 1e-15);
    JsonObject failed =
        logged(
            listener,
            ModelCall.builder("chat", "gpt-4o", ModelCall.ERROR)
                .startEpochMillis(1_700_000_000_000L)
                .durationNanos(42_000_000L)
                .error("http_500", "server error")
                .build());
    assertFalse(failed.has("quality_score"), failed.toString());
    assertEquals(List.of(), failures);
  }

  @Test
  void notANumberIsWrittenAsNull() {
    CallLogListener listener = listener(LogSettings.defaults());
    listener.addFields((call, line) -> line.put("quality_score", Double.NaN));

    assertTrue(logged(listener, success().build()).get("quality_score").isJsonNull());
  }
}
