package dev.taskmaster.agent.httpcall;

import dev.taskmaster.agent.core.CallPipeline;
import dev.taskmaster.agent.http.EndpointMatcher;
import dev.taskmaster.agent.metrics.LlmMetrics;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Recognises model calls among the HTTP requests that the instrumented clients send, and starts an
 * {@link HttpModelCall} for each. Shared by every client instrumentation.
 */
public final class HttpCallRecorder {

  private final EndpointMatcher endpoints;
  private final Set<String> enabledClients;
  final Supplier<LlmMetrics> metrics;
  final CallPipeline pipeline;
  final long captureMaxBytes;

  /**
   * @param enabledClients the client names ({@code jdk}, {@code okhttp}, {@code apache}, {@code
   *     urlconnection}) whose calls are followed
   * @param captureMaxBytes response bodies larger than this pass through unread
   */
  public HttpCallRecorder(
      EndpointMatcher endpoints,
      Set<String> enabledClients,
      Supplier<LlmMetrics> metrics,
      CallPipeline pipeline,
      long captureMaxBytes) {
    this.endpoints = endpoints;
    this.enabledClients = enabledClients;
    this.metrics = metrics;
    this.pipeline = pipeline;
    this.captureMaxBytes = captureMaxBytes;
  }

  /**
   * Starts following a request, if it goes to a model endpoint.
   *
   * @param client which client library sends it
   * @param rawPath the URL's path (never its query, which may carry a key)
   * @param requestBody reads the request body, or returns {@code null} when it cannot be read
   *     without side effects; only called for a model endpoint
   * @return the call, or {@code null} when the request is not followed
   */
  public HttpModelCall begin(String client, String rawPath, Supplier<byte[]> requestBody) {
    if (rawPath == null || !enabledClients.contains(client)) {
      return null;
    }
    EndpointMatcher.Endpoint endpoint = endpoints.find(rawPath);
    if (endpoint == null) {
      return null;
    }
    long startNanos = System.nanoTime();
    long startMillis = System.currentTimeMillis();
    return new HttpModelCall(
        this, endpoint, HttpModelCall.read(requestBody), null, startNanos, startMillis);
  }

  /**
   * Like {@link #begin}, but reads the request body only when the call ends, on the thread that
   * ends it (for an asynchronous client, one of its own threads rather than the application's).
   * Only for bodies that read the same at any time and have no effect when read, such as the JDK
   * HttpClient's in-memory body publishers.
   */
  public HttpModelCall beginDeferred(
      String client, String rawPath, Supplier<byte[]> repeatableRequestBody) {
    if (rawPath == null || !enabledClients.contains(client)) {
      return null;
    }
    EndpointMatcher.Endpoint endpoint = endpoints.find(rawPath);
    if (endpoint == null) {
      return null;
    }
    return new HttpModelCall(
        this, endpoint, null, repeatableRequestBody, System.nanoTime(), System.currentTimeMillis());
  }
}
