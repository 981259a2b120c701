package dev.taskmaster.agent.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.taskmaster.agent.metrics.LlmMetrics;
import dev.taskmaster.agent.metrics.ModelLabelLimiter;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code /metrics} over HTTP: the fast text path, gzip, and the client's handler for the rest. */
class MetricsEndpointTest {

  private LlmMetrics metrics;
  private MetricsExporter exporter;
  private final HttpClient client = HttpClient.newHttpClient();

  @BeforeEach
  void start() {
    metrics = new LlmMetrics("taskmaster", new ModelLabelLimiter(50, "k"), 3, "svc", "1");
    for (int model = 0; model < 3; model++) {
      LlmMetrics.CallSeries series = metrics.series("chat", "model-" + model);
      series.recordSuccess(300_000_000L);
      series.recordTokens(10, 20 + model);
      series.recordResponseLength(120);
      series.recordErrorKind("timeout");
    }
    exporter = MetricsExporter.start("127.0.0.1", 0, null, metrics.registry(), null);
    assertNotNull(exporter);
  }

  @AfterEach
  void stop() {
    exporter.stop();
  }

  private HttpResponse<byte[]> get(String pathAndQuery, String... headers) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + exporter.port() + pathAndQuery));
    if (headers.length > 0) {
      request.headers(headers);
    }
    return client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  /** The client library's rendering of the whole registry, families in any order. */
  private String[] clientFamilies() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    PrometheusTextFormatWriter.create().write(out, metrics.registry().scrape());
    return families(out.toString(StandardCharsets.UTF_8));
  }

  private static String[] families(String body) {
    String[] blocks = ("\n" + body).split("\n(?=# HELP )");
    String[] sorted =
        Arrays.stream(blocks).map(String::trim).filter(b -> !b.isEmpty()).toArray(String[]::new);
    Arrays.sort(sorted);
    return sorted;
  }

  @Test
  void plainTextHasEveryFamilyAsTheClientWritesIt() throws Exception {
    HttpResponse<byte[]> response = get("/metrics");
    assertEquals(200, response.statusCode());
    assertEquals(
        "text/plain; version=0.0.4; charset=utf-8",
        response.headers().firstValue("Content-Type").orElse(""));
    String body = new String(response.body(), StandardCharsets.UTF_8);
    assertTrue(
        body.contains("taskmaster_tokens_output_total{endpoint=\"chat\",model=\"model-2\"} 22.0\n"),
        body);
    assertTrue(
        body.contains(
            "taskmaster_errors_total{endpoint=\"chat\",kind=\"timeout\",model=\"model-0\"}"),
        body);
    assertEquals(Arrays.asList(clientFamilies()), Arrays.asList(families(body)));
  }

  @Test
  void gzipWhenAsked() throws Exception {
    HttpResponse<byte[]> response = get("/metrics", "Accept-Encoding", "gzip");
    assertEquals("gzip", response.headers().firstValue("Content-Encoding").orElse(""));
    try (InputStream in = new GZIPInputStream(new java.io.ByteArrayInputStream(response.body()))) {
      String body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      assertEquals(Arrays.asList(clientFamilies()), Arrays.asList(families(body)));
    }
  }

  @Test
  void filtersAndOtherFormatsGoToTheClientHandler() throws Exception {
    String body =
        new String(get("/metrics?name[]=taskmaster_requests_total").body(), StandardCharsets.UTF_8);
    assertTrue(
        body.contains(
            "taskmaster_requests_total{endpoint=\"chat\",model=\"model-1\",status=\"success\"} 1.0"),
        body);
    assertFalse(body.contains("taskmaster_tokens_input_total"), body);

    HttpResponse<byte[]> openMetrics =
        get(
            "/metrics",
            "Accept",
            "application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited");
    assertTrue(
        openMetrics.headers().firstValue("Content-Type").orElse("").contains("protobuf"),
        openMetrics.headers().toString());
    assertEquals(200, get("/-/healthy").statusCode());
    String clientOwn =
        new String(get(MetricsExporter.CLIENT_METRICS_PATH).body(), StandardCharsets.UTF_8);
    assertEquals(Arrays.asList(clientFamilies()), Arrays.asList(families(clientOwn)));
    assertEquals(200, get("/").statusCode());
  }
}
