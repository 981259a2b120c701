package dev.taskmaster.agenttests.harness;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import javax.net.ssl.SSLContext;

/**
 * Requests to the agent's port with the JDK's {@link HttpClient}, over HTTP or over HTTPS with a
 * client that trusts a given certificate, with or without basic credentials.
 */
public final class ExporterClient {

  /** One answer. */
  public record Answer(int status, String body, HttpResponse<String> response) {

    /** The first value of a response header, or null. */
    public String header(String name) {
      return response.headers().firstValue(name).orElse(null);
    }
  }

  private final HttpClient client;
  private final String scheme;
  private final int port;
  private String authorization;

  private ExporterClient(HttpClient client, String scheme, int port) {
    this.client = client;
    this.scheme = scheme;
    this.port = port;
  }

  /** A plain-HTTP client of the agent's port on 127.0.0.1. */
  public static ExporterClient http(int port) {
    return new ExporterClient(builder().build(), "http", port);
  }

  /** An HTTPS client of the agent's port on 127.0.0.1 that trusts {@code trust}. */
  public static ExporterClient https(int port, SSLContext trust) {
    return new ExporterClient(builder().sslContext(trust).build(), "https", port);
  }

  private static HttpClient.Builder builder() {
    return HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5));
  }

  /** Sends these basic credentials from now on. */
  public ExporterClient credentials(String user, String password) {
    return authorization(
        "Basic "
            + Base64.getEncoder()
                .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8)));
  }

  /** Sends this {@code Authorization} header from now on; null for none. */
  public ExporterClient authorization(String value) {
    this.authorization = value;
    return this;
  }

  /** The URI of a path on the agent's port. */
  public URI uri(String path) {
    return URI.create(scheme + "://127.0.0.1:" + port + path);
  }

  /** A GET. */
  public Answer get(String path) throws IOException {
    return send(HttpRequest.newBuilder(uri(path)).GET());
  }

  /** A POST of a JSON body. */
  public Answer postJson(String path, String json) throws IOException {
    return send(
        HttpRequest.newBuilder(uri(path))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(json)));
  }

  /** A GET that must answer 200; returns the body. */
  public String body(String path) {
    try {
      Answer answer = get(path);
      if (answer.status() != 200) {
        throw new AssertionError("GET " + uri(path) + " answered " + answer.status());
      }
      return answer.body();
    } catch (IOException e) {
      throw new UncheckedIOException("GET " + uri(path), e);
    }
  }

  private Answer send(HttpRequest.Builder request) throws IOException {
    if (authorization != null) {
      request.header("Authorization", authorization);
    }
    try {
      HttpResponse<String> response =
          client.send(
              request.timeout(Duration.ofSeconds(10)).build(),
              HttpResponse.BodyHandlers.ofString());
      return new Answer(response.statusCode(), response.body(), response);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
  }
}
