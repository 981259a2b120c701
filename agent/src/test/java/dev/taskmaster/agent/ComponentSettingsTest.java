package dev.taskmaster.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.taskmaster.agent.alerting.AlertSettings;
import dev.taskmaster.agent.alerting.CallWindow;
import dev.taskmaster.agent.alerting.ModelAvailability;
import dev.taskmaster.agent.alerting.PrometheusRulesWriter;
import dev.taskmaster.agent.config.AgentConfig;
import dev.taskmaster.agent.config.ConfigKeys;
import dev.taskmaster.agent.config.ConfigLoader;
import dev.taskmaster.agent.config.Setting;
import dev.taskmaster.agent.metrics.ModelLabelLimiter;
import dev.taskmaster.agent.util.AgentLog;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The range each key promises (the README table) and the range its component accepts agree: every
 * key's smallest and largest value goes through {@link ConfigLoader} and {@link ComponentSettings}
 * without a problem and without an exception.
 */
class ComponentSettingsTest {

  private final ByteArrayOutputStream captured = new ByteArrayOutputStream();
  private PrintStream originalErr;

  @BeforeEach
  void captureErr() {
    originalErr = System.err;
    System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
    AgentLog.setLevel("info");
  }

  @AfterEach
  void restoreErr() {
    System.setErr(originalErr);
  }

  private List<String> lines() {
    return captured.toString(StandardCharsets.UTF_8).lines().toList();
  }

  private static AgentConfig config(String agentArgs) {
    return ConfigLoader.load(agentArgs, Map.of(), Map.of(), null);
  }

  @Test
  void aUrlThatIsNotAcceptedIsShownWithoutItsQueryOrUserInformation() {
    assertEquals(
        "http//host/v1/models?...", ComponentSettings.shownUrl("http//host/v1/models?key=s3"));
    assertEquals("ftp://...@host/x#...", ComponentSettings.shownUrl(" ftp://me:s3@host/x#t=s3 "));
    assertEquals("no url", ComponentSettings.shownUrl("no url"));
  }

  @Test
  void aHeaderItemWithoutColonIsShownByItsFirstWordOnly() {
    assertEquals("Authorization ...", ComponentSettings.shownItem("Authorization Bearer s3cr3t"));
    assertEquals("api-key ...", ComponentSettings.shownItem("api-key=s3cr3t"));
    assertEquals("X-Api-Key ...", ComponentSettings.shownItem(" X-Api-Key\ts3cr3t"));
    assertEquals("lonely", ComponentSettings.shownItem("lonely"));
  }

  @Test
  void theHealthProbesWarningsNameTheKeyButNotTheCredential() {
    AgentConfig config = config("health.url=localhost:8080/v1/models?key=s3cr3t-u");
    captured.reset();
    assertNull(ComponentSettings.health(config));
    config = config("health.url=http://localhost:8080/v1/models,health.headers=X-Api-Key s3cr3t-h");
    ComponentSettings.health(config);

    assertEquals(
        List.of(
            "[taskmaster] WARN health.url=\"localhost:8080/v1/models?...\" is not accepted:"
                + " expected an http:// or https:// URL with a host; ignored",
            "[taskmaster] WARN health.headers=\"X-Api-Key ...\" is not accepted: expected items"
                + " name:value; ignored"),
        lines());
  }

  /** What a name in alerting.disabled that is no rule is told. */
  private static final String RULE_NAMES =
      " is not accepted: expected rule names: TaskMasterHighLatency, TaskMasterHighErrorRate,"
          + " TaskMasterModelDown, TaskMasterQualityDrift, TaskMasterNoRequests,"
          + " TaskMasterLowSatisfaction, or TaskMasterDrift<Signal> and"
          + " TaskMasterDrift<Signal>Critical, such as TaskMasterDriftLatency or"
          + " TaskMasterDriftRefusalRateCritical";

  /** Builds every component's settings from {@code config}; returns the problems reported. */
  private static List<String> buildAll(AgentConfig config) {
    List<String> problems = new ArrayList<>();
    assertNotNull(ComponentSettings.log(config, problems::add));
    AlertSettings alerts = ComponentSettings.alerts(config, problems::add);
    assertNotNull(ComponentSettings.notifiers(config, problems::add));
    assertNotNull(ComponentSettings.quality(config, problems::add));
    assertNotNull(ComponentSettings.drift(config, problems::add));
    assertNotNull(ComponentSettings.feedback(config, problems::add));
    assertNotNull(ComponentSettings.health(config, problems::add));
    new CallWindow(alerts.longestWindow());
    new ModelAvailability(config.healthFailureThreshold());
    new ModelLabelLimiter(config.maxModels(), "metrics.max-models");
    PrometheusRulesWriter.render(
        alerts, config.metricsPrefix(), config.get(ConfigKeys.ALERTING_RULES_FOR));
    return problems;
  }

  private static AgentConfig load(String arguments) {
    return ConfigLoader.load(arguments, Map.of(), Map.of(), null);
  }

