package dev.taskmaster.benchmarks.overhead;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/** Scrape: the time to serve {@code /metrics} of a JVM whose agent has seen many series. */
final class ScrapeBenchmark {

  private final Layout layout;
  private final Settings settings;
  private final Path config;
  private final Path portFile;
  private final List<Double> p50 = new ArrayList<>();
  private final List<Double> p90 = new ArrayList<>();
  private final List<Double> p99 = new ArrayList<>();
  private final List<Double> max = new ArrayList<>();
  private final List<Double> serverCpu = new ArrayList<>();
  private final List<Double> gzipP50 = new ArrayList<>();
  private final List<Double> gzipP90 = new ArrayList<>();
  private final List<Double> gzipP99 = new ArrayList<>();
  private final List<Double> gzipMax = new ArrayList<>();
  private final List<Double> gzipServerCpu = new ArrayList<>();
  private int bodyBytes;
  private int gzipBytes;
  private int samples;

  ScrapeBenchmark(Layout layout, Settings settings) throws Exception {
    this.layout = layout;
    this.settings = settings;
    this.config = layout.work.resolve("scrape-agent.properties");
    this.portFile = layout.work.resolve("scrape-exporter.port");
    Files.writeString(
        config,
        dev.taskmaster.benchmarks.fixture.FakeModelClient.interceptionBlocks(
                settings.get("scrape-endpoints"))
            + "exporter.port=0\n"
            + "exporter.host=127.0.0.1\n"
            + "exporter.port.file="
            + portFile
            + "\n");
  }

  String run() throws Exception {
    int rounds = settings.get("scrape-rounds");
    for (int round = 0; round < rounds; round++) {
      runOnce();
      Progress.say("scrape round " + round + " done");
    }
    return report(rounds);
  }

  private void runOnce() throws Exception {
    Files.deleteIfExists(portFile);
    List<String> command = new ArrayList<>();
    command.add(layout.java.toString());
    command.addAll(Variant.TASKMASTER.jvmOptions(layout, "config=" + config));
    command.add("-cp");
    command.add(layout.fixturesJar.toString());
    command.add("dev.taskmaster.benchmarks.fixture.ScrapeTarget");
    command.add(Integer.toString(settings.get("scrape-endpoints")));
    command.add(Integer.toString(settings.get("scrape-models")));
    Process process =
        new ProcessBuilder(command)
            .directory(layout.work.toFile())
            .redirectError(layout.work.resolve("scrape.err").toFile())
            .start();
    try (OutputStream stdin = process.getOutputStream();
        BufferedReader stdout =
            new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      String line = stdout.readLine();
      if (!"ready".equals(line) || !Files.isRegularFile(portFile)) {
        throw new IllegalStateException("scrape target did not get ready; see scrape.err");
      }
      int port = Integer.parseInt(Files.readString(portFile).trim());
      HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
      HttpRequest request =
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics")).build();
      for (int i = 0; i < settings.get("scrape-warmup"); i++) {
        client.send(request, HttpResponse.BodyHandlers.ofString());
      }
      int count = settings.get("scrape-count");
      double[] millis = new double[count];
      String body = "";
      long cpuBefore = processCpuTicks(process.pid());
      for (int i = 0; i < count; i++) {
        long start = System.nanoTime();
        HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
        millis[i] = (System.nanoTime() - start) / 1e6;
        body = response.body();
      }
      long cpuTicks = processCpuTicks(process.pid()) - cpuBefore;
      // Clock ticks of 10 ms: the serving JVM's CPU time (all its threads) per scrape.
      serverCpu.add(cpuTicks * 10.0 / count);
      percentiles(millis, p50, p90, p99, max);
      bodyBytes = body.getBytes(StandardCharsets.UTF_8).length;
      samples = 0;
      for (String sample : body.split("\n")) {
        if (!sample.isEmpty() && !sample.startsWith("#")) {
          samples++;
        }
      }

      // As a Prometheus server asks: gzip. The compressed body is kept as received.
      HttpRequest gzip =
          HttpRequest.newBuilder(request.uri()).header("Accept-Encoding", "gzip").build();
      for (int i = 0; i < settings.get("scrape-warmup"); i++) {
        client.send(gzip, HttpResponse.BodyHandlers.ofByteArray());
      }
      cpuBefore = processCpuTicks(process.pid());
      for (int i = 0; i < count; i++) {
        long start = System.nanoTime();
        HttpResponse<byte[]> response = client.send(gzip, HttpResponse.BodyHandlers.ofByteArray());
        millis[i] = (System.nanoTime() - start) / 1e6;
        gzipBytes = response.body().length;
      }
      gzipServerCpu.add((processCpuTicks(process.pid()) - cpuBefore) * 10.0 / count);
      percentiles(millis, gzipP50, gzipP90, gzipP99, gzipMax);
    } finally {
      process.waitFor(30, TimeUnit.SECONDS);
      process.destroyForcibly();
    }
  }

