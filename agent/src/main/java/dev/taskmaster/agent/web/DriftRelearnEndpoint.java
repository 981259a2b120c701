package dev.taskmaster.agent.web;

import com.google.gson.stream.JsonWriter;
import com.sun.net.httpserver.HttpExchange;
import dev.taskmaster.agent.drift.DriftSignal;
import java.io.IOException;
import java.io.StringWriter;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * {@code POST /drift/relearn[?signal=NAME]}: drops the drift baseline (of every signal, or of one)
 * so that it is learned again from the next calls. Answers JSON: {@code {"status": "relearning",
 * "signals": [...]}}, or {@code {"error": reason, "message": ...}} with 405 for another method, 401
 * without the token of {@code drift.relearn.token}, 403 when a browser page sends it (an {@code
 * Origin} header: a form on another web site must not reset the baseline), 400 for an unknown
 * signal.
 */
final class DriftRelearnEndpoint {

  private final Consumer<DriftSignal> relearn;
  private final byte[] token;

  /**
   * @param relearn drops the baseline of a signal, or of every signal for {@code null}
   * @param token the token to require, or {@code null} for none
   */
  DriftRelearnEndpoint(Consumer<DriftSignal> relearn, String token) {
    this.relearn = relearn;
    this.token = token == null ? null : token.getBytes(StandardCharsets.UTF_8);
  }

  void handle(HttpExchange exchange) throws IOException {
    if (!"POST".equals(exchange.getRequestMethod())) {
      exchange.getResponseHeaders().set("Allow", "POST");
      Responses.error(exchange, 405, "method_not_allowed", "use POST /drift/relearn[?signal=NAME]");
      return;
    }
    if (!authorized(exchange.getRequestHeaders().getFirst("Authorization"))) {
      exchange.getResponseHeaders().set("WWW-Authenticate", "Bearer realm=\"taskmaster\"");
      Responses.error(
          exchange,
          401,
          "unauthorized",
          "this agent requires the token of drift.relearn.token, sent as the header"
              + " Authorization: Bearer TOKEN");
      return;
    }
    if (exchange.getRequestHeaders().getFirst("Origin") != null) {
      Responses.error(
          exchange, 403, "forbidden", "web pages may not re-learn the baseline; use curl or a job");
      return;
    }
    String name = signalParameter(exchange.getRequestURI().getRawQuery());
    DriftSignal signal = name == null ? null : DriftSignal.forLabel(name);
    if (name != null && signal == null) {
      Responses.error(
          exchange, 400, "unknown_signal", "no drift signal " + name + "; known: " + labels());
      return;
    }
    relearn.accept(signal);
    StringWriter text = new StringWriter();
    JsonWriter json = new JsonWriter(text);
    json.beginObject().name("status").value("relearning").name("signals").beginArray();
    for (String label : signal == null ? labels() : List.of(signal.label())) {
      json.value(label);
    }
    json.endArray().endObject().flush();
    Responses.json(exchange, 200, text.toString());
  }

  private boolean authorized(String authorization) {
    if (token == null) {
      return true;
    }
    if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return false;
    }
    byte[] given = authorization.substring(7).trim().getBytes(StandardCharsets.UTF_8);
    return MessageDigest.isEqual(given, token);
  }

  /** The value of {@code signal=} in the query, or {@code null}. */
  private static String signalParameter(String query) {
    if (query == null) {
      return null;
    }
    for (String pair : query.split("&")) {
      if (pair.startsWith("signal=")) {
        return URLDecoder.decode(pair.substring(7), StandardCharsets.UTF_8);
      }
    }
    return null;
  }

  private static List<String> labels() {
    List<String> labels = new ArrayList<>();
    for (DriftSignal signal : DriftSignal.values()) {
      labels.add(signal.label());
    }
    return labels;
  }
}
