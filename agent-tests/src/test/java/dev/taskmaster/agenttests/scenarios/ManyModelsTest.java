package dev.taskmaster.agenttests.scenarios;

import static dev.taskmaster.agenttests.harness.AgentAssertions.assertHealthy;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.taskmaster.agenttests.fixtures.load.LoadClient;
import dev.taskmaster.agenttests.fixtures.load.ManyModelsApp;
import dev.taskmaster.agenttests.harness.AgentJvm;
import dev.taskmaster.agenttests.harness.MetricsSnapshot;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Isolated;

/**
 * 1,000,000 calls over 10,000 distinct model names: the {@code model} label keeps the first 50
 * names ({@code metrics.max-models}) and counts the rest as {@code other}, the heap after a full
 * collection does not grow between the first 10,000 calls and the millionth, and {@code /metrics}
 * stays small.
 */
@Isolated
class ManyModelsTest {

  private static final int DISTINCT = 10_000;
  private static final long TOTAL = 1_000_000;
  private static final int MAX_MODELS = 50;

  /**
   * Allowed growth of the heap in use after a full collection, from after the first 10,000 calls
   * (when every bounded structure of the agent — the model names, the recent calls that can receive
   * feedback, the status page's history — has met all 10,000 names) to after 1,000,000: 4 MiB. Per
   * call the agent keeps nothing once its bounds are reached, so the growth is noise (0.8 to 1.3
   * MiB seen on a busy machine); a leak of even 8 bytes per call would add 7.6 MiB.
   */
  private static final long HEAP_GROWTH_BOUND = 4L << 20;

  /**
   * Largest {@code /metrics} body allowed: 256 KiB. Each kept model name brings about 4.4 KB of
   * series (its requests by status, two histograms, tokens, cost, quality...), so the 50 names and
   * {@code other} take about 220 KB; without the cap, 10,000 names would take some 44 MB.
   */
  private static final int METRICS_BYTES_BOUND = 256 * 1024;

  @Test
  void labelCapHoldsHeapStaysFlatAndMetricsStaySmall() {
    try (AgentJvm jvm =
        AgentJvm.builder(ManyModelsApp.class)
            .jvmOption("-Xmx256m")
            .jvmOption("-XX:+UseSerialGC")
            .args(DISTINCT, TOTAL)
            .intercept(
                "many",
                "class=" + LoadClient.class.getName(),
                "method=complete",
                "endpoint=many",
                "model=arg0",
                "response=return.text()",
                "tokens.input=return.inputTokens()",
                "tokens.output=return.outputTokens()")
            .start()) {
      jvm.awaitLine("phase 1", Duration.ofMinutes(2));
      String first = jvm.scrapeText("/metrics");
      jvm.send("next");
      jvm.awaitLine("READY", Duration.ofMinutes(2));
      String end = jvm.scrapeText("/metrics");
      MetricsSnapshot metrics = MetricsSnapshot.parse(end);
      long heapFirst = jvm.longResult("heap.first");
      long heapEnd = jvm.longResult("heap.end");
      int firstBytes = first.getBytes(StandardCharsets.UTF_8).length;
      int endBytes = end.getBytes(StandardCharsets.UTF_8).length;
      System.out.printf(
          "heap after %,d calls: %,d bytes; after %,d: %,d bytes; /metrics %,d then %,d bytes;"
              + " %s ms for the last %,d calls%n",
          DISTINCT,
          heapFirst,
          TOTAL,
          heapEnd,
          firstBytes,
          endBytes,
          jvm.result("millis"),
          TOTAL - DISTINCT);
      Set<String> models =
          metrics.samples("taskmaster_requests_total").stream()
              .map(sample -> sample.labels().get("model"))
              .collect(Collectors.toSet());
      long perName = TOTAL / DISTINCT;
      MetricsSnapshot atFirst = MetricsSnapshot.parse(first);
      Set<String> allowed =
          IntStream.range(0, MAX_MODELS).mapToObj(i -> "model-" + i).collect(Collectors.toSet());
      allowed.add("other");
      // Every model label of every metric, at both scrapes, is one of the 50 kept names or other.
      Set<String> labelled =
          Stream.concat(atFirst.samples().stream(), metrics.samples().stream())
              .map(sample -> sample.labels().get("model"))
              .filter(Objects::nonNull)
              .collect(Collectors.toSet());
      assertAll(
          () -> assertEquals(TOTAL, metrics.sum("taskmaster_requests_total"), metrics::text),
          () -> assertEquals(MAX_MODELS + 1, models.size(), models::toString),
          () -> assertEquals(allowed, labelled),
          // The cap was met within the first 10,000 calls: not one series was added since.
          () -> assertEquals(atFirst.samples().size(), metrics.samples().size()),
          () ->
              assertEquals(
                  seriesNames(atFirst), seriesNames(metrics), "series appeared or went away"),
          () -> assertTrue(models.contains("other"), models::toString),
          () ->
              assertEquals(
                  TOTAL - MAX_MODELS * perName,
                  metrics.value(
                      "taskmaster_requests_total", "model", "other", "status", "success")),
          () ->
              assertEquals(
                  perName,
                  metrics.value(
                      "taskmaster_requests_total", "model", "model-0", "status", "success")),
          () ->
              assertEquals(
                  jvm.longResult("outputTokens"), metrics.sum("taskmaster_tokens_output_total")),
          () ->
              assertTrue(
                  heapEnd - heapFirst < HEAP_GROWTH_BOUND,
                  "heap after full GC: " + heapFirst + " then " + heapEnd + " bytes"),
          () -> assertTrue(endBytes < METRICS_BYTES_BOUND, "/metrics is " + endBytes + " bytes"),
          // Once the 50 names are in, only the counters' digits grow.
          () -> assertTrue(endBytes <= firstBytes + 8192, firstBytes + " then " + endBytes),
          () ->
              assertHealthy(
                  jvm,
                  metrics,
                  "taskmaster",
                  line -> line.startsWith("[taskmaster] WARN metrics.max-models=50 reached")));
    }
  }

  /** Each sample's name and labels, without its value. */
  private static Set<String> seriesNames(MetricsSnapshot metrics) {
    return metrics.samples().stream()
        .map(sample -> sample.name() + sample.labels())
        .collect(Collectors.toSet());
  }
}
