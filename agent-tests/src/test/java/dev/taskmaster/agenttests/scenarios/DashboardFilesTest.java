package dev.taskmaster.agenttests.scenarios;

import static dev.taskmaster.agenttests.harness.GrafanaDashboard.string;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import dev.taskmaster.agenttests.harness.ExternalTools;
import dev.taskmaster.agenttests.harness.GrafanaDashboard;
import dev.taskmaster.agenttests.harness.GrafanaDashboard.Query;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * The shipped files of {@code dashboards/}, without a running Prometheus: the Grafana dashboard's
 * structure (what current Grafana imports, the requested panels and variables), and the Prometheus
 * configuration and recording rules through {@code promtool}, which is skipped when absent. {@link
 * PrometheusEndToEndTest} runs every query against real data.
 */
class DashboardFilesTest {

  private static final Set<String> PANEL_TYPES = Set.of("timeseries", "stat", "gauge", "table");
  private static final List<String> FILTER_VARIABLES =
      List.of("job", "instance", "model", "endpoint");

  private final GrafanaDashboard dashboard = GrafanaDashboard.load();

  @Test
  void importsIntoCurrentGrafana() {
    JsonObject json = dashboard.json();
    List<Executable> checks = new ArrayList<>();
    checks.add(() -> assertTrue(json.get("schemaVersion").getAsInt() >= 39, "schemaVersion"));
    checks.add(() -> assertTrue(json.get("id").isJsonNull(), "id must be null for an import"));
    checks.add(() -> assertEquals("taskmaster-agent", string(json, "uid")));
    Set<Integer> ids = new HashSet<>();
    List<int[]> boxes = new ArrayList<>();
    for (JsonElement element : json.getAsJsonArray("panels")) {
      JsonObject panel = element.getAsJsonObject();
      String title = string(panel, "title");
      checks.add(() -> assertTrue(ids.add(panel.get("id").getAsInt()), "duplicate id: " + title));
      JsonObject grid = panel.getAsJsonObject("gridPos");
      int[] box = {
        grid.get("x").getAsInt(),
        grid.get("y").getAsInt(),
        grid.get("w").getAsInt(),
        grid.get("h").getAsInt()
      };
      checks.add(() -> assertTrue(box[0] >= 0 && box[0] + box[2] <= 24, "beyond 24: " + title));
      for (int[] other : boxes) {
        boolean overlaps =
            box[0] < other[0] + other[2]
                && other[0] < box[0] + box[2]
                && box[1] < other[1] + other[3]
                && other[1] < box[1] + box[3];
        checks.add(() -> assertFalse(overlaps, "overlaps another panel: " + title));
      }
      boxes.add(box);
      if ("row".equals(string(panel, "type"))) {
        continue;
      }
      checks.add(() -> assertTrue(PANEL_TYPES.contains(string(panel, "type")), "type: " + title));
      checks.add(() -> assertNotNull(string(panel, "description"), "no description: " + title));
      checks.add(() -> assertUsesTheDataSourceVariable(panel.getAsJsonObject("datasource"), title));
      JsonArray targets = panel.getAsJsonArray("targets");
      checks.add(() -> assertTrue(targets != null && targets.size() > 0, "no query: " + title));
      Set<String> refIds = new HashSet<>();
      for (JsonElement target : targets) {
        JsonObject object = target.getAsJsonObject();
        checks.add(
            () -> assertUsesTheDataSourceVariable(object.getAsJsonObject("datasource"), title));
        checks.add(() -> assertTrue(refIds.add(string(object, "refId")), "refId: " + title));
      }
    }
    assertAll(checks);
  }

  @Test
  void everyQueryHonoursTheJobAndInstanceVariables() {
    Map<String, JsonObject> variables = new TreeMap<>();
    dashboard.variables().forEach(variable -> variables.put(string(variable, "name"), variable));
    JsonObject datasource = variables.get("datasource");
    assertNotNull(datasource, "no datasource variable");
    assertEquals("datasource", string(datasource, "type"));
    assertEquals("prometheus", string(datasource, "query"));
    List<Executable> checks = new ArrayList<>();
    for (String name : FILTER_VARIABLES) {
      JsonObject variable = variables.get(name);
      checks.add(() -> assertNotNull(variable, "no variable " + name));
      if (variable == null) {
        continue;
      }
      checks.add(() -> assertEquals("query", string(variable, "type"), name));
      checks.add(() -> assertTrue(variable.get("multi").getAsBoolean(), name + " multi"));
      checks.add(() -> assertTrue(variable.get("includeAll").getAsBoolean(), name + " all"));
      checks.add(() -> assertEquals(".*", string(variable, "allValue"), name + " allValue"));
      checks.add(
          () -> assertUsesTheDataSourceVariable(variable.getAsJsonObject("datasource"), name));
      checks.add(
          () ->
              assertTrue(
                  GrafanaDashboard.variableQuery(variable).startsWith("label_values("),
                  name + " query"));
    }
    // Which of model and endpoint a query must honour depends on the labels of its metrics;
    // PrometheusEndToEndTest checks that against what the agent exports.
    for (Query query : dashboard.queries()) {
      checks.add(
          () ->
              assertTrue(
                  query.expr().contains("job=~\"$job\"")
                      && query.expr().contains("instance=~\"$instance\""),
                  query.describe() + " does not filter on $job and $instance: " + query.expr()));
    }
    assertAll(checks);
  }

