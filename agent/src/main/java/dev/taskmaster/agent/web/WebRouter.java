package dev.taskmaster.agent.web;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.util.function.Consumer;

/**
 * Every path of the agent's port other than {@code /metrics} (which the Prometheus exporter
 * serves): the status page {@code /} and its files, {@code /api/status}, {@code /health} and {@code
 * POST /feedback}, {@code POST /drift/relearn}. Anything else is a JSON 404. Runs on the exporter's
 * threads; an exception is answered with a 500 and counted, never thrown.
 */
public final class WebRouter implements HttpHandler {

  /** Sent with the page: it loads nothing but its own files, and no other site may frame it. */
  private static final String PAGE_POLICY =
      "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self'"
          + " data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'";

  private final StatusReport status;
  private final HealthReport health;
  private final FeedbackEndpoint feedback;
  private final DriftRelearnEndpoint relearn;
  private final StaticAssets assets = new StaticAssets();
  private final Consumer<Throwable> failures;

  /**
   * @param status the status page's data, or {@code null} when {@code status.enabled=false}
   * @param feedback the feedback endpoint, or {@code null} when {@code feedback.enabled=false}
   * @param relearn the drift re-learn endpoint, or {@code null} when drift detection is off
   * @param failures counts an exception while answering
   */
  WebRouter(
      StatusReport status,
      HealthReport health,
      FeedbackEndpoint feedback,
      DriftRelearnEndpoint relearn,
      Consumer<Throwable> failures) {
    this.status = status;
    this.health = health;
    this.feedback = feedback;
    this.relearn = relearn;
    this.failures = failures;
  }

  @Override
  public void handle(HttpExchange exchange) {
    try {
      route(exchange, exchange.getRequestURI().getPath());
    } catch (Throwable failure) {
      failures.accept(failure);
      try {
        Responses.error(exchange, 500, "internal_error", "the agent failed to answer: " + failure);
      } catch (Throwable ignored) {
        // The answer had started or the client left; nothing more to say.
      }
    } finally {
      exchange.close();
    }
  }

  private void route(HttpExchange exchange, String path) throws Exception {
    if (path.equals("/feedback")) {
      if (feedback == null) {
        Responses.error(exchange, 404, "disabled", "feedback is off here (feedback.enabled=false)");
      } else {
        feedback.handle(exchange);
      }
      return;
    }
    if (path.equals("/drift/relearn")) {
      if (relearn == null) {
        Responses.error(
            exchange, 404, "disabled", "drift detection is off here (drift.enabled=false)");
      } else {
        relearn.handle(exchange);
      }
      return;
    }
    String method = exchange.getRequestMethod();
    if (!method.equals("GET") && !method.equals("HEAD")) {
      exchange.getResponseHeaders().set("Allow", "GET, HEAD");
      Responses.error(exchange, 405, "method_not_allowed", path + " answers GET only");
      return;
    }
    if (path.equals("/health")) {
      Responses.json(exchange, 200, health.json(exchange.getLocalAddress().getPort()));
      return;
    }
    if (status == null) {
      Responses.error(
          exchange,
          404,
          "not_found",
          "no " + path + " here: the status page is off (status.enabled=false); see /metrics");
      return;
    }
    if (path.equals("/api/status")) {
      Responses.json(exchange, 200, status.json());
      return;
    }
    StaticAssets.Asset asset = assets.get(path.equals("/index.html") ? "/" : path);
    if (asset == null) {
      Responses.error(
          exchange,
          404,
          "not_found",
          "no "
              + path
              + " here; the agent serves /, /api/status, /health, /metrics, POST /feedback and"
              + " POST /drift/relearn");
      return;
    }
    if (asset.contentType.startsWith("text/html")) {
      exchange.getResponseHeaders().set("Content-Security-Policy", PAGE_POLICY);
      exchange.getResponseHeaders().set("Referrer-Policy", "no-referrer");
    }
    Responses.send(exchange, 200, asset.contentType, asset.bytes);
  }
}
