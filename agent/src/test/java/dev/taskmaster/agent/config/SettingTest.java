package dev.taskmaster.agent.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.taskmaster.agent.util.AgentLog;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SettingTest {

  private static final Setting<Duration> TIMEOUT =
      Setting.duration(
          "test.timeout", Duration.ofSeconds(30), Duration.ZERO, Duration.ofHours(2), "Timeout.");
  private static final Setting<Double> RATIO =
      Setting.decimal("test.ratio", 0.5, 0.0, 1.0, "Ratio.");
  private static final Setting<Long> BYTES =
      Setting.longInteger("test.bytes", 1L << 40, 0, Long.MAX_VALUE, "Bytes.");
  private static final Setting<List<String>> TAGS =
      Setting.list("test.tags", List.of("a", "b"), "Tags.");
  private static final Setting<Path> FILE = Setting.path("test.file", "File.");
  private static final Setting<Boolean> FLAG = Setting.bool("test.flag", false, "Flag.");
  private static final Setting<Integer> COUNT = Setting.integer("test.count", 1, 1, 10, "Count.");

  @Test
  void durations() {
    assertEquals(Duration.ofMillis(500), TIMEOUT.parse("500ms"));
    assertEquals(Duration.ofSeconds(30), TIMEOUT.parse("30s"));
    assertEquals(Duration.ofMinutes(5), TIMEOUT.parse(" 5m "));
    assertEquals(Duration.ofHours(1), TIMEOUT.parse("1H"));
    assertEquals(Duration.ofSeconds(45), TIMEOUT.parse("45"));
    assertEquals(Duration.ofSeconds(2), TIMEOUT.parse("2 s"));
    for (String bad : List.of("1.5s", "-1s", "3h", "5d", "s", "1e3", "99999999999999999999h")) {
      assertThrows(IllegalArgumentException.class, () -> TIMEOUT.parse(bad), bad);
    }
    assertThrows(ArithmeticException.class, () -> TIMEOUT.parse("9223372036854775807h"));
    assertEquals(
        "a duration from 0s to 2h, written like 500ms, 30s, 5m or 1h (a plain number means"
            + " seconds)",
        TIMEOUT.accepted());
    assertEquals("30s", TIMEOUT.format(TIMEOUT.defaultValue()));
    assertEquals("1500ms", TIMEOUT.format(Duration.ofMillis(1500)));
    assertEquals("90s", TIMEOUT.format(Duration.ofSeconds(90)));
    assertEquals("duration, 0s..2h", TIMEOUT.typeDescription());
  }

  @Test
  void decimals() {
    assertEquals(0.25, RATIO.parse("0.25"));
    assertEquals(1.0, RATIO.parse("1"));
    assertEquals(0.001, RATIO.parse("1e-3"));
    assertEquals(0.5, RATIO.parse(".5"));
    for (String bad : List.of("NaN", "Infinity", "1.5", "-0.1", "0.5d", "0x1p-2", "half")) {
      assertThrows(IllegalArgumentException.class, () -> RATIO.parse(bad), bad);
    }
    assertEquals("a number from 0.0 to 1.0", RATIO.accepted());
  }

  @Test
  void longs() {
    assertEquals(Long.MAX_VALUE, BYTES.parse("9223372036854775807"));
    assertThrows(IllegalArgumentException.class, () -> BYTES.parse("9223372036854775808"));
    assertThrows(IllegalArgumentException.class, () -> BYTES.parse("-1"));
    assertThrows(IllegalArgumentException.class, () -> BYTES.parse("1_000"));
    assertThrows(IllegalArgumentException.class, () -> COUNT.parse("0x5"));
    assertEquals(5, COUNT.parse("+5"));
  }

  @Test
  void lists() {
    assertEquals(List.of("x", "y", "z"), TAGS.parse(" x, y ;z ,"));
    assertEquals(List.of(), TAGS.parse(",;"));
    assertEquals("a,b", TAGS.format(TAGS.defaultValue()));
    assertThrows(IllegalArgumentException.class, () -> TAGS.parse("  "));
  }

  @Test
  void pathsAndBooleans() {
    assertEquals(Path.of("/tmp/x"), FILE.parse("/tmp/x"));
    assertNull(FILE.defaultValue());
    assertEquals("", FILE.format(null));
    assertThrows(IllegalArgumentException.class, () -> FILE.parse("a\u0000b"));
    assertEquals(true, FLAG.parse("Yes"));
    assertThrows(IllegalArgumentException.class, () -> FLAG.parse("1"));
  }

  @Test
  void environmentName() {
    assertEquals("TASKMASTER_EXPORTER_PORT_FILE", ConfigKeys.EXPORTER_PORT_FILE.environmentName());
    assertEquals("TASKMASTER_METRICS_MAX_MODELS", ConfigKeys.METRICS_MAX_MODELS.environmentName());
  }

  @Test
  void genericGettersReadEveryType() {
    List<Setting<?>> registry =
        List.of(TIMEOUT, RATIO, BYTES, TAGS, FILE, FLAG, COUNT, ConfigKeys.LOG_LEVEL);
    AgentConfig config =
        ConfigLoader.load(
            "test.timeout=250ms,test.ratio=0.75,test.tags=p;q,test.file=rel/f,test.flag=on",
            Map.of("taskmaster.test.count", "7"),
            Map.of("TASKMASTER_TEST_BYTES", "12"),
            Path.of("/work/dir"),
            registry);

    assertEquals(List.of(), config.problems());
    assertEquals(Duration.ofMillis(250), config.getDuration("test.timeout"));
    assertEquals(0.75, config.getDouble("test.ratio"));
    assertEquals(12L, config.getLong("test.bytes"));
    assertEquals(List.of("p", "q"), config.getList("test.tags"));
    assertEquals(Path.of("/work/dir/rel/f"), config.getPath("test.file"));
    assertEquals(true, config.getBoolean("test.flag"));
    assertEquals(7, config.getInt("test.count"));
    assertEquals(7L, config.getLong("test.count"));
    assertEquals(7.0, config.getDouble("test.count"));
    assertEquals("250ms", config.getString("test.timeout"));
    assertEquals("p,q", config.getString("test.tags"));
    assertEquals("7", config.getString("test.count"));
    assertEquals(Duration.ofMillis(250), config.get(TIMEOUT));
    assertEquals("info", config.getString("log.level"));
  }

  @Test
  void misusedGettersWarnOnceAndReturnEmptyValues() {
    PrintStream originalErr = System.err;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      AgentConfig config = AgentConfig.defaults();
      assertEquals(0, config.getInt("no.such.key"));
      assertEquals(0, config.getInt("no.such.key"));
      assertEquals(0, config.getInt("exporter.enabled"));
      assertEquals(false, config.getBoolean("exporter.port"));
      assertEquals(Duration.ZERO, config.getDuration("exporter.port"));
      assertEquals(List.of(), config.getList("exporter.port"));
      assertNull(config.getPath("exporter.port"));
      assertNull(config.getString("nope"));
      assertEquals(9470L, config.getLong("exporter.port"));
    } finally {
      System.setErr(originalErr);
      AgentLog.setLevel("info");
    }
    String log = captured.toString(StandardCharsets.UTF_8);
    assertEquals(1, log.split("no.such.key", -1).length - 1, log);
    assertTrue(log.startsWith("[taskmaster] WARN Internal error, please report"), log);
  }
}
