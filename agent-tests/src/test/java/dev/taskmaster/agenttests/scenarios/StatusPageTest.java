package dev.taskmaster.agenttests.scenarios;

import static dev.taskmaster.agenttests.harness.AgentAssertions.assertHealthy;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.taskmaster.agenttests.harness.AgentJvm;
import dev.taskmaster.sample.TaskMasterAppFixture;
import dev.taskmaster.sample.server.ModelServer;
import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The status page in headless Chromium (Debian packages {@code chromium} and {@code
 * chromium-driver}) while the sample application runs under the agent: every chart has drawn data.
 * The page marks each chart with {@code data-points}, the number of values its last drawing showed;
 * the DOM that Chromium dumps carries them. A screenshot goes to {@code
 * agent-tests/target/status-page.png}, and to {@code docs/status-page.png} with {@code
 * -Dtaskmaster.regenerate=true}.
 *
 * <p>Skipped, with a message, when no Chromium is on the PATH (nor {@code -Dagenttests.chromium}).
 */
class StatusPageTest {

  private static final List<String> CHARTS =
      List.of(
          "chart-requests",
          "chart-latency",
          "chart-ttft",
          "chart-tokens",
          "chart-cost",
          "chart-scores",
          "chart-drift");

  private static final Pattern CHART =
      Pattern.compile("id=\"(chart-[a-z]+)\"[^>]*?data-points=\"(\\d+)\"");

  private static final Path REPOSITORY =
      Path.of(System.getProperty("basedir", ".")).toAbsolutePath().getParent();

  @TempDir Path directory;

  @Test
  void everyChartDrawsDataWhileTheSampleAppRuns() throws Exception {
    Path chromium = chromium();
    assumeTrue(
        chromium != null,
        "no chromium on the PATH (nor -Dagenttests.chromium): skipping the status page test;"
            + " apt-get install chromium chromium-driver");
    int port = freePort();
    try (ModelServer server = ModelServer.start(0);
        AgentJvm jvm =
            AgentJvm.builder(TaskMasterAppFixture.class)
                .agentArg("config", SampleAppTest.sampleConfig().toString())
                .agentArg("exporter.port", Integer.toString(port))
                // Enough feedback, soon, for satisfaction; and a rule that fires on it, so that
                // the page shows an alert with its runbook.
                .agentArg("feedback.min-count", "3")
                .agentArg("alerting.interval", "1s")
                .agentArg("alerting.satisfaction.threshold", "0.95")
                .agentArg("alerting.satisfaction.for", "0s")
                .args(
                    "--base-url", server.openAiBaseUrl(),
                    "--duration", "150s",
                    "--rate", "12",
                    "--stream-share", "0.3",
                    "--feedback-url", "http://127.0.0.1:" + port + "/feedback",
                    "--feedback-share", "0.5",
                    "--progress-every", "1h")
                .start()) {
      awaitEveryChartHasData(jvm);

      Path screenshot = directory.resolve("status-page.png");
      run(chromium, "--window-size=1400,2300", "--screenshot=" + screenshot, url(port));
      String dom = run(chromium, "--window-size=1400,2300", "--dump-dom", url(port));

      Map<String, Integer> points = new LinkedHashMap<>();
      Matcher chart = CHART.matcher(dom);
      while (chart.find()) {
        points.put(chart.group(1), Integer.parseInt(chart.group(2)));
      }
      assertEquals(CHARTS, new ArrayList<>(points.keySet()), "charts drawn:\n" + dom);
      for (String id : CHARTS) {
        assertTrue(points.get(id) > 0, id + " drew no data: " + points);
      }
      assertTrue(dom.contains("TaskMasterLowSatisfaction"), "the firing alert is shown");
      assertTrue(dom.contains("chatcmpl-"), "the last requests are listed");
      assertTrue(Files.size(screenshot) > 50_000, "a screenshot of a page with charts");
      keep(screenshot);
      assertHealthy(
          jvm,
          jvm.scrape(),
          "taskmaster",
          line -> line.startsWith("[taskmaster] WARN alert TaskMasterLowSatisfaction firing"));
      assertTrue(dom.contains("baseline"), "drift signals show their baseline");
    }
  }

