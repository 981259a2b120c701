package dev.taskmaster.agent.web;

import com.google.gson.stream.JsonWriter;
import com.sun.net.httpserver.HttpExchange;
import dev.taskmaster.agent.feedback.FeedbackRejected;
import dev.taskmaster.agent.feedback.FeedbackRequest;
import dev.taskmaster.agent.feedback.FeedbackService;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.Semaphore;

/**
 * {@code POST /feedback}: checks the method, the token, the content type and the size, parses the
 * body, hands it to the {@link FeedbackService} and answers JSON. Every refusal is a 4xx (or a 503
 * to retry) with {@code {"error": reason, "message": ...}}, changes nothing, and counts in {@code
 * taskmaster_feedback_rejected_total{reason}}.
 *
 * <p>Only {@code application/json} is accepted: a web page elsewhere cannot send that to the
 * agent's port without the browser asking first, so a form on another site cannot post feedback.
 */
final class FeedbackEndpoint {

  /** Largest accepted body. */
  static final int MAX_BODY_BYTES = 8 * 1024;

  /**
   * Feedback requests that may wait for the agent's background thread at once; more are answered
   * 503 at once. Fewer than the exporter's threads, so that {@code /metrics} and the status page
   * are always served without waiting.
   */
  static final int MAX_WAITING = 2;

  private final FeedbackService feedback;
  private final Semaphore waiting = new Semaphore(MAX_WAITING);

  FeedbackEndpoint(FeedbackService feedback) {
    this.feedback = feedback;
  }

  void handle(HttpExchange exchange) throws IOException {
    try {
      FeedbackService.Accepted accepted = accept(exchange);
      Responses.json(exchange, 200, answer(accepted));
    } catch (FeedbackRejected rejected) {
      if (rejected.status() == 401) {
        exchange.getResponseHeaders().set("WWW-Authenticate", "Bearer realm=\"taskmaster\"");
      } else if (rejected.status() == 405) {
        exchange.getResponseHeaders().set("Allow", "POST");
      }
      Responses.error(exchange, rejected.status(), rejected.reason(), rejected.getMessage());
    }
  }

  private FeedbackService.Accepted accept(HttpExchange exchange)
      throws IOException, FeedbackRejected {
    if (!"POST".equals(exchange.getRequestMethod())) {
      throw refuse(
          405,
          "method_not_allowed",
          "use POST with a JSON body such as {\"request_id\": \"chatcmpl-123\", \"score\": 1}");
    }
    if (!feedback.settings().authorizes(exchange.getRequestHeaders().getFirst("Authorization"))) {
      throw refuse(
          401,
          "unauthorized",
          "this agent requires the token of feedback.token, sent as the header Authorization: Bearer TOKEN");
    }
    String type = exchange.getRequestHeaders().getFirst("Content-Type");
    if (type == null
        || !type.toLowerCase(Locale.ROOT).trim().matches("application/json\\s*(;.*)?")) {
      throw refuse(
          415,
          "unsupported_media_type",
          "send the body as Content-Type: application/json, got " + (type == null ? "none" : type));
    }
    String length = exchange.getRequestHeaders().getFirst("Content-Length");
    if (length != null && length.trim().matches("\\d{1,18}")) {
      if (Long.parseLong(length.trim()) > MAX_BODY_BYTES) {
        throw tooLarge();
      }
    }
    byte[] body;
    try (InputStream in = exchange.getRequestBody()) {
      body = in.readNBytes(MAX_BODY_BYTES + 1);
    }
    if (body.length > MAX_BODY_BYTES) {
      throw tooLarge();
    }
    FeedbackRequest request;
    try {
      request = FeedbackRequest.parse(utf8(body));
    } catch (FeedbackRejected rejected) {
      feedback.countRejected(rejected.reason());
      throw rejected;
    }
    if (!waiting.tryAcquire()) {
      throw refuse(
          503,
          "busy",
          "the agent is still working on "
              + MAX_WAITING
              + " other feedbacks; nothing was recorded: send it again");
    }
    try {
      return feedback.submit(request);
    } finally {
      waiting.release();
    }
  }

  private FeedbackRejected tooLarge() {
    return refuse(
        413,
        "too_large",
        "the body is larger than " + MAX_BODY_BYTES + " bytes; a feedback is a short JSON object");
  }

  private FeedbackRejected refuse(int status, String reason, String message) {
    feedback.countRejected(reason);
    return new FeedbackRejected(status, reason, message);
  }

  private static String utf8(byte[] body) throws FeedbackRejected {
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(body))
          .toString();
    } catch (CharacterCodingException notUtf8) {
      throw new FeedbackRejected(400, "malformed_json", "the body is not UTF-8 text");
    }
  }

  private static String answer(FeedbackService.Accepted accepted) throws IOException {
    StringWriter text = new StringWriter();
    JsonWriter json = new JsonWriter(text);
    json.beginObject()
        .name("status")
        .value("accepted")
        .name("request_id")
        .value(accepted.requestId)
        .name("endpoint")
        .value(accepted.endpoint)
        .name("model")
        .value(accepted.model)
        .name("score")
        .value(accepted.score)
        .name("verdict")
        .value(accepted.verdict.label())
        .endObject();
    json.flush();
    return text.toString();
  }
}