  @Test
  void hasTheRequestedPanels() {
    Map<String, JsonObject> panels = new TreeMap<>();
    dashboard.panels().forEach(panel -> panels.put(string(panel, "title"), panel));
    assertAll(
        () -> assertTrue(queries(panels, "Request rate by status").contains("by (status)")),
        () -> {
          String latency = queries(panels, "Latency P50, P95, P99");
          for (String quantile : List.of("0.5", "0.95", "0.99")) {
            assertTrue(
                latency.contains(
                    "histogram_quantile("
                        + quantile
                        + ", sum by (le) (rate(taskmaster_request_latency_seconds_bucket{"),
                quantile);
          }
        },
        () -> {
          JsonObject errorRate = panels.get("Error rate");
          assertEquals("percent", defaults(errorRate).get("unit").getAsString());
          assertEquals(List.of(1.0, 5.0), thresholds(errorRate));
        },
        () -> {
          JsonObject status = panels.get("Model status");
          assertTrue(queries(panels, "Model status").contains("taskmaster_model_loaded{"));
          assertEquals(Map.of("0", "DOWN", "1", "UP"), valueMappings(status));
        },
        () -> {
          JsonObject quality = panels.get("Quality score");
          assertEquals("gauge", string(quality, "type"));
          assertTrue(queries(panels, "Quality score").contains("taskmaster_quality_score{"));
          assertEquals(List.of(0.7, 0.85), thresholds(quality));
        },
        () -> {
          String tokens = queries(panels, "Input and output tokens per second");
          assertTrue(tokens.contains("rate(taskmaster_tokens_input_total{"));
          assertTrue(tokens.contains("rate(taskmaster_tokens_output_total{"));
        },
        () ->
            assertTrue(
                queries(panels, "Time to first token (streamed)")
                    .contains("taskmaster_time_to_first_token_seconds_bucket{")),
        () ->
            assertTrue(
                queries(panels, "Output tokens per second (streamed)")
                    .contains("taskmaster_output_tokens_per_second_bucket{")),
        () -> assertTrue(queries(panels, "Requests by model").contains("by (model)")),
        () -> assertTrue(queries(panels, "Requests by endpoint").contains("by (endpoint)")),
        () -> assertTrue(queries(panels, "Tokens per second by model").contains("by (model)")),
        () ->
            assertTrue(queries(panels, "Tokens per second by endpoint").contains("by (endpoint)")),
        () -> {
          for (String title :
              List.of("SLA compliance (under 500 ms)", "SLA compliance: calls under 500 ms")) {
            assertTrue(
                queries(panels, title).contains("taskmaster_request_latency_seconds_bucket{")
                    && queries(panels, title).contains("le=\"0.5\""),
                title);
          }
        },
        () -> {
          JsonObject drift = panels.get("Drift status per signal");
          assertTrue(
              queries(panels, "Drift status per signal").contains("taskmaster_drift_status"));
          assertEquals(
              Map.of("-1", "LEARNING", "0", "OK", "1", "WARNING", "2", "CRITICAL"),
              valueMappings(drift));
        },
        () -> {
          String alerts = queries(panels, "Firing alerts");
          assertTrue(alerts.contains("ALERTS{alertstate=\"firing\""));
          assertTrue(alerts.contains("taskmaster_alert_state{"));
          // Every rule shows, the drift rules (TaskMasterDriftLatency, ...) among them.
          assertFalse(alerts.contains("alertname"), alerts);
          assertFalse(queries(panels, "Agent alert states").contains("alertname="));
        },
        () -> {
          String perHour = queries(panels, "Cost per hour");
          assertTrue(perHour.startsWith("3600 * sum(rate(taskmaster_cost_usd_total{"), perHour);
          String byModel = queries(panels, "Cost per hour by model");
          assertTrue(byModel.contains("sum by (model) (rate(taskmaster_cost_usd_total{"), byModel);
          String range = queries(panels, "Cost by model in the time range");
          assertTrue(range.contains("increase(taskmaster_cost_usd_total{"), range);
          assertTrue(range.contains("[$__range]"), range);
          String unpriced = queries(panels, "Unpriced calls");
          assertTrue(unpriced.contains("taskmaster_cost_unpriced_calls_total{"), unpriced);
        },
        () -> {
          String verdicts = queries(panels, "Feedback by verdict");
          assertTrue(verdicts.contains("sum by (verdict) (rate(taskmaster_feedback_total{"));
          String satisfaction = queries(panels, "User satisfaction by model");
          assertTrue(satisfaction.contains("taskmaster_user_satisfaction{"), satisfaction);
          String positive = queries(panels, "Share of positive feedback");
          assertTrue(positive.contains("verdict=\"positive\""), positive);
        },
        () ->
            assertEquals(
                List.of(
                    "Overview",
                    "Traffic and errors",
                    "Latency",
                    "Tokens",
                    "Quality and drift",
                    "Cost",
                    "User feedback",
                    "This week against last week",
                    "Alerts and agent"),
                dashboard.json().getAsJsonArray("panels").asList().stream()
                    .map(JsonElement::getAsJsonObject)
                    .filter(panel -> "row".equals(string(panel, "type")))
                    .map(panel -> string(panel, "title"))
                    .toList()),
        () ->
            assertTrue(
                queries(panels, "Request rate: this week against last week").contains("offset 1w")),
        () ->
            assertTrue(
                queries(panels, "Latency P95: this week against last week").contains("offset 1w")));
  }

