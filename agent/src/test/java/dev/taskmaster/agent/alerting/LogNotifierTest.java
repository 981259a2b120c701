package dev.taskmaster.agent.alerting;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.taskmaster.agent.logging.LogSettings;
import dev.taskmaster.agent.logging.StructuredLog;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LogNotifierTest {

  @Test
  void writesAnAlertLineWhenAnAlertFiresAndWhenItResolves(@TempDir Path directory)
      throws Exception {
    PrometheusRegistry registry = new PrometheusRegistry();
    Path file = directory.resolve("agent.log");
    StructuredLog log =
        new StructuredLog(
            LogSettings.builder()
                .destination(LogSettings.Destination.FILE)
                .file(file)
                .serviceName("checkout")
                .build(),
            registry,
            "taskmaster");
    MutableClock clock = new MutableClock(Instant.parse("2025-01-31T12:00:00Z"));
    AlertEngine engine =
        new AlertEngine(
            AlertSettings.builder().instance("web-1").build(),
            new AlertMetrics(registry, "taskmaster"),
            "checkout",
            clock,
            failure -> {
              throw new AssertionError(failure);
            });
    AtomicBoolean holds = new AtomicBoolean(true);
    engine.register(
        AlertRule.builder("TaskMasterHighErrorRate")
            .severity(Severity.CRITICAL)
            .summary("More than 5% of model calls fail")
            .description("d")
            .runbook("1. r")
            .valueFormat(ValueFormat.PERCENT)
            .build(),
        now -> AlertCondition.Result.of(holds.get(), 0.1));
    engine.addNotifier(new LogNotifier(log));

    engine.evaluate();
    holds.set(false);
    clock.advance(Duration.ofSeconds(30));
    engine.evaluate();
    log.shutdown(Duration.ofSeconds(5));

    List<String> lines = Files.readAllLines(file);
    assertEquals(2, lines.size());
    JsonObject firing = JsonParser.parseString(lines.get(0)).getAsJsonObject();
    assertEquals("2025-01-31T12:00:00.000Z", firing.get("timestamp").getAsString());
    assertEquals("ERROR", firing.get("level").getAsString());
    assertEquals("alert", firing.get("event_type").getAsString());
    assertEquals(
        "alert TaskMasterHighErrorRate firing: More than 5% of model calls fail",
        firing.get("message").getAsString());
    assertEquals("critical", firing.get("severity").getAsString());
    assertEquals("firing", firing.get("status").getAsString());
    assertEquals("10%", firing.get("value").getAsString());
    assertEquals("1. r", firing.get("runbook").getAsString());
    assertEquals("web-1", firing.get("label_instance").getAsString());
    JsonObject resolved = JsonParser.parseString(lines.get(1)).getAsJsonObject();
    assertEquals("INFO", resolved.get("level").getAsString());
    assertEquals("resolved", resolved.get("status").getAsString());
    assertEquals("2025-01-31T12:00:30.000Z", resolved.get("ends_at").getAsString());
    assertTrue(resolved.get("value").isJsonNull() || resolved.has("value"));
  }
}
