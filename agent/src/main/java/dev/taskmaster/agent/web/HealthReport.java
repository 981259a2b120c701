package dev.taskmaster.agent.web;

import com.google.gson.stream.JsonWriter;
import java.io.IOException;
import java.io.StringWriter;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;

/**
 * The answer of {@code GET /health}: the agent's version and uptime, the state of its exporter and
 * instrumentation, and whether the model is up.
 *
 * <pre>{@code
 * {"status":"ok","service":"checkout","version":"0.1.0","started_at":"2026-01-01T12:00:00Z",
 *  "uptime_seconds":812.4,
 *  "exporter":{"state":"serving","port":9470},
 *  "instrumentation":{"state":"active","http_recognition":true,"http_clients":["jdk"],
 *    "interceptions":[{"name":"chat","class":"com.example.Llm","method":"complete",
 *                      "classes_matched":1}],
 *    "calls_recorded":120,"agent_errors":0},
 *  "model":{"up":true,"models":{"gpt-4o-mini":true}}}
 * }</pre>
 *
 * <p>{@code status} is {@code ok}, or {@code degraded} when the agent swallowed failures of its own
 * ({@code agent_errors} above 0) or a model is down; the HTTP status is 200 either way, since the
 * application itself is not judged here.
 */
public final class HealthReport {

  /** One configured interception and how many classes it matched so far. */
  public static final class Interception {
    final String name;
    final String className;
    final String method;
    final IntSupplier matchedClasses;

    public Interception(String name, String className, String method, IntSupplier matched) {
      this.name = name;
      this.className = className;
      this.method = method;
      this.matchedClasses = matched;
    }
  }

  private final String service;
  private final String version;
  private final long startMillis;
  private final LongSupplier clock;
  private final boolean httpRecognition;
  private final List<String> httpClients;
  private final List<Interception> interceptions;
  private final GaugeReader gauges;

  HealthReport(
      String service,
      String version,
      long startMillis,
      LongSupplier clock,
      boolean httpRecognition,
      List<String> httpClients,
      List<Interception> interceptions,
      GaugeReader gauges) {
    this.service = service;
    this.version = version;
    this.startMillis = startMillis;
    this.clock = clock;
    this.httpRecognition = httpRecognition;
    this.httpClients = List.copyOf(httpClients);
    this.interceptions = List.copyOf(interceptions);
    this.gauges = gauges;
  }

  /** The JSON answer, for an exporter listening on {@code port}. */
  String json(int port) throws IOException {
    Map<String, List<GaugeReader.Point>> read =
        gauges.read(Set.of("agent_errors", "requests", "model_loaded"));
    long agentErrors = (long) GaugeReader.sum(read.get("agent_errors"));
    Map<String, Boolean> models = new TreeMap<>();
    for (GaugeReader.Point point : read.getOrDefault("model_loaded", List.of())) {
      String model = point.label("model");
      if (model != null) {
        models.merge(model, point.value >= 1, Boolean::logicalAnd);
      }
    }
    Boolean up = models.isEmpty() ? null : !models.containsValue(Boolean.FALSE);
    long now = clock.getAsLong();

    StringWriter text = new StringWriter(1024);
    JsonWriter json = new JsonWriter(text);
    json.setSerializeNulls(true);
    json.beginObject();
    json.name("status").value(agentErrors == 0 && !Boolean.FALSE.equals(up) ? "ok" : "degraded");
    json.name("service").value(service);
    json.name("version").value(version);
    json.name("started_at").value(Instant.ofEpochMilli(startMillis).toString());
    json.name("uptime_seconds").value(Math.max(0, now - startMillis) / 1000.0);
    json.name("exporter").beginObject();
    json.name("state").value("serving");
    json.name("port").value(port);
    json.endObject();
    json.name("instrumentation").beginObject();
    json.name("state").value("active");
    json.name("http_recognition").value(httpRecognition);
    json.name("http_clients").beginArray();
    for (String client : httpRecognition ? httpClients : List.<String>of()) {
      json.value(client);
    }
    json.endArray();
    json.name("interceptions").beginArray();
    for (Interception interception : interceptions) {
      json.beginObject();
      json.name("name").value(interception.name);
      json.name("class").value(interception.className);
      json.name("method").value(interception.method);
      json.name("classes_matched").value(interception.matchedClasses.getAsInt());
      json.endObject();
    }
    json.endArray();
    json.name("calls_recorded").value((long) GaugeReader.sum(read.get("requests")));
    json.name("agent_errors").value(agentErrors);
    json.endObject();
    json.name("model").beginObject();
    json.name("up").value(up);
    json.name("models").beginObject();
    for (Map.Entry<String, Boolean> model : models.entrySet()) {
      json.name(model.getKey()).value(model.getValue());
    }
    json.endObject();
    json.endObject();
    json.endObject();
    json.flush();
    return text.toString();
  }
}
