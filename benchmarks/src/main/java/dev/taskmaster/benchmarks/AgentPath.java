package dev.taskmaster.benchmarks;

import dev.taskmaster.agent.core.ModelCall;
import dev.taskmaster.agent.http.ApiFlavour;
import dev.taskmaster.agent.http.RequestReader;
import dev.taskmaster.agent.http.RequestSummary;
import dev.taskmaster.agent.http.ResponseParser;
import dev.taskmaster.agent.http.ResponseRecorder;
import dev.taskmaster.agent.http.ResponseSummary;
import dev.taskmaster.sample.server.traffic.TrafficModel;
import java.nio.charset.StandardCharsets;

/**
 * Turns one answer of the {@link TrafficModel} into the {@link ModelCall} the agent records for it,
 * through the agent's own code: the request body an OpenAI client sends and the chat completion the
 * server answers are written as bytes, then read by the agent's {@link RequestReader} and {@link
 * ResponseParser} exactly as HTTP recognition reads them on its background thread. Only the clock
 * is simulated: the call's duration and time to first token are the model's, so millions of calls
 * take minutes, not weeks.
 */
final class AgentPath {

  private static final long START_MILLIS = 1_760_000_000_000L;

  private AgentPath() {}

  static ModelCall call(TrafficModel.Reply reply, long index) {
    byte[] request = requestBody(reply);
    RequestSummary summary = RequestReader.read(request, request.length, ApiFlavour.OPENAI_CHAT);
    ResponseRecorder recorder = new ResponseRecorder(ResponseRecorder.DEFAULT_MAX_BYTES, 0);
    byte[] response = responseBody(reply, index);
    recorder.onBytes(response, 0, response.length);
    recorder.complete();
    ResponseSummary parsed =
        ResponseParser.parse(recorder, ApiFlavour.OPENAI_CHAT, false, "application/json");
    if (parsed.parseError) {
      throw new IllegalStateException("the agent could not parse " + new String(response));
    }
    return ModelCall.builder("chat", summary.model, ModelCall.SUCCESS)
        .startEpochMillis(START_MILLIS + index * 500)
        .durationNanos((long) (reply.seconds() * 1e9))
        .prompt(summary.prompt)
        .jsonRequested(summary.jsonRequested)
        .promptLength((int) summary.promptLength)
        .requestId(parsed.id)
        .response(parsed.text)
        .inputTokens(parsed.inputTokens)
        .outputTokens(parsed.outputTokens)
        .finishReason(parsed.finishReason)
        // As the agent measures it on a stream; a plain JSON answer has none of its own.
        .timeToFirstTokenNanos((long) (reply.timeToFirstTokenSeconds() * 1e9))
        .build();
  }

  static byte[] requestBody(TrafficModel.Reply reply) {
    String format = reply.jsonRequested() ? ",\"response_format\":{\"type\":\"json_object\"}" : "";
    return ("{\"model\":\"model-a\",\"messages\":[{\"role\":\"user\",\"content\":"
            + "\"Plan the week for the team.\"}]"
            + format
            + "}")
        .getBytes(StandardCharsets.UTF_8);
  }

  /** The chat completion as the sample model server writes it. */
  static byte[] responseBody(TrafficModel.Reply reply, long index) {
    StringBuilder json = new StringBuilder(reply.text().length() + 400);
    json.append("{\"id\":\"chatcmpl-")
        .append(index)
        .append("\",\"object\":\"chat.completion\",\"created\":1760000000,")
        .append("\"model\":\"model-a\",\"choices\":[{\"index\":0,\"message\":")
        .append("{\"role\":\"assistant\",\"content\":");
    quote(json, reply.text());
    json.append(",\"refusal\":null,\"annotations\":[]},\"logprobs\":null,\"finish_reason\":\"")
        .append(reply.finishReason())
        .append("\"}],\"usage\":{\"prompt_tokens\":")
        .append(reply.inputTokens())
        .append(",\"completion_tokens\":")
        .append(reply.outputTokens())
        .append(",\"total_tokens\":")
        .append(reply.inputTokens() + reply.outputTokens())
        .append("},\"service_tier\":\"default\",\"system_fingerprint\":\"fp_sample\"}");
    return json.toString().getBytes(StandardCharsets.UTF_8);
  }

  private static void quote(StringBuilder out, String text) {
    out.append('"');
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          if (c < 0x20) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    out.append('"');
  }
}
