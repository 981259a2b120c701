package dev.taskmaster.agent.alerting;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;

/** The JSON bodies of the HTTP notifiers. */
final class AlertJson {

  private static final Gson GSON =
      new GsonBuilder().disableHtmlEscaping().serializeNulls().create();

  /** RFC 3339 in UTC with milliseconds, as Alertmanager and webhook receivers read it. */
  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

  private AlertJson() {}

  static byte[] bytes(JsonElement json) {
    return GSON.toJson(json).getBytes(StandardCharsets.UTF_8);
  }

  static String time(Instant instant) {
    return instant == null ? null : TIME.format(instant);
  }

  /** The generic webhook's body: one alert with its labels, annotations, state and times. */
  static JsonObject webhook(Alert alert) {
    JsonObject json = new JsonObject();
    json.addProperty("version", "1");
    json.addProperty("source", "taskmaster-agent");
    json.addProperty("status", alert.state().label());
    json.addProperty("alertname", alert.name());
    json.addProperty("severity", alert.severity().label());
    json.add("labels", map(alert.labels()));
    json.add("annotations", map(alert.annotations()));
    json.add(
        "value",
        Double.isFinite(alert.value()) ? new JsonPrimitive(alert.value()) : JsonNull.INSTANCE);
    json.addProperty("activeAt", time(alert.activeAt()));
    json.addProperty("startsAt", time(alert.firedAt()));
    json.addProperty("endsAt", time(alert.resolvedAt()));
    return json;
  }

  /**
   * Alertmanager's {@code POST /api/v2/alerts} body. A firing alert's {@code endsAt} lies {@code
   * validFor} ahead, so that Alertmanager resolves it by itself if the JVM stops sending.
   */
  static JsonArray alertmanager(List<Alert> alerts, Instant now, java.time.Duration validFor) {
    JsonArray array = new JsonArray();
    for (Alert alert : alerts) {
      JsonObject json = new JsonObject();
      json.add("labels", map(alert.labels()));
      json.add("annotations", map(alert.annotations()));
      json.addProperty("startsAt", time(alert.firedAt()));
      Instant ends = alert.resolvedAt() != null ? alert.resolvedAt() : now.plus(validFor);
      json.addProperty("endsAt", time(ends));
      array.add(json);
    }
    return array;
  }

  /** A Slack incoming-webhook message: a line of text and a coloured attachment. */
  static JsonObject slack(Alert alert) {
    boolean firing = alert.state() == AlertState.FIRING;
    Map<String, String> annotations = alert.annotations();
    String headline =
        (firing ? "[FIRING] " : "[RESOLVED] ")
            + alert.name()
            + " ("
            + alert.severity().label()
            + "): "
            + annotations.getOrDefault("summary", "");
    StringBuilder text = new StringBuilder(annotations.getOrDefault("description", ""));
    if (annotations.containsKey("value")) {
      text.append("\n*Value:* ").append(annotations.get("value"));
    }
    if (firing && !annotations.getOrDefault("runbook", "").isEmpty()) {
      text.append("\n*Runbook:*\n").append(annotations.get("runbook"));
    }
    StringBuilder footer = new StringBuilder();
    for (Map.Entry<String, String> label : alert.labels().entrySet()) {
      if (!label.getKey().equals("alertname") && !label.getKey().equals("severity")) {
        footer.append(footer.length() == 0 ? "" : ", ");
        footer.append(label.getKey()).append('=').append(label.getValue());
      }
    }
    JsonObject attachment = new JsonObject();
    attachment.addProperty(
        "color",
        !firing ? "#2eb67d" : alert.severity() == Severity.CRITICAL ? "#e01e5a" : "#ecb22e");
    attachment.addProperty("fallback", escape(headline));
    attachment.addProperty("title", escape(headline));
    attachment.addProperty("text", escape(text.toString()));
    attachment.addProperty("footer", escape(footer.toString()));
    Instant at = firing ? alert.firedAt() : alert.resolvedAt();
    if (at != null) {
      attachment.addProperty("ts", at.getEpochSecond());
    }
    JsonArray attachments = new JsonArray();
    attachments.add(attachment);
    JsonObject json = new JsonObject();
    json.addProperty("text", escape(headline));
    json.add("attachments", attachments);
    return json;
  }

  /** Slack reads {@code &}, {@code <} and {@code >} as markup; they must be escaped. */
  static String escape(String text) {
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
  }

  private static JsonObject map(Map<String, String> values) {
    JsonObject json = new JsonObject();
    values.forEach(json::addProperty);
    return json;
  }
}
