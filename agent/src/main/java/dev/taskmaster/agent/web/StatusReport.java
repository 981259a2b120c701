package dev.taskmaster.agent.web;

import com.google.gson.stream.JsonWriter;
import dev.taskmaster.agent.alerting.Alert;
import dev.taskmaster.agent.alerting.AlertState;
import dev.taskmaster.agent.feedback.FeedbackService;
import java.io.IOException;
import java.io.StringWriter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * The answer of {@code GET /api/status}, which the status page polls: the {@link StatusHistory}'s
 * series and recent calls, plus the current cost, feedback, drift state and alerts.
 *
 * <pre>{@code
 * {"service":"checkout","version":"0.1.0","now":1767225600000,"uptime_seconds":812.4,
 *  "series":{"timestamps":[...],"requests":{"success":[...],...},...},
 *  "recent":[{"request_id":"chatcmpl-1","model":"gpt-4o-mini","status":"success",...}],
 *  "cost":{"total_usd":0.0123,"by_model":{"gpt-4o-mini":0.0123},"unpriced_calls":{}},
 *  "feedback":{"enabled":true,"accepted":40,"satisfaction":[...]},
 *  "drift":[{"signal":"latency","status":"ok","score":0.1,"baseline":0.8,"current":0.82}],
 *  "alerts":[{"name":"TaskMasterHighLatency","state":"firing","runbook":"1. ...",...}]}
 * }</pre>
 */
public final class StatusReport {

  private static final String[] DRIFT_STATUS = {"learning", "ok", "warning", "critical"};

  private final String service;
  private final String version;
  private final long startMillis;
  private final LongSupplier clock;
  private final StatusHistory history;
  private final GaugeReader gauges;
  private final FeedbackService feedback;
  private final Supplier<List<Alert>> alerts;

  /**
   * @param feedback the feedback loop, or {@code null} when it is off
   * @param alerts every registered rule's alert
   */
  StatusReport(
      String service,
      String version,
      long startMillis,
      LongSupplier clock,
      StatusHistory history,
      GaugeReader gauges,
      FeedbackService feedback,
      Supplier<List<Alert>> alerts) {
    this.service = service;
    this.version = version;
    this.startMillis = startMillis;
    this.clock = clock;
    this.history = history;
    this.gauges = gauges;
    this.feedback = feedback;
    this.alerts = alerts;
  }

  /**
   * What the history samples as each slot closes: the mean quality score of the endpoints and
   * models that have one, the users' satisfaction over {@code feedback.window} (every score counts,
   * whatever {@code feedback.min-count}), and each drift signal's score.
   */
  static StatusHistory.Sample sample(GaugeReader gauges, FeedbackService feedback) {
    Map<String, List<GaugeReader.Point>> read = gauges.read(Set.of("quality_score", "drift_score"));
    Map<String, Double> drift = new HashMap<>();
    for (GaugeReader.Point point : read.getOrDefault("drift_score", List.of())) {
      if (point.label("signal") != null) {
        drift.put(point.label("signal"), point.value);
      }
    }
    return new StatusHistory.Sample(
        GaugeReader.mean(read.get("quality_score")), satisfaction(feedback), drift);
  }

  private static double satisfaction(FeedbackService feedback) {
    if (feedback == null) {
      return Double.NaN;
    }
    double sum = 0;
    long count = 0;
    for (FeedbackService.Satisfaction s : feedback.satisfaction()) {
      sum += s.sum;
      count += s.count;
    }
    return count == 0 ? Double.NaN : sum / count;
  }

  /** The JSON answer. */
  String json() throws IOException {
    long now = clock.getAsLong();
    StringWriter text = new StringWriter(16_384);
    JsonWriter json = new JsonWriter(text);
    json.setSerializeNulls(true);
    json.beginObject();
    json.name("service").value(service);
    json.name("version").value(version);
    json.name("now").value(now);
    json.name("uptime_seconds").value(Math.max(0, now - startMillis) / 1000.0);
    json.name("series").beginObject();
    history.writeSeries(json);
    json.endObject();
    json.name("recent");
    history.writeRecent(json);
    Map<String, List<GaugeReader.Point>> read =
        gauges.read(
            Set.of(
                "cost_usd",
                "cost_unpriced_calls",
                "feedback",
                "drift_status",
                "drift_score",
                "drift_baseline",
                "drift_current"));
    writeCost(json, read);
    writeFeedback(json, read);
    writeDrift(json, read);
    writeAlerts(json);
    json.endObject();
    json.flush();
    return text.toString();
  }

