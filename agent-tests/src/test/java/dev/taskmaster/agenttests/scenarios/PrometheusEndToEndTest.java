package dev.taskmaster.agenttests.scenarios;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.taskmaster.agenttests.harness.AgentJvm;
import dev.taskmaster.agenttests.harness.ExitGuard;
import dev.taskmaster.agenttests.harness.ExternalTools;
import dev.taskmaster.agenttests.harness.GrafanaDashboard;
import dev.taskmaster.agenttests.harness.GrafanaDashboard.Query;
import dev.taskmaster.agenttests.harness.MetricsSnapshot;
import dev.taskmaster.agenttests.harness.PrometheusApi;
import dev.taskmaster.agenttests.harness.PrometheusApi.QueryResult;
import dev.taskmaster.agenttests.harness.ServerProcess;
import dev.taskmaster.agenttests.harness.TestEnvironment;
import dev.taskmaster.agenttests.harness.WebhookReceiver;
import dev.taskmaster.sample.TaskMasterAppFixture;
import dev.taskmaster.sample.server.ModelServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * End to end with real components: the sample application under the agent (a share of its calls
 * streamed), against the model server in this JVM; a real Prometheus that scrapes the agent every
 * second and evaluates the generated alerting rules (their {@code for} shortened through the rules
 * command) and our recording rules; a real Alertmanager that routes to a webhook receiver in this
 * JVM.
 *
 * <ol>
 *   <li>After normal traffic, every query of every panel of the Grafana dashboard returns data,
 *       with the variables at All and again at the labels of one streamed call. Queries that look a
 *       week back ({@code offset 1w}) are only checked to be valid: a fresh Prometheus has no week
 *       of history. Panels that show failures are checked during the failure.
 *   <li>The model server fails every call: {@code TaskMasterHighErrorRate} fires in Prometheus and
 *       reaches the webhook through Alertmanager; after recovery Alertmanager sends its resolution.
 *   <li>Every recording rule yields data.
 *   <li>Every label selector of the dashboard names a metric the agent really exports, and filters
 *       on each of the variables {@code job}, {@code instance}, {@code model}, {@code endpoint}
 *       whose label that metric carries. {@code promtool check metrics} finds nothing to report in
 *       the agent's {@code /metrics}.
 * </ol>
 *
 * Skipped when prometheus, promtool or the Alertmanager binary is missing.
 */
class PrometheusEndToEndTest {

  private static final String ALERT = "TaskMasterHighErrorRate";

  /** The sample app's Ollama model: one without a bundled price, so its calls count as unpriced. */
  private static final String LOCAL_MODEL = "qwen2.5";

  /**
   * Grafana's built-in intervals. With a 1 s scrape interval Grafana would make {@code
   * $__rate_interval} at least 4 s; 30 s holds enough samples for steady rates.
   */
  private static final Map<String, String> GRAFANA_INTERVALS =
      Map.of("__rate_interval", "30s", "__interval", "5s", "__range", "5m");

  /** Panels that show data only while calls fail or alerts fire: checked during the failure. */
  private static final Set<String> FAILURE_PANELS = Set.of("Errors by kind", "Firing alerts");

  /**
   * Panels of calls that a streamed call is not among: unpriced calls are those of the local model.
   * Checked with the variables at All only.
   */
  private static final Set<String> NOT_STREAMED_PANELS = Set.of("Unpriced calls");

  private static final Set<String> FILTER_VARIABLES =
      Set.of("job", "instance", "model", "endpoint");

