package dev.taskmaster.agenttests.harness;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A client of the HTTP API of a Prometheus server ({@code /api/v1/...}). */
public final class PrometheusApi {

  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private final URI base;

  public PrometheusApi(URI base) {
    this.base = base;
  }

  /**
   * The answer to an instant query: {@code success} with the labels of every series, or {@code
   * error} with Prometheus's message.
   */
  public record QueryResult(String status, String error, List<Map<String, String>> series) {

    public boolean succeeded() {
      return "success".equals(status);
    }

    public boolean hasData() {
      return succeeded() && !series.isEmpty();
    }

    /** A short description for failure messages. */
    public String describe() {
      return succeeded() ? series.size() + " series" : "error: " + error;
    }
  }

  /** Runs an instant query at the current time. */
  public QueryResult query(String promql) {
    JsonObject answer = get("/api/v1/query?query=" + encode(promql));
    String status = answer.get("status").getAsString();
    if (!"success".equals(status)) {
      return new QueryResult(status, string(answer, "error"), List.of());
    }
    List<Map<String, String>> series = new ArrayList<>();
    JsonObject data = answer.getAsJsonObject("data");
    if ("vector".equals(data.get("resultType").getAsString())) {
      for (JsonElement element : data.getAsJsonArray("result")) {
        Map<String, String> labels = new LinkedHashMap<>();
        element
            .getAsJsonObject()
            .getAsJsonObject("metric")
            .entrySet()
            .forEach(label -> labels.put(label.getKey(), label.getValue().getAsString()));
        series.add(labels);
      }
    } else {
      // A scalar (or string) result is one value without labels.
      series.add(Map.of());
    }
    return new QueryResult(status, null, series);
  }

  /** The values of a label among the series that match a selector, as Grafana's label_values. */
  public List<String> labelValues(String label, String match) {
    JsonObject answer = get("/api/v1/label/" + encode(label) + "/values?match[]=" + encode(match));
    if (!"success".equals(answer.get("status").getAsString())) {
      throw new AssertionError(
          "label values of " + label + " for " + match + ": " + string(answer, "error"));
    }
    List<String> values = new ArrayList<>();
    answer.getAsJsonArray("data").forEach(value -> values.add(value.getAsString()));
    return values;
  }

  /** The JSON answer of a GET, whatever its HTTP status (errors carry JSON too). */
  public JsonObject get(String pathAndQuery) {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(base + pathAndQuery))
            .timeout(Duration.ofSeconds(10))
            .GET()
            .build();
    try {
      HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
      try {
        return JsonParser.parseString(response.body()).getAsJsonObject();
      } catch (RuntimeException notJson) {
        throw new AssertionError(
            "GET " + request.uri() + " answered " + response.statusCode() + ": " + response.body());
      }
    } catch (IOException e) {
      throw new UncheckedIOException("GET " + request.uri(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted during GET " + request.uri(), e);
    }
  }

  private static String string(JsonObject object, String member) {
    JsonElement value = object.get(member);
    return value == null || value.isJsonNull() ? null : value.getAsString();
  }

  private static String encode(String text) {
    return URLEncoder.encode(text, StandardCharsets.UTF_8);
  }
}
