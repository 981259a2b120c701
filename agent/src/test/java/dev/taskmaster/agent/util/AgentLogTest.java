package dev.taskmaster.agent.util;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class AgentLogTest {

  private final ByteArrayOutputStream captured = new ByteArrayOutputStream();
  private PrintStream originalErr;

  @BeforeEach
  void captureErr() {
    originalErr = System.err;
    System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
    AgentLog.setLevel("info");
    AgentLog.resetOnceKeys();
  }

  @AfterEach
  void restoreErr() {
    System.setErr(originalErr);
    AgentLog.setLevel("info");
    AgentLog.resetOnceKeys();
  }

  private List<String> lines() {
    String text = captured.toString(StandardCharsets.UTF_8);
    List<String> lines = new ArrayList<>();
    for (String line : text.split("\\R")) {
      if (!line.isEmpty()) {
        lines.add(line);
      }
    }
    return lines;
  }

  @Test
  void writesOnePrefixedLinePerCall() {
    AgentLog.error("e");
    AgentLog.warn("w");
    AgentLog.info("i");
    AgentLog.debug("d");

    assertEquals(
        List.of("[taskmaster] ERROR e", "[taskmaster] WARN w", "[taskmaster] INFO i"), lines());
  }

  @Test
  void levelIsCaseInsensitiveAndRejectsUnknownNames() {
    assertTrue(AgentLog.setLevel(" DEBUG "));
    assertEquals("debug", AgentLog.level());
    assertTrue(AgentLog.isDebugEnabled());
    assertFalse(AgentLog.setLevel("verbose"));
    assertFalse(AgentLog.setLevel(null));
    assertEquals("debug", AgentLog.level());

    AgentLog.debug("d");
    assertEquals(List.of("[taskmaster] DEBUG d"), lines());
  }

  @Test
  void offAndErrorLevelsFilter() {
    AgentLog.setLevel("error");
    AgentLog.warn("w");
    AgentLog.error("e");
    AgentLog.setLevel("off");
    AgentLog.error("e2");

    assertEquals(List.of("[taskmaster] ERROR e"), lines());
  }

  @Test
  void throwableAddsClassAndMessageButNoStackTraceBelowDebug() {
    AgentLog.warn("cannot bind", new IOException("port in use"));
    AgentLog.warn("no message", new IllegalStateException());

    assertEquals(
        List.of(
            "[taskmaster] WARN cannot bind: java.io.IOException: port in use",
            "[taskmaster] WARN no message: java.lang.IllegalStateException"),
        lines());
  }

  @Test
  void debugLevelAddsTheStackTrace() {
    AgentLog.setLevel("debug");
    AgentLog.warn("boom", new IOException("x"));

    List<String> lines = lines();
    assertEquals("[taskmaster] WARN boom: java.io.IOException: x", lines.get(0));
    assertTrue(lines.size() > 2, "stack trace expected: " + lines);
    assertTrue(lines.get(2).trim().startsWith("at "), lines.get(2));
  }

  @Test
  void lineBreaksInMessagesStayOnOneLine() {
    AgentLog.info("a\nb\r\nc");
    assertEquals(List.of("[taskmaster] INFO a\\nb\\r\\nc"), lines());
  }

  @Test
  void warnOnceLogsAKeyOnlyOnce() {
    AgentLog.warnOnce("k", "first");
    AgentLog.warnOnce("k", "second");
    AgentLog.warnOnce("other", "third");

    assertEquals(List.of("[taskmaster] WARN first", "[taskmaster] WARN third"), lines());
  }

  @Test
  void neverThrowsOnHostileInput() {
    Throwable hostile =
        new RuntimeException() {
          @Override
          public String getMessage() {
            throw new IllegalStateException("no");
          }
        };
    AgentLog.setLevel("debug");
    AgentLog.error(null);
    AgentLog.error("hostile", hostile);
    AgentLog.warnOnce(null, null);
    System.setErr(null);
    AgentLog.error("nowhere to write");

    System.setErr(originalErr);
  }

  @Test
  void concurrentCallsWriteWholeLines() throws InterruptedException {
    Thread[] threads = new Thread[4];
    for (int t = 0; t < threads.length; t++) {
      int id = t;
      threads[t] =
          new Thread(
              () -> {
                for (int i = 0; i < 200; i++) {
                  AgentLog.info("thread " + id + " line " + i);
                }
              });
      threads[t].start();
    }
    for (Thread thread : threads) {
      thread.join();
    }

    List<String> lines = lines();
    assertEquals(800, lines.size());
    for (String line : lines) {
      assertTrue(line.matches("\\[taskmaster] INFO thread \\d line \\d+"), line);
    }
  }
}