  private static void writeCost(JsonWriter json, Map<String, List<GaugeReader.Point>> read)
      throws IOException {
    json.name("cost").beginObject();
    json.name("enabled").value(read.containsKey("cost_usd"));
    json.name("total_usd");
    StatusHistory.number(json, GaugeReader.sum(read.get("cost_usd")));
    json.name("by_model").beginObject();
    for (Map.Entry<String, Double> model : byModel(read.get("cost_usd")).entrySet()) {
      json.name(model.getKey());
      StatusHistory.number(json, model.getValue());
    }
    json.endObject();
    json.name("unpriced_calls").beginObject();
    for (Map.Entry<String, Double> model : byModel(read.get("cost_unpriced_calls")).entrySet()) {
      json.name(model.getKey()).value(model.getValue().longValue());
    }
    json.endObject();
    json.endObject();
  }

  private void writeFeedback(JsonWriter json, Map<String, List<GaugeReader.Point>> read)
      throws IOException {
    json.name("feedback").beginObject();
    json.name("enabled").value(feedback != null);
    json.name("accepted").value((long) GaugeReader.sum(read.get("feedback")));
    json.name("satisfaction").beginArray();
    if (feedback != null) {
      for (FeedbackService.Satisfaction s : feedback.satisfaction()) {
        json.beginObject();
        json.name("endpoint").value(s.endpoint);
        json.name("model").value(s.model);
        json.name("mean");
        StatusHistory.number(json, s.mean);
        json.name("count").value(s.count);
        json.endObject();
      }
    }
    json.endArray();
    json.endObject();
  }

  private static void writeDrift(JsonWriter json, Map<String, List<GaugeReader.Point>> read)
      throws IOException {
    Map<String, double[]> bySignal = new TreeMap<>();
    String[] names = {"drift_status", "drift_score", "drift_baseline", "drift_current"};
    for (int i = 0; i < names.length; i++) {
      for (GaugeReader.Point point : read.getOrDefault(names[i], List.of())) {
        String signal = point.label("signal");
        if (signal != null) {
          double[] values =
              bySignal.computeIfAbsent(
                  signal, s -> new double[] {Double.NaN, Double.NaN, Double.NaN, Double.NaN});
          values[i] = point.value;
        }
      }
    }
    json.name("drift").beginArray();
    for (Map.Entry<String, double[]> signal : bySignal.entrySet()) {
      double[] values = signal.getValue();
      int status = Double.isNaN(values[0]) ? -1 : (int) values[0];
      json.beginObject();
      json.name("signal").value(signal.getKey());
      json.name("status").value(DRIFT_STATUS[Math.max(0, Math.min(3, status + 1))]);
      json.name("score");
      StatusHistory.number(json, values[1]);
      json.name("baseline");
      StatusHistory.number(json, values[2]);
      json.name("current");
      StatusHistory.number(json, values[3]);
      json.endObject();
    }
    json.endArray();
  }

  private void writeAlerts(JsonWriter json) throws IOException {
    json.name("alerts").beginArray();
    for (Alert alert : alerts.get()) {
      if (alert.state() != AlertState.FIRING && alert.state() != AlertState.PENDING) {
        continue;
      }
      json.beginObject();
      json.name("name").value(alert.name());
      json.name("state").value(alert.state().label());
      json.name("severity").value(alert.severity().label());
      Instant since = alert.state() == AlertState.FIRING ? alert.firedAt() : alert.activeAt();
      json.name("since").value(since == null ? null : since.toString());
      Map<String, String> annotations = alert.annotations();
      json.name("value").value(annotations.get("value"));
      json.name("summary").value(annotations.get("summary"));
      json.name("description").value(annotations.get("description"));
      json.name("runbook").value(annotations.get("runbook"));
      json.endObject();
    }
    json.endArray();
  }

  private static Map<String, Double> byModel(List<GaugeReader.Point> points) {
    Map<String, Double> byModel = new TreeMap<>();
    for (GaugeReader.Point point : points == null ? new ArrayList<GaugeReader.Point>() : points) {
      String model = point.label("model");
      if (model != null && !Double.isNaN(point.value)) {
        byModel.merge(model, point.value, Double::sum);
      }
    }
    return byModel;
  }
}
