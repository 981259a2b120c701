package dev.taskmaster.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.taskmaster.agent.config.AgentConfig;
import dev.taskmaster.agent.config.ConfigLoader;
import dev.taskmaster.agent.drift.DriftMonitor;
import dev.taskmaster.agent.drift.DriftSettings;
import dev.taskmaster.agent.drift.DriftSignal;
import dev.taskmaster.agent.drift.DriftStatus;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code drift.baseline.<signal>} from the configuration sources to the drift monitor. */
class DriftBaselineSettingsTest {

  @Test
  void configuredBaselinesReachTheMonitorAndBadOnesCostOneLineEach() {
    AgentConfig config =
        ConfigLoader.load(
            "drift.baseline.latency=0.8,drift.baseline.refusal_rate=0.02,"
                + "drift.baseline.latncy=1,drift.baseline.quality=high,"
                + "drift.baseline.empty_rate=5",
            Map.of(),
            Map.of("TASKMASTER_DRIFT_BASELINE_TIME_TO_FIRST_TOKEN", "0.3"),
            null);
    assertEquals(List.of(), config.problems());

    PrintStream err = System.err;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    DriftSettings settings;
    try {
      System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
      settings = ComponentSettings.drift(config);
    } finally {
      System.setErr(err);
    }
    List<String> lines = captured.toString(StandardCharsets.UTF_8).lines().toList();
    assertEquals(3, lines.size(), lines.toString());
    assertTrue(
        lines.get(0).contains("drift.baseline.empty_rate=\"5\" is not accepted: expected a rate"),
        lines.get(0));
    assertTrue(
        lines.get(1).contains("drift.baseline.latncy=\"1\" is not accepted")
            && lines.get(1).contains("latency, time_to_first_token"),
        lines.get(1));
    assertTrue(
        lines.get(2).contains("drift.baseline.quality=\"high\" is not accepted: expected a number"),
        lines.get(2));

    DriftMonitor monitor = new DriftMonitor(settings, event -> {});
    assertEquals(DriftStatus.OK, monitor.status(DriftSignal.LATENCY));
    assertEquals(0.8, monitor.baseline(DriftSignal.LATENCY), 1e-12);
    assertEquals(0.3, monitor.baseline(DriftSignal.TIME_TO_FIRST_TOKEN), 1e-12);
    assertEquals(0.02, monitor.baseline(DriftSignal.REFUSAL_RATE), 1e-12);
    assertEquals(DriftStatus.LEARNING, monitor.status(DriftSignal.QUALITY));
    assertEquals(DriftStatus.LEARNING, monitor.status(DriftSignal.EMPTY_RATE));
  }

  @Test
  void theWarmUpsAreSetApartAndABadOneIsRefused() {
    DriftSettings defaults =
        ComponentSettings.drift(ConfigLoader.load("", Map.of(), Map.of(), null));
    assertEquals(500, defaults.warmup(DriftSignal.LATENCY));
    assertEquals(3000, defaults.warmup(DriftSignal.REFUSAL_RATE));

    AgentConfig config =
        ConfigLoader.load("drift.warmup=120,drift.rate.warmup=800", Map.of(), Map.of(), null);
    assertEquals(List.of(), config.problems());
    DriftSettings settings = ComponentSettings.drift(config);
    assertEquals(120, settings.warmup(DriftSignal.QUALITY));
    assertEquals(800, settings.warmup(DriftSignal.EMPTY_RATE));

    AgentConfig bad = ConfigLoader.load("drift.rate.warmup=10", Map.of(), Map.of(), null);
    assertEquals(1, bad.problems().size(), bad.problems().toString());
    assertTrue(bad.problems().get(0).contains("drift.rate.warmup"), bad.problems().toString());
    assertEquals(3000, ComponentSettings.drift(bad).warmup(DriftSignal.TRUNCATED_RATE));
  }
}