  /** A label selector: a metric name followed by its matchers. */
  private static final Pattern SELECTOR = Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)\\{([^}]*)}");

  /** A metric of ours named without any matcher. */
  private static final Pattern BARE_METRIC = Pattern.compile("\\btaskmaster_\\w+\\b(?!\\{)");

  private static final Pattern LABEL_VALUES = Pattern.compile("label_values\\((.*),\\s*(\\w+)\\)");

  private static final Duration DATA_TIMEOUT = Duration.ofSeconds(60);
  private static final Duration ALERT_TIMEOUT = Duration.ofSeconds(60);

  private final GrafanaDashboard dashboard = GrafanaDashboard.load();
  private final List<String> timeline = new ArrayList<>();
  private final long start = System.nanoTime();

  @Test
  void everyPanelShowsDataAndTheErrorRateAlertFiresAndResolvesThroughAlertmanager() {
    Path prometheusBinary = ExternalTools.prometheus();
    Path promtool = ExternalTools.promtool();
    Path alertmanagerBinary = ExternalTools.alertmanager();
    List<String> missing = new ArrayList<>();
    if (prometheusBinary == null) {
      missing.add("prometheus (-Dprometheus, $PROMETHEUS)");
    }
    if (promtool == null) {
      missing.add("promtool (-Dpromtool, $PROMTOOL)");
    }
    if (alertmanagerBinary == null) {
      missing.add("prometheus-alertmanager (-Dalertmanager, $ALERTMANAGER)");
    }
    assumeTrue(
        missing.isEmpty(),
        "not found on the PATH: "
            + String.join(", ", missing)
            + ". Skipping the end-to-end test; install them with"
            + " `apt-get install prometheus prometheus-alertmanager`.");

    try (ModelServer server = ModelServer.start(0);
        WebhookReceiver receiver = WebhookReceiver.start();
        AgentJvm app = sampleApp(server, receiver, freePort()).start();
        ExitGuard appGuard = ExitGuard.of(app);
        ServerProcess alertmanager = startAlertmanager(alertmanagerBinary, receiver);
        ServerProcess prometheus = startPrometheus(prometheusBinary, app.port(), alertmanager)) {
      // Streamed answers arrive over some time, as from a real model.
      server.behaviour().chunkDelayMillis(5);
      PrometheusApi api = new PrometheusApi(prometheus.uri());
      Supplier<String> diagnostics =
          () ->
              String.join(
                  "\n",
                  "",
                  prometheus.logTail(20),
                  alertmanager.logTail(20),
                  "--- sample app ---",
                  app.describe());
      mark("started the model server, the sample app, Alertmanager and Prometheus");

      for (String model : List.of("gpt-4o-mini", LOCAL_MODEL)) {
        awaitQuery(
            api,
            "taskmaster_requests_total{model=\"" + model + "\",status=\"success\"} > 0",
            DATA_TIMEOUT,
            "successful call to " + model + " in Prometheus",
            diagnostics);
      }
      mark("Prometheus has scraped successful calls of both clients of the sample app");

      List<Query> normal = new ArrayList<>();
      List<Query> lastWeek = new ArrayList<>();
      List<Query> duringFailure = new ArrayList<>();
      for (Query query : dashboard.queries()) {
        if (query.needsLastWeek()) {
          lastWeek.add(query);
        } else if (FAILURE_PANELS.contains(query.panel())) {
          duringFailure.add(query);
        } else {
          normal.add(query);
        }
      }
      assertTrue(
          dashboard.panelTitles().containsAll(FAILURE_PANELS)
              && dashboard.panelTitles().containsAll(NOT_STREAMED_PANELS),
          "a panel of " + FAILURE_PANELS + " or " + NOT_STREAMED_PANELS + " was renamed");
      assertTrue(lastWeek.size() >= 2, "no week-over-week queries");
      Map<String, String> all = variables(".*", ".*", ".*", ".*");
      awaitData(api, normal, all, DATA_TIMEOUT, "during normal traffic, variables at All");
      mark("every panel shows data (variables at All)");
      assertValidQueries(api, lastWeek, all);
      assertVariablesHaveValues(api);

      Map<String, String> streamed = streamedCallLabels(api);
      awaitData(
          api,
          normal.stream().filter(query -> !NOT_STREAMED_PANELS.contains(query.panel())).toList(),
          variables(
              streamed.get("job"),
              streamed.get("instance"),
              streamed.get("model"),
              streamed.get("endpoint")),
          Duration.ofSeconds(10),
          "with the variables at the labels of a streamed call " + streamed);
      mark("every panel shows data (variables at " + streamed + ")");

      String instance = "127.0.0.1:" + app.port();
      String firing = "ALERTS{alertname=\"" + ALERT + "\",alertstate=\"firing\"}";
      server.behaviour().errorRate(1.0);
      mark("the model server fails every call");
      awaitQuery(
          api,
          firing.replace("}", ",instance=\"" + instance + "\"}"),
          ALERT_TIMEOUT,
          ALERT + " firing in Prometheus",
          diagnostics);
      mark(ALERT + " fires in Prometheus");
      awaitNotification(receiver, "firing", instance, diagnostics);
      mark(ALERT + " reached the webhook through Alertmanager");
      awaitData(api, duringFailure, all, Duration.ofSeconds(30), "while calls fail");
      mark("the failure panels show data");

      server.behaviour().errorRate(0);
      mark("the model server recovered");
      awaitNotification(receiver, "resolved", instance, diagnostics);
      mark("Alertmanager sent the resolution of " + ALERT);
      assertEquals(
          List.of(),
          api.query(firing).series(),
          ALERT + " still firing in Prometheus after its resolution was sent");

      awaitData(api, recordingRules(), Map.of(), Duration.ofSeconds(10), "recording rules");
      mark("every recording rule yields data");

      // Now that calls have failed, the error metrics exist too.
      MetricsSnapshot scrape = app.scrape();
      assertSelectorsHonourTheVariables(scrape);
      assertPromtoolFindsNoProblem(promtool, scrape.text());
      assertEquals(
          0.0,
          scrape.sum("taskmaster_agent_errors_total"),
          () -> "the agent swallowed failures\n" + app.describe());
    } finally {
      System.out.println("PrometheusEndToEndTest timeline:\n" + String.join("\n", timeline));
    }
  }

  /**
   * The sample app at 5 calls a second; its users rate half the OpenAI answers through the agent's
   * {@code POST /feedback} (so that the feedback panels have data), and its Ollama model is one the
   * bundled price table does not know (so that the unpriced-calls panel has data).
   */
  private static AgentJvm.Builder sampleApp(
      ModelServer server, WebhookReceiver receiver, int port) {
    return AgentJvm.builder(TaskMasterAppFixture.class)
        .agentArg("config", SampleAppTest.sampleConfig().toString())
        .agentArg("exporter.port", Integer.toString(port))
        .agentArg("health.url", server.openAiBaseUrl() + "/models")
        .agentArg("health.model", "gpt-4o-mini")
        .agentArg("health.interval", "1s")
        // The agent's own engine as quick as Prometheus's rules, so that both views of the
        // "Firing alerts" panel have something to show; its webhook exports the notification
        // counters of the self-monitoring panel.
        .agentArg("alerting.interval", "1s")
        .agentArg("alerting.error-rate.window", "30s")
        .agentArg("alerting.error-rate.for", "5s")
        .agentArg("alerting.webhook.url", receiver.uri("/agent").toString())
        .args(
            "--base-url",
            server.openAiBaseUrl(),
            "--duration",
            "10m",
            "--rate",
            5,
            "--threads",
            2,
            "--ollama-share",
            0.25,
            "--ollama-model",
            LOCAL_MODEL,
            "--feedback-url",
            "http://127.0.0.1:" + port + "/feedback",
            "--feedback-share",
            0.5,
            "--stream-share",
            0.3,
            // A failed call fails at once, rather than after retries with back-off.
            "--max-retries",
            0,
            "--timeout",
            "5s",
            "--progress-every",
            "1h");
  }

  private static ServerProcess startAlertmanager(Path binary, WebhookReceiver receiver) {
    return ServerProcess.start(
        "alertmanager",
        (directory, port) -> {
          Files.writeString(
              directory.resolve("alertmanager.yml"),
              String.join(
                  "\n",
                  "route:",
                  "  receiver: test",
                  "  group_by: [alertname, job, instance]",
                  "  group_wait: 1s",
                  "  group_interval: 1s",
                  "  repeat_interval: 1h",
                  "receivers:",
                  "  - name: test",
                  "    webhook_configs:",
                  "      - url: '" + receiver.uri("/alertmanager") + "'",
                  "        send_resolved: true",
                  ""),
              StandardCharsets.UTF_8);
          return List.of(
              binary.toString(),
              "--config.file=alertmanager.yml",
              "--storage.path=data",
              "--web.listen-address=127.0.0.1:" + port,
              // No cluster: no gossip port, no waiting for peers.
              "--cluster.listen-address=");
        });
  }

  /**
   * Prometheus with the example configuration's job and rule files, every interval at 1 s, and the
   * alerting rules generated with {@code for} at 5 s and the error-rate window at its shortest.
   */
  private static ServerProcess startPrometheus(
      Path binary, int agentPort, ServerProcess alertmanager) {
    Path recording =
        GrafanaDashboard.dashboardsDirectory().resolve("prometheus/taskmaster-recording.yml");
    return ServerProcess.start(
        "prometheus",
        (directory, port) -> {
          ExternalTools.Result rules =
              ExternalTools.run(
                  directory,
                  List.of(
                      TestEnvironment.currentJavaHome().resolve("bin/java").toString(),
                      "-jar",
                      TestEnvironment.agentJar().toString(),
                      "rules",
                      "alerting.rules.for=5s,alerting.error-rate.window=30s"),
                  null);
          if (rules.exitCode() != 0) {
            throw new AssertionError("the rules command failed:\n" + rules.output());
          }
          Files.writeString(directory.resolve("taskmaster-alerts.yml"), rules.output());
          Files.writeString(
              directory.resolve("prometheus.yml"),
              String.join(
                  "\n",
                  "global:",
                  "  scrape_interval: 1s",
                  "  scrape_timeout: 1s",
                  "  evaluation_interval: 1s",
                  "rule_files:",
                  "  - taskmaster-alerts.yml",
                  "  - '" + recording + "'",
                  "alerting:",
                  "  alertmanagers:",
                  "    - static_configs:",
                  "        - targets: ['127.0.0.1:" + alertmanager.port() + "']",
                  "scrape_configs:",
                  "  - job_name: taskmaster",
                  "    static_configs:",
                  "      - targets: ['127.0.0.1:" + agentPort + "']",
                  ""),
              StandardCharsets.UTF_8);
          return List.of(
              binary.toString(),
              "--config.file=prometheus.yml",
              "--storage.tsdb.path=data",
              "--web.listen-address=127.0.0.1:" + port);
        });
  }

  /** Values of the dashboard's variables, and of Grafana's built-in intervals. */
  private static Map<String, String> variables(
      String job, String instance, String model, String endpoint) {
    Map<String, String> values = new TreeMap<>(GRAFANA_INTERVALS);
    values.put("job", job);
    values.put("instance", instance);
    values.put("model", model);
    values.put("endpoint", endpoint);
    return values;
  }

  /**
   * Polls until every query returns at least one series; fails after {@code timeout} with the
   * panels that still show nothing.
   */
  private void awaitData(
      PrometheusApi api,
      List<Query> queries,
      Map<String, String> values,
      Duration timeout,
      String when) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      Map<String, String> empty = new LinkedHashMap<>();
      for (Query query : queries) {
        String expr = query.expand(values);
        QueryResult result = api.query(expr);
        if (!result.hasData()) {
          empty.put(query.describe(), expr + "\n    -> " + result.describe());
        }
      }
      if (empty.isEmpty()) {
        return;
      }
      if (System.nanoTime() > deadline) {
        StringBuilder message =
            new StringBuilder(empty.size() + " panel queries show nothing " + when + ":\n");
        empty.forEach(
            (panel, detail) -> message.append(panel).append(": ").append(detail).append('\n'));
        message.append("\n").append(String.join("\n", timeline));
        fail(message.toString());
      }
      sleep(1000);
    }
  }

  /** Checks queries that need a week of history: they must be valid, data or not. */
  private static void assertValidQueries(
      PrometheusApi api, List<Query> queries, Map<String, String> values) {
    for (Query query : queries) {
      QueryResult result = api.query(query.expand(values));
      assertTrue(result.succeeded(), query.describe() + ": " + result.describe());
    }
  }

  /** Each filter variable's label_values query lists values, among them the ones in use. */
  private void assertVariablesHaveValues(PrometheusApi api) {
    Map<String, String> all = variables(".*", ".*", ".*", ".*");
    for (JsonObject variable : dashboard.variables()) {
      String name = GrafanaDashboard.string(variable, "name");
      if (!FILTER_VARIABLES.contains(name)) {
        continue;
      }
      Matcher matcher = LABEL_VALUES.matcher(GrafanaDashboard.variableQuery(variable));
      assertTrue(matcher.matches(), "variable " + name + " is not a label_values query");
      String selector = new Query("variable " + name, "-", matcher.group(1)).expand(all);
      List<String> values = api.labelValues(matcher.group(2), selector);
      assertTrue(!values.isEmpty(), "variable " + name + " lists no value: " + selector);
      if (name.equals("model")) {
        assertTrue(values.contains("gpt-4o-mini") && values.contains(LOCAL_MODEL), "" + values);
      }
      if (name.equals("job")) {
        assertEquals(List.of("taskmaster"), values);
      }
    }
  }

  /**
   * The job, instance, model and endpoint of a streamed call, as Grafana would put them into the
   * queries: regular-expression characters escaped, as a PromQL string holds them.
   */
  private static Map<String, String> streamedCallLabels(PrometheusApi api) {
    QueryResult result = api.query("taskmaster_time_to_first_token_seconds_count");
    assertTrue(result.hasData(), "no streamed call in Prometheus: " + result.describe());
    Map<String, String> labels = new TreeMap<>();
    for (String name : FILTER_VARIABLES) {
      String value = result.series().get(0).get(name);
      assertTrue(value != null, "a streamed call's series has no " + name + " label");
      labels.put(name, value.replaceAll("[\\\\^$.|?*+()\\[\\]{}]", "\\\\\\\\$0"));
    }
    return labels;
  }

  /**
   * Every selector names a metric that the agent exports (or Prometheus's {@code ALERTS}) and
   * filters on every variable whose label the metric carries; no metric of ours goes unfiltered.
   */
  private void assertSelectorsHonourTheVariables(MetricsSnapshot scrape) {
    Map<String, Set<String>> labelsByMetric = new TreeMap<>();
    for (MetricsSnapshot.Sample sample : scrape.samples()) {
      labelsByMetric
          .computeIfAbsent(sample.name(), name -> new TreeSet<>())
          .addAll(sample.labels().keySet());
    }
    List<String> problems = new ArrayList<>();
    for (Query query : dashboard.queries()) {
      Matcher bare = BARE_METRIC.matcher(query.expr());
      while (bare.find()) {
        problems.add(query.describe() + ": " + bare.group() + " without matchers");
      }
      Matcher selector = SELECTOR.matcher(query.expr());
      while (selector.find()) {
        String metric = selector.group(1);
        Set<String> required = new TreeSet<>(Set.of("job", "instance"));
        if (!metric.equals("ALERTS")) {
          Set<String> labels = labelsByMetric.get(metric);
          if (labels == null) {
            problems.add(query.describe() + ": " + metric + " is not exported by the agent");
            continue;
          }
          for (String variable : FILTER_VARIABLES) {
            if (labels.contains(variable)) {
              required.add(variable);
            }
          }
        }
        for (String variable : required) {
          if (!selector.group(2).contains(variable + "=~\"$" + variable + "\"")) {
            problems.add(query.describe() + ": " + metric + " not filtered by $" + variable);
          }
        }
      }
    }
    assertEquals(List.of(), problems, "selectors that do not match what the agent exports");
  }

  private static void assertPromtoolFindsNoProblem(Path promtool, String exposition) {
    ExternalTools.Result result =
        ExternalTools.run(
            Path.of(System.getProperty("java.io.tmpdir")),
            List.of(promtool.toString(), "check", "metrics"),
            exposition);
    assertEquals(0, result.exitCode(), "promtool check metrics:\n" + result.output());
    assertEquals("", result.output().strip(), "promtool check metrics");
  }

  private static List<Query> recordingRules() {
    Path file =
        GrafanaDashboard.dashboardsDirectory().resolve("prometheus/taskmaster-recording.yml");
    List<Query> rules = new ArrayList<>();
    try {
      Matcher record =
          Pattern.compile("- record: (\\S+)")
              .matcher(Files.readString(file, StandardCharsets.UTF_8));
      while (record.find()) {
        rules.add(new Query("recording rule " + record.group(1), "-", record.group(1)));
      }
    } catch (IOException e) {
      throw new AssertionError(e);
    }
    assertTrue(rules.size() >= 10, "recording rules not found in " + file);
    return rules;
  }

  private void awaitQuery(
      PrometheusApi api, String promql, Duration timeout, String what, Supplier<String> details) {
    await(() -> api.query(promql).hasData(), timeout, what, details);
  }

  /** Waits for Alertmanager's notification of {@link #ALERT} in this state. */
  private void awaitNotification(
      WebhookReceiver receiver, String status, String instance, Supplier<String> diagnostics) {
    Predicate<WebhookReceiver.Request> matches =
        request ->
            request.path().equals("/alertmanager") && carries(request.body(), status, instance);
    if (receiver.await(matches, ALERT_TIMEOUT.multipliedBy(2)) == null) {
      fail(
          "no "
              + status
              + " notification of "
              + ALERT
              + " for "
              + instance
              + " from Alertmanager; received: "
              + receiver.requests()
              + diagnostics.get()
              + "\n"
              + String.join("\n", timeline));
    }
  }

  /** Whether an Alertmanager webhook body holds {@link #ALERT} in this state. */
  private static boolean carries(String body, String status, String instance) {
    JsonObject message = JsonParser.parseString(body).getAsJsonObject();
    for (JsonElement element : message.getAsJsonArray("alerts")) {
      JsonObject alert = element.getAsJsonObject();
      JsonObject labels = alert.getAsJsonObject("labels");
      if (ALERT.equals(GrafanaDashboard.string(labels, "alertname"))
          && instance.equals(GrafanaDashboard.string(labels, "instance"))
          && status.equals(alert.get("status").getAsString())) {
        return true;
      }
    }
    return false;
  }

  private void await(
      BooleanSupplier condition, Duration timeout, String what, Supplier<String> details) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        fail(
            "no "
                + what
                + " within "
                + timeout
                + "\n"
                + String.join("\n", timeline)
                + details.get());
      }
      sleep(500);
    }
  }

  private void mark(String event) {
    timeline.add(String.format("%6.1f s  %s", (System.nanoTime() - start) / 1e9, event));
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }
}