  private static void percentiles(
      double[] millis, List<Double> p50, List<Double> p90, List<Double> p99, List<Double> max) {
    int count = millis.length;
    double[] sorted = millis.clone();
    Arrays.sort(sorted);
    p50.add(sorted[count / 2]);
    p90.add(sorted[(int) Math.ceil(count * 0.9) - 1]);
    p99.add(sorted[(int) Math.ceil(count * 0.99) - 1]);
    max.add(sorted[count - 1]);
  }

  /** User + system CPU time of a process in clock ticks, from {@code /proc/PID/stat}. */
  private static long processCpuTicks(long pid) throws java.io.IOException {
    String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    // Fields 14 and 15 of stat (utime, stime); the split starts at field 3.
    return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
  }

  private String report(int rounds) {
    StringBuilder text = new StringBuilder();
    text.append("### 4. Scrape\n\n");
    text.append(
        String.format(
            Locale.ROOT,
            "%d rounds, a JVM each: %d interception blocks (one endpoint each) called with %d"
                + " models each, then %d warm-up and %d timed `GET /metrics` from another JVM"
                + " (JDK HttpClient, one kept-alive connection, request to end of body). The body"
                + " is %,d bytes, %,d samples. Then the same with `Accept-Encoding: gzip`, as a"
                + " Prometheus server asks (%,d bytes received, not decompressed in the timing)."
                + " Median over rounds (p10–p90). The serving JVM's CPU time (user + system, all"
                + " threads, `/proc/PID/stat`) over the timed scrapes, per scrape, is steadier"
                + " than wall time on a loaded machine.%n%n",
            rounds,
            settings.get("scrape-endpoints"),
            settings.get("scrape-models"),
            settings.get("scrape-warmup"),
            settings.get("scrape-count"),
            bodyBytes,
            samples,
            gzipBytes));
    Table table =
        new Table(
            "request", "scrape p50 ms", "p90 ms", "p99 ms", "max ms", "serving JVM CPU ms/scrape");
    table.row(
        "plain",
        Stats.of(p50).format(2),
        Stats.of(p90).format(2),
        Stats.of(p99).format(2),
        Stats.of(max).format(2),
        Stats.of(serverCpu).format(2));
    table.row(
        "gzip",
        Stats.of(gzipP50).format(2),
        Stats.of(gzipP90).format(2),
        Stats.of(gzipP99).format(2),
        Stats.of(gzipMax).format(2),
        Stats.of(gzipServerCpu).format(2));
    text.append(table).append('\n');
    text.append("Targets:\n\n")
        .append(Table.target("scrape time (p50)", Stats.of(p50).median(), 5, "ms", 2))
        .append('\n')
        .append(Table.target("scrape time (p99)", Stats.of(p99).median(), 5, "ms", 2))
        .append('\n')
        .append(Table.target("gzip scrape time (p50)", Stats.of(gzipP50).median(), 5, "ms", 2))
        .append('\n')
        .append(Table.target("gzip scrape time (p99)", Stats.of(gzipP99).median(), 5, "ms", 2))
        .append("\n\n");
    return text.toString();
  }
}
