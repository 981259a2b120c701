package dev.taskmaster.agent.logging;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** {@link LogLine#formatTimestamp} writes what {@link LogLine#TIMESTAMP} writes, to the byte. */
class TimestampFormatTest {

  private static void assertFormatsLikeTheFormatter(long epochMillis) {
    assertEquals(
        LogLine.TIMESTAMP.format(Instant.ofEpochMilli(epochMillis)),
        LogLine.formatTimestamp(epochMillis),
        () -> "epoch millis " + epochMillis);
  }

  private static long millis(int year, int month, int day, int hour, int minute, int second) {
    return LocalDateTime.of(year, month, day, hour, minute, second).toEpochSecond(ZoneOffset.UTC)
        * 1000;
  }

  @Test
  void knownInstants() {
    assertEquals("1970-01-01T00:00:00.000Z", LogLine.formatTimestamp(0));
    assertEquals("2023-11-14T22:13:20.007Z", LogLine.formatTimestamp(1_700_000_000_007L));
    assertEquals("2024-02-29T23:59:59.999Z", LogLine.formatTimestamp(1_709_251_199_999L));
    assertEquals("2024-03-01T00:00:00.010Z", LogLine.formatTimestamp(1_709_251_200_010L));
    assertEquals("1969-12-31T23:59:59.999Z", LogLine.formatTimestamp(-1));
  }

  @Test
  void aroundLeapDaysYearEndsAndEveryMillisecondOfASecond() {
    int[][] days = {
      {1972, 2, 29}, {2000, 2, 29}, {2000, 3, 1}, {2024, 2, 29}, {2100, 2, 28}, {2100, 3, 1},
      {1999, 12, 31}, {2000, 1, 1}, {2025, 12, 31}, {2026, 1, 1}, {9999, 12, 31}, {1970, 1, 1}
    };
    for (int[] day : days) {
      long midnight = millis(day[0], day[1], day[2], 0, 0, 0);
      for (long offset = -2_001; offset <= 2_001; offset++) {
        assertFormatsLikeTheFormatter(midnight + offset);
      }
      long lastSecond = midnight + 86_399_000;
      for (long offset = 0; offset < 2_000; offset += 7) {
        assertFormatsLikeTheFormatter(lastSecond + offset);
      }
    }
  }

  @Test
  void manyInstantsInAnyOrder() {
    SplittableRandom random = new SplittableRandom(42);
    long end = millis(2400, 1, 1, 0, 0, 0);
    for (int i = 0; i < 200_000; i++) {
      long epochMillis = random.nextLong(-end, end);
      // With the first and last millisecond of its second, as log lines mostly share seconds.
      assertFormatsLikeTheFormatter(epochMillis);
      assertFormatsLikeTheFormatter(epochMillis - Math.floorMod(epochMillis, 1000));
      assertFormatsLikeTheFormatter(epochMillis - Math.floorMod(epochMillis, 1000) + 999);
    }
  }

  @Test
  void yearsWithMoreThanFourDigitsAndBeforeYearZero() {
    assertFormatsLikeTheFormatter(millis(10_000, 1, 1, 0, 0, 0));
    assertFormatsLikeTheFormatter(millis(10_000, 1, 1, 0, 0, 0) + 123);
    assertFormatsLikeTheFormatter(millis(-1, 12, 31, 23, 59, 59) + 5);
    assertFormatsLikeTheFormatter(Long.MAX_VALUE);
    assertFormatsLikeTheFormatter(Long.MIN_VALUE);
  }
}
