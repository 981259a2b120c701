package dev.taskmaster.agenttests.harness;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Grafana dashboard shipped in {@code dashboards/grafana/}, read as JSON: its panels (those
 * inside rows included), their Prometheus queries, and its variables.
 */
public final class GrafanaDashboard {

  /** {@code $name}, {@code ${name}}, {@code ${name:format}} and the old {@code [[name]]}. */
  private static final Pattern VARIABLE =
      Pattern.compile("\\$\\{(\\w+)(?::\\w+)?}|\\$(\\w+)|\\[\\[(\\w+)]]");

  private final JsonObject json;

  private GrafanaDashboard(JsonObject json) {
    this.json = json;
  }

  /** The repository's {@code dashboards/} directory. */
  public static Path dashboardsDirectory() {
    // Surefire runs in agent-tests/ and sets basedir to it.
    Path module = Path.of(System.getProperty("basedir", ".")).toAbsolutePath().normalize();
    Path directory = module.getParent().resolve("dashboards");
    if (!Files.isDirectory(directory)) {
      throw new IllegalStateException("no dashboards directory at " + directory);
    }
    return directory;
  }

  /** {@code dashboards/grafana/taskmaster.json}. */
  public static GrafanaDashboard load() {
    return load(dashboardsDirectory().resolve("grafana/taskmaster.json"));
  }

  public static GrafanaDashboard load(Path file) {
    try {
      return new GrafanaDashboard(
          JsonParser.parseString(Files.readString(file, StandardCharsets.UTF_8)).getAsJsonObject());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The dashboard's JSON model. */
  public JsonObject json() {
    return json;
  }

  /** One query of a panel. */
  public record Query(String panel, String refId, String expr) {

    /** Whether the query looks a week back, so that a fresh Prometheus has no data for it. */
    public boolean needsLastWeek() {
      return expr.contains("offset 1w");
    }

    /**
     * The query with every variable replaced by its value, as Grafana would send it.
     *
     * @throws AssertionError for a variable that has no value here
     */
    public String expand(Map<String, String> values) {
      Matcher matcher = VARIABLE.matcher(expr);
      StringBuilder expanded = new StringBuilder();
      while (matcher.find()) {
        String name =
            matcher.group(1) != null
                ? matcher.group(1)
                : matcher.group(2) != null ? matcher.group(2) : matcher.group(3);
        String value = values.get(name);
        if (value == null) {
          throw new AssertionError(
              "panel \"" + panel + "\" query " + refId + " uses an unknown variable $" + name);
        }
        matcher.appendReplacement(expanded, Matcher.quoteReplacement(value));
      }
      matcher.appendTail(expanded);
      return expanded.toString();
    }

    /** {@code "title" (refId)} for messages. */
    public String describe() {
      return "\"" + panel + "\" (" + refId + ")";
    }
  }

  /** Every panel that is not a row, in the order of the file; panels within rows included. */
  public List<JsonObject> panels() {
    List<JsonObject> panels = new ArrayList<>();
    for (JsonElement element : json.getAsJsonArray("panels")) {
      JsonObject panel = element.getAsJsonObject();
      if ("row".equals(string(panel, "type"))) {
        JsonArray nested = panel.getAsJsonArray("panels");
        if (nested != null) {
          nested.forEach(inner -> panels.add(inner.getAsJsonObject()));
        }
      } else {
        panels.add(panel);
      }
    }
    return panels;
  }

  /** The titles of all panels that are not rows. */
  public List<String> panelTitles() {
    List<String> titles = new ArrayList<>();
    panels().forEach(panel -> titles.add(string(panel, "title")));
    return titles;
  }

  /** Every query of every panel. */
  public List<Query> queries() {
    List<Query> queries = new ArrayList<>();
    for (JsonObject panel : panels()) {
      JsonArray targets = panel.getAsJsonArray("targets");
      if (targets == null) {
        continue;
      }
      for (JsonElement target : targets) {
        JsonObject object = target.getAsJsonObject();
        queries.add(
            new Query(string(panel, "title"), string(object, "refId"), string(object, "expr")));
      }
    }
    return queries;
  }

  /** The dashboard's variables ({@code templating.list}). */
  public List<JsonObject> variables() {
    List<JsonObject> variables = new ArrayList<>();
    json.getAsJsonObject("templating")
        .getAsJsonArray("list")
        .forEach(variable -> variables.add(variable.getAsJsonObject()));
    return variables;
  }

  /** The query of a query variable, such as {@code label_values(metric{...}, label)}. */
  public static String variableQuery(JsonObject variable) {
    JsonElement query = variable.get("query");
    return query.isJsonObject() ? string(query.getAsJsonObject(), "query") : query.getAsString();
  }

  /** A string member, or {@code null} when absent. */
  public static String string(JsonObject object, String member) {
    JsonElement value = object.get(member);
    return value == null || value.isJsonNull() ? null : value.getAsString();
  }
}