  @Test
  void everyKeysSmallestAndLargestValueIsAcceptedByItsComponent() {
    List<String> checked = new ArrayList<>();
    for (Setting<?> setting : ConfigKeys.all()) {
      if (setting.minimum() == null) {
        continue;
      }
      for (String edge : List.of(setting.minimum(), setting.maximum())) {
        String entry = setting.name() + "=" + edge;
        AgentConfig config = load("health.url=http://127.0.0.1:9/v1/models," + entry);

        assertEquals(List.of(), config.problems(), entry);
        assertEquals(setting.parse(edge), config.get(setting), entry);
        assertEquals(List.of(), buildAll(config), entry);
        checked.add(entry);
      }
    }
    assertTrue(checked.contains("alerting.latency.window=30000ms"), checked.toString());
    assertTrue(checked.contains("alerting.quality.threshold=0.0"), checked.toString());
    assertTrue(checked.contains("alerting.notify.retries=20"), checked.toString());
  }

  @Test
  void aValueJustOutsideAKeysRangeIsOneProblemOfTheLoaderAndTheComponentsGetTheDefault() {
    List<String> checked = new ArrayList<>();
    for (Setting<?> setting : ConfigKeys.all()) {
      if (setting.minimum() == null) {
        continue;
      }
      for (String outside : outside(setting)) {
        String entry = setting.name() + "=" + outside;
        AgentConfig config = load("health.url=http://127.0.0.1:9/v1/models," + entry);

        assertEquals(
            List.of(
                setting.name()
                    + "=\""
                    + outside
                    + "\" from the agent argument is not accepted: expected "
                    + setting.accepted()
                    + (setting.defaultValue() == null
                        ? "; it stays unset"
                        : "; using the default " + setting.format(setting.defaultValue()))),
            config.problems(),
            entry);
        assertEquals(setting.defaultValue(), config.get(setting), entry);
        assertEquals(List.of(), buildAll(config), entry);
        checked.add(entry);
      }
    }
    assertTrue(checked.contains("alerting.latency.window=29999ms"), checked.toString());
    assertTrue(
        checked.contains("alerting.latency.quantile=0.49999999999999994"), checked.toString());
    assertTrue(checked.contains("alerting.notify.retries=21"), checked.toString());
    assertTrue(checked.contains("log.file.keep=-1"), checked.toString());
  }

  /** The values next to a key's range, on each side, where the type has one. */
  private static List<String> outside(Setting<?> setting) {
    List<String> values = new ArrayList<>();
    switch (setting.type()) {
      case INT:
      case LONG:
        long min = Long.parseLong(setting.minimum());
        long max = Long.parseLong(setting.maximum());
        values.add(Long.toString(min - 1));
        if (max < Long.MAX_VALUE) {
          values.add(Long.toString(max + 1));
        }
        break;
      case DOUBLE:
        values.add(Double.toString(Math.nextDown(Double.parseDouble(setting.minimum()))));
        values.add(Double.toString(Math.nextUp(Double.parseDouble(setting.maximum()))));
        break;
      case DURATION:
        long minMillis = Long.parseLong(setting.minimum().replace("ms", ""));
        long maxMillis = Long.parseLong(setting.maximum().replace("ms", ""));
        if (minMillis > 0) {
          values.add((minMillis - 1) + "ms");
        }
        values.add((maxMillis + 1) + "ms");
        break;
      default:
        throw new AssertionError(setting.name() + " has bounds but type " + setting.type());
    }
    return values;
  }

  @Test
  void aMisspeltRuleInAlertingDisabledIsReportedAndTheOthersAreDisabled() {
    List<String> problems = new ArrayList<>();
    AlertSettings alerts =
        ComponentSettings.alerts(
            load(
                "alerting.disabled=TaskMasterNoRequests;TaskMasterDriftRefusalRateCritical;"
                    + "TaskMasterHighLatncy"),
            problems::add);

    assertEquals(
        List.of("alerting.disabled=\"TaskMasterHighLatncy\"" + RULE_NAMES + "; ignored"), problems);
    assertEquals(
        Set.of("TaskMasterNoRequests", "TaskMasterDriftRefusalRateCritical"),
        alerts.disabledRules());
  }

  @Test
  void aCommandThatStopsGetsProblemsWithoutWhatTheAgentWouldDoInstead() {
    List<String> problems = new ArrayList<>();
    ComponentSettings.alerts(
        load("alerting.disabled=Nope,alerting.labels=severity:page"),
        ComponentSettings.stopping(problems::add));

    assertEquals(
        List.of(
            "alerting.disabled=\"Nope\"" + RULE_NAMES,
            "alerting.labels=\"severity\" is not accepted: expected a Prometheus label name other"
                + " than alertname and severity"),
        problems);
  }

  @Test
  void theDefaultsAreAcceptedToo() {
    assertEquals(List.of(), buildAll(load("health.url=http://127.0.0.1:9/v1/models")));
  }

  @Test
  void aZeroQualityThresholdIsKeptAndAWindowUnder30sIsReportedOnceByTheLoader() {
    List<String> problems = new ArrayList<>();
    AlertSettings alerts =
        ComponentSettings.alerts(load("alerting.quality.threshold=0"), problems::add);
    assertEquals(List.of(), problems);
    assertEquals(0.0, alerts.qualityThreshold());

    AgentConfig tooShort = load("alerting.latency.window=10s");
    assertEquals(
        List.of(
            "alerting.latency.window=\"10s\" from the agent argument is not accepted: expected a"
                + " duration from 30s to 1h, written like 500ms, 30s, 5m or 1h (a plain number"
                + " means seconds); using the default 5m"),
        tooShort.problems());
    assertEquals(
        Duration.ofMinutes(5), ComponentSettings.alerts(tooShort, problems::add).latencyWindow());
  }
}