  /**
   * Waits until the agent's own data has values for every chart, so that the page has too, and
   * until the drift detection has learned a baseline (500 calls by default).
   */
  private static void awaitEveryChartHasData(AgentJvm jvm) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    String missing = null;
    while (System.nanoTime() < deadline) {
      JsonObject status = JsonParser.parseString(jvm.scrapeText("/api/status")).getAsJsonObject();
      missing = missing(status);
      if (missing == null) {
        return;
      }
      Thread.sleep(1000);
    }
    throw jvm.failure("no data for " + missing + " after 120 s");
  }

  /** The first chart without data, or {@code null}. */
  private static String missing(JsonObject status) {
    boolean learned = false;
    for (JsonElement signal : status.getAsJsonArray("drift")) {
      learned |= !signal.getAsJsonObject().get("status").getAsString().equals("learning");
    }
    if (!learned) {
      return "drift baselines";
    }
    JsonObject series = status.getAsJsonObject("series");
    Map<String, JsonElement> charts = new LinkedHashMap<>();
    charts.put("requests", series.getAsJsonObject("requests").get("success"));
    charts.put("latency", series.getAsJsonObject("latency_seconds").get("p95"));
    charts.put("ttft", series.getAsJsonObject("ttft_seconds").get("p50"));
    charts.put("tokens", series.getAsJsonObject("tokens_per_second").get("output"));
    charts.put("cost", series.get("cost_usd_per_hour"));
    charts.put("satisfaction", series.getAsJsonObject("scores").get("satisfaction"));
    JsonObject drift = series.getAsJsonObject("drift_scores");
    charts.put("drift", drift.isEmpty() ? null : drift.get(drift.keySet().iterator().next()));
    for (Map.Entry<String, JsonElement> chart : charts.entrySet()) {
      // Rates are 0, not null, in a quiet slot: they count once above 0.
      boolean rate = List.of("requests", "tokens", "cost").contains(chart.getKey());
      int values = 0;
      if (chart.getValue() != null) {
        for (JsonElement value : chart.getValue().getAsJsonArray()) {
          if (!value.isJsonNull() && (!rate || value.getAsDouble() > 0)) {
            values++;
          }
        }
      }
      if (values < 2) {
        return chart.getKey();
      }
    }
    return null;
  }

  private static String url(int port) {
    return "http://127.0.0.1:" + port + "/";
  }

  /** Runs headless Chromium once, with the flags that work on a machine without a display. */
  private String run(Path chromium, String... arguments) throws Exception {
    Path profile = Files.createTempDirectory(directory, "chromium-profile");
    List<String> command =
        new ArrayList<>(
            List.of(
                chromium.toString(),
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--hide-scrollbars",
                "--user-data-dir=" + profile,
                // Page time runs ahead to 8 s: the page polls and draws, with real HTTP answers.
                "--virtual-time-budget=8000"));
    command.addAll(List.of(arguments));
    Path output = directory.resolve("chromium-" + System.nanoTime() + ".out");
    Process process =
        new ProcessBuilder(command)
            .redirectOutput(output.toFile())
            .redirectError(ProcessBuilder.Redirect.DISCARD)
            .start();
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("chromium did not finish within 60 s: " + command);
    }
    assertEquals(0, process.exitValue(), "chromium failed: " + command);
    return Files.readString(output, StandardCharsets.UTF_8);
  }

  private static void keep(Path screenshot) throws IOException {
    Path target = REPOSITORY.resolve("agent-tests/target/status-page.png");
    Files.createDirectories(target.getParent());
    Files.copy(screenshot, target, StandardCopyOption.REPLACE_EXISTING);
    if (Boolean.getBoolean("taskmaster.regenerate")) {
      Path docs = REPOSITORY.resolve("docs/status-page.png");
      Files.createDirectories(docs.getParent());
      Files.copy(screenshot, docs, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  private static Path chromium() {
    String configured = System.getProperty("agenttests.chromium");
    if (configured != null && !configured.isBlank()) {
      return Path.of(configured);
    }
    for (String directory : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      for (String name : List.of("chromium", "chromium-browser", "google-chrome")) {
        Path candidate = Path.of(directory, name);
        if (Files.isExecutable(candidate)) {
          return candidate;
        }
      }
    }
    return null;
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
