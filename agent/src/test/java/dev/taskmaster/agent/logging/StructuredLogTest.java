package dev.taskmaster.agent.logging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StructuredLogTest {

  private final PrometheusRegistry registry = new PrometheusRegistry();
  private final RecordingSink sink = new RecordingSink();

  private StructuredLog log(LogSettings settings) {
    Clock clock = Clock.fixed(Instant.parse("2025-01-31T12:00:00Z"), ZoneOffset.UTC);
    return new StructuredLog(settings, registry, "taskmaster", clock, sink);
  }

  @Test
  void writesOneJsonObjectPerLineWithTheStandardFieldsFirst() {
    StructuredLog log = log(LogSettings.builder().serviceName("checkout").build());

    log.emit(log.event(StructuredLog.AGENT, StructuredLog.INFO, "agent started").put("port", 9464));
    assertTrue(log.flush(Duration.ofSeconds(5)));

    assertEquals(
        List.of(
            "{\"timestamp\":\"2025-01-31T12:00:00.000Z\",\"level\":\"INFO\",\"service\":\"checkout\","
                + "\"message\":\"agent started\",\"event_type\":\"agent\",\"port\":9464}\n"),
        sink.lines);
  }

  @Test
  void aFullQueueDropsAndCountsLinesWithoutMakingTheCallerWait() throws Exception {
    sink.gate = new CountDownLatch(1);
    StructuredLog log = log(LogSettings.builder().queueCapacity(16).build());

    log.emit(log.event(StructuredLog.AGENT, StructuredLog.INFO, "blocks the writer"));
    assertTrue(sink.entered.await(5, TimeUnit.SECONDS));
    // The writer stays blocked until after the loop: were emit to wait, this would never return.
    assertTimeoutPreemptively(
        Duration.ofSeconds(30),
        () -> {
          for (int i = 0; i < 999; i++) {
            log.emit(log.event(StructuredLog.AGENT, StructuredLog.INFO, "line " + i));
          }
        });
    sink.gate.countDown();
    assertTrue(log.flush(Duration.ofSeconds(5)));

    // One line was with the blocked writer, 16 waited in the queue, the rest were dropped.
    assertEquals(17, sink.lines.size());
    assertEquals(983, log.dropped());
    assertEquals(
        983, Scrape.value(registry, "taskmaster_log_dropped_total{reason=\"queue_full\"}"));
  }

  @Test
  void linesTheDestinationRefusesAreCounted() {
    sink.refuse = true;
    StructuredLog log = log(LogSettings.defaults());

    log.emit(log.event(StructuredLog.AGENT, StructuredLog.WARN, "lost"));
    log.flush(Duration.ofSeconds(5));

    assertEquals(
        1, Scrape.value(registry, "taskmaster_log_dropped_total{reason=\"write_failed\"}"));
    assertEquals(0, Scrape.value(registry, "taskmaster_log_dropped_total{reason=\"queue_full\"}"));
  }

  @Test
  void shutdownWritesWhatIsQueued() {
    sink.delayMillis = 2;
    StructuredLog log = log(LogSettings.defaults());
    for (int i = 0; i < 100; i++) {
      log.emit(log.event(StructuredLog.AGENT, StructuredLog.INFO, "line " + i));
    }

    log.shutdown(Duration.ofSeconds(10));

    assertEquals(100, sink.lines.size());
    assertTrue(sink.closed);
    log.emit(log.event(StructuredLog.AGENT, StructuredLog.INFO, "too late"));
    assertEquals(1, Scrape.value(registry, "taskmaster_log_dropped_total{reason=\"shutdown\"}"));
  }

  @Test
  void shutdownGivesUpAfterItsTimeLimitAndCountsWhatIsLeft() throws Exception {
    sink.gate = new CountDownLatch(1);
    StructuredLog log = log(LogSettings.defaults());
    log.emit(log.event(StructuredLog.AGENT, StructuredLog.INFO, "blocks the writer"));
    assertTrue(sink.entered.await(5, TimeUnit.SECONDS));
    for (int i = 0; i < 9; i++) {
      log.emit(log.event(StructuredLog.AGENT, StructuredLog.INFO, "line " + i));
    }

    // The writer stays blocked: shutdown returns only by giving up.
    assertTimeoutPreemptively(Duration.ofSeconds(30), () -> log.shutdown(Duration.ofMillis(300)));
    sink.gate.countDown();

    // One line is with the blocked writer; the nine queued behind it are counted.
    assertEquals(9, Scrape.value(registry, "taskmaster_log_dropped_total{reason=\"shutdown\"}"));
  }

  @Test
  void destinationNoneWritesNothingAndStartsNoThread() {
    long writersBefore = writerThreads();
    StructuredLog log =
        new StructuredLog(
            LogSettings.builder().destination(LogSettings.Destination.NONE).build(),
            registry,
            "taskmaster");

    log.emit(log.event(StructuredLog.AGENT, StructuredLog.INFO, "ignored"));

    assertFalse(log.enabled());
    assertEquals(0, log.dropped());
    assertEquals(writersBefore, writerThreads());
  }

  private static long writerThreads() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.getName().startsWith("taskmaster-log"))
        .count();
  }

  @Test
  void fileDestinationAppendsLines(@TempDir Path directory) throws Exception {
    Path file = directory.resolve("logs/agent.jsonl");
    StructuredLog log =
        new StructuredLog(
            LogSettings.builder().destination(LogSettings.Destination.FILE).file(file).build(),
            registry,
            "tm");

    log.emit(log.event(StructuredLog.AGENT, StructuredLog.INFO, "first"));
    log.emit(log.event(StructuredLog.AGENT, StructuredLog.INFO, "second"));
    log.shutdown(Duration.ofSeconds(5));

    List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    assertEquals(2, lines.size());
    JsonObject second = JsonParser.parseString(lines.get(1)).getAsJsonObject();
    assertEquals("second", second.get("message").getAsString());
    assertEquals(0, Scrape.value(registry, "tm_log_dropped_total{reason=\"write_failed\"}"));
  }

  @Test
  void anUnwritableDirectoryDropsAndCountsLinesWithoutThrowing(@TempDir Path directory)
      throws Exception {
    Path notADirectory = Files.createFile(directory.resolve("plain-file"));
    StructuredLog log =
        new StructuredLog(
            LogSettings.builder()
                .destination(LogSettings.Destination.FILE)
                .file(notADirectory.resolve("agent.log"))
                .build(),
            registry,
            "taskmaster");

    log.emit(log.event(StructuredLog.AGENT, StructuredLog.INFO, "one"));
    log.emit(log.event(StructuredLog.AGENT, StructuredLog.INFO, "two"));
    log.flush(Duration.ofSeconds(5));

    assertEquals(
        2, Scrape.value(registry, "taskmaster_log_dropped_total{reason=\"write_failed\"}"));
  }

  @Test
  void timestampsAlwaysCarryMilliseconds() {
    assertEquals("1970-01-01T00:00:00.000Z", LogLine.formatTimestamp(0));
    assertEquals("2023-11-14T22:13:20.007Z", LogLine.formatTimestamp(1_700_000_000_007L));
  }
}