  @Test
  void thePrometheusConfigurationIsValid() {
    Path promtool = promtool();
    ExternalTools.Result result =
        ExternalTools.run(
            prometheusDirectory(),
            List.of(promtool.toString(), "check", "config", "prometheus.yml"),
            null);

    assertEquals(0, result.exitCode(), result.output());
    assertTrue(result.output().contains("SUCCESS: 2 rule files found"), result.output());
  }

  @Test
  void theRecordingRulesAreValidAndComputeWhatTheirNamesSay() {
    Path promtool = promtool();
    ExternalTools.Result check =
        ExternalTools.run(
            prometheusDirectory(),
            List.of(promtool.toString(), "check", "rules", "taskmaster-recording.yml"),
            null);
    ExternalTools.Result unitTests =
        ExternalTools.run(
            prometheusDirectory(),
            List.of(
                promtool.toString(),
                "test",
                "rules",
                "recording-tests/taskmaster-recording.test.yml"),
            null);

    assertAll(
        () -> assertEquals(0, check.exitCode(), check.output()),
        () -> assertEquals(0, unitTests.exitCode(), unitTests.output()));
  }

  private static Path promtool() {
    Path promtool = ExternalTools.promtool();
    assumeTrue(
        promtool != null,
        "promtool not found on the PATH (nor -Dpromtool, nor $PROMTOOL): skipping the checks of"
            + " dashboards/prometheus/. Install it with `apt-get install prometheus`.");
    return promtool;
  }

  private static Path prometheusDirectory() {
    return GrafanaDashboard.dashboardsDirectory().resolve("prometheus");
  }

  private static void assertUsesTheDataSourceVariable(JsonObject datasource, String where) {
    assertNotNull(datasource, "no datasource: " + where);
    assertEquals("prometheus", string(datasource, "type"), where);
    assertEquals("${datasource}", string(datasource, "uid"), where);
  }

  private static String queries(Map<String, JsonObject> panels, String title) {
    JsonObject panel = panels.get(title);
    assertNotNull(panel, "no panel \"" + title + "\"");
    StringBuilder all = new StringBuilder();
    panel
        .getAsJsonArray("targets")
        .forEach(target -> all.append(string(target.getAsJsonObject(), "expr")).append('\n'));
    return all.toString();
  }

  private static JsonObject defaults(JsonObject panel) {
    return panel.getAsJsonObject("fieldConfig").getAsJsonObject("defaults");
  }

  /** The threshold values after the base step. */
  private static List<Double> thresholds(JsonObject panel) {
    List<Double> values = new ArrayList<>();
    for (JsonElement step : defaults(panel).getAsJsonObject("thresholds").getAsJsonArray("steps")) {
      JsonElement value = step.getAsJsonObject().get("value");
      if (!value.isJsonNull()) {
        values.add(value.getAsDouble());
      }
    }
    return values;
  }

  private static Map<String, String> valueMappings(JsonObject panel) {
    Map<String, String> texts = new TreeMap<>();
    for (JsonElement mapping : defaults(panel).getAsJsonArray("mappings")) {
      JsonObject object = mapping.getAsJsonObject();
      if ("value".equals(string(object, "type"))) {
        object
            .getAsJsonObject("options")
            .entrySet()
            .forEach(
                entry ->
                    texts.put(entry.getKey(), string(entry.getValue().getAsJsonObject(), "text")));
      }
    }
    return texts;
  }
}
