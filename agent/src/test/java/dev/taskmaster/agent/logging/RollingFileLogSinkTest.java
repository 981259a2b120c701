package dev.taskmaster.agent.logging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RollingFileLogSinkTest {

  @TempDir Path directory;

  private static byte[] line(int number) {
    // 100 bytes with the line break.
    String text = String.format("{\"n\":%04d,\"pad\":\"%s\"}", number, "x".repeat(77));
    return (text + "\n").getBytes(StandardCharsets.UTF_8);
  }

  private List<String> read(Path file) throws Exception {
    return Files.exists(file) ? Files.readAllLines(file) : List.of();
  }

  @Test
  void rotatesBySizeAndKeepsTheConfiguredNumberOfFiles() throws Exception {
    Path file = directory.resolve("agent.log");
    RollingFileLogSink sink = new RollingFileLogSink(file, 1024, 2, "tm_log_dropped_total");

    for (int i = 0; i < 45; i++) {
      assertTrue(sink.write(line(i)));
    }
    sink.close();

    // Ten 100-byte lines fit in 1024 bytes: 40..44 in the file, 30..39 in .1, 20..29 in .2.
    assertEquals(5, read(file).size());
    assertTrue(read(file).get(0).startsWith("{\"n\":0040"));
    assertEquals(10, read(directory.resolve("agent.log.1")).size());
    assertTrue(read(directory.resolve("agent.log.1")).get(0).startsWith("{\"n\":0030"));
    assertTrue(read(directory.resolve("agent.log.2")).get(0).startsWith("{\"n\":0020"));
    assertFalse(Files.exists(directory.resolve("agent.log.3")));
    for (String name : new String[] {"agent.log", "agent.log.1", "agent.log.2"}) {
      assertTrue(Files.size(directory.resolve(name)) <= 1024, name);
    }
  }

  @Test
  void keepZeroStartsTheFileAfresh() throws Exception {
    Path file = directory.resolve("agent.log");
    RollingFileLogSink sink = new RollingFileLogSink(file, 1024, 0, "tm_log_dropped_total");

    for (int i = 0; i < 15; i++) {
      sink.write(line(i));
    }
    sink.close();

    assertEquals(5, read(file).size());
    assertFalse(Files.exists(directory.resolve("agent.log.1")));
  }

  @Test
  void appendsToAnExistingFileAndCountsItsSize() throws Exception {
    Path file = directory.resolve("agent.log");
    Files.write(file, "x".repeat(1000).concat("\n").getBytes(StandardCharsets.UTF_8));
    RollingFileLogSink sink = new RollingFileLogSink(file, 1024, 1, "tm_log_dropped_total");

    sink.write(line(1));
    sink.close();

    assertEquals(1001, Files.size(directory.resolve("agent.log.1")));
    assertEquals(1, read(file).size());
  }

  @Test
  void aPathThatCannotBeCreatedFailsWithoutThrowingAndRecoversLater() throws Exception {
    Path blocker = Files.createFile(directory.resolve("blocker"));
    Path file = blocker.resolve("agent.log");
    RollingFileLogSink sink = new RollingFileLogSink(file, 1024, 1, "tm_log_dropped_total", 0);

    assertFalse(sink.write(line(1)));
    assertFalse(sink.write(line(2)));
    Files.delete(blocker);
    assertTrue(sink.write(line(3)));
    sink.close();

    assertEquals(1, read(file).size());
  }

  @Test
  void whileFailingTheFileIsRetriedOnlyAfterThePause() throws Exception {
    Path blocker = Files.createFile(directory.resolve("blocker"));
    RollingFileLogSink sink =
        new RollingFileLogSink(
            blocker.resolve("agent.log"), 1024, 1, "tm_log_dropped_total", 60_000_000_000L);

    assertFalse(sink.write(line(1)));
    Files.delete(blocker);

    assertFalse(sink.write(line(2)), "retried before the pause ended");
  }

  @Test
  void aFullDiskFailsWithoutThrowing() {
    Path full = Path.of("/dev/full");
    assumeTrue(Files.isWritable(full), "/dev/full is not available on this system");
    RollingFileLogSink sink = new RollingFileLogSink(full, 1L << 30, 0, "tm_log_dropped_total");

    List<Boolean> results = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      results.add(sink.write(line(i)));
    }
    sink.close();

    assertEquals(List.of(false, false, false), results);
  }
}
