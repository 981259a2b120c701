package dev.taskmaster.agenttests.scenarios;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.taskmaster.agenttests.fixtures.PlainApp;
import dev.taskmaster.agenttests.harness.AgentJvm;
import dev.taskmaster.agenttests.harness.AppRun;
import dev.taskmaster.agenttests.harness.ExporterClient;
import dev.taskmaster.agenttests.harness.ExternalTools;
import dev.taskmaster.agenttests.harness.MetricsSnapshot;
import dev.taskmaster.agenttests.harness.PrometheusApi;
import dev.taskmaster.agenttests.harness.ServerProcess;
import dev.taskmaster.agenttests.harness.TestKeystores;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The agent's port behind HTTP basic authentication and TLS, through the Prometheus exporter's own
 * authenticator and HTTPS configuration: scraped with and without credentials and over TLS with a
 * keystore made by {@code keytool}. Settings that ask for protection the agent cannot give keep the
 * port closed, with one line, and change nothing for the application.
 */
class SecuredExporterTest {

  private static final String USER = "prometheus";

  /** A colon, a space and a non-ASCII letter: basic authentication must carry all three. */
  private static final String PASSWORD = "scr4pe:only pässword";

  private static final String STORE_PASSWORD = "store-pw-4417";
  private static final String CHALLENGE = "Basic realm=\"taskmaster\", charset=\"UTF-8\"";

  @TempDir static Path shared;

  private static AppRun baseline;

  @BeforeAll
  static void runWithoutAgent() {
    try (AgentJvm jvm = AgentJvm.builder(PlainApp.class).withoutAgent().start()) {
      baseline = AppRun.of(jvm);
    }
    assertEquals(PlainApp.EXIT_STATUS, baseline.exitCode());
  }

  private static Path passwordFile() throws IOException {
    Path file = shared.resolve("scrape-password");
    Files.writeString(file, PASSWORD + "\n");
    return file;
  }

  private static synchronized Path keystore(String type) {
    Path store = shared.resolve("port." + type.toLowerCase());
    if (!Files.exists(store)) {
      TestKeystores.withKey(shared, store.getFileName().toString(), type, STORE_PASSWORD);
    }
    return store;
  }

  private static double plainModelCalls(String metricsText) {
    return MetricsSnapshot.parse(metricsText)
        .value(
            "taskmaster_requests_total",
            "endpoint",
            "chat",
            "model",
            "plain-model",
            "status",
            "success");
  }

  @Test
  void basicAuthenticationGuardsEveryPathButTheHealthChecks() throws IOException {
    try (AgentJvm jvm =
        BadConfigurationTest.plainAppWithGoodBlock()
            .agentArg("exporter.auth.user", USER)
            .agentArg("exporter.auth.password.file", passwordFile().toString())
            .start()) {
      jvm.awaitReady();
      int port = jvm.port();
      ExporterClient anonymous = ExporterClient.http(port);
      ExporterClient right = ExporterClient.http(port).credentials(USER, PASSWORD);
      ExporterClient.Answer refused = anonymous.get("/metrics");
      ExporterClient.Answer scraped = right.get("/metrics");

      assertAll(
          () -> assertEquals(401, refused.status()),
          () -> assertEquals(CHALLENGE, refused.header("WWW-Authenticate")),
          () -> assertEquals("", refused.body()),
          () -> assertEquals(200, scraped.status()),
          () -> assertEquals(4, plainModelCalls(scraped.body())),
          () -> assertStatus(401, ExporterClient.http(port).credentials(USER, PASSWORD + "x")),
          () -> assertStatus(401, ExporterClient.http(port).credentials(USER, "scr4pe:only")),
          () -> assertStatus(401, ExporterClient.http(port).credentials("prom", PASSWORD)),
          () -> assertStatus(401, ExporterClient.http(port).authorization("Bearer " + PASSWORD)),
          () -> assertStatus(401, ExporterClient.http(port).authorization("Basic %%%")),
          () -> assertEquals(401, anonymous.get("/").status()),
          () -> assertEquals(401, anonymous.get("/api/status").status()),
          () -> assertEquals(401, anonymous.get("/nothing-here").status()),
          () -> assertEquals(401, anonymous.get("/health/").status()),
          () -> assertEquals(401, anonymous.postJson("/feedback", "{}").status()),
          () -> assertEquals(200, right.get("/").status()),
          () -> assertEquals(200, right.get("/api/status").status()),
          () -> assertEquals(404, right.get("/nothing-here").status()),
          () -> assertEquals(400, right.postJson("/feedback", "{}").status()),
          () -> assertEquals(200, anonymous.get("/health").status()),
          () -> assertEquals(200, anonymous.get("/-/healthy").status()),
          () ->
              assertTrue(
                  jvm.stderrLines()
                      .contains(
                          "[taskmaster] INFO serving metrics on http://127.0.0.1:"
                              + port
                              + "/metrics (basic authentication required; open: /health,"
                              + " /-/healthy)"),
                  jvm::describe),
          () -> assertFalse(jvm.stderr().contains(PASSWORD), jvm::describe),
          () -> assertFalse(right.get("/api/status").body().contains(PASSWORD)),
          () -> assertFalse(right.get("/health").body().contains(PASSWORD)),
          () -> assertFalse(scraped.body().contains(PASSWORD)));
    }
  }

  /**
   * The health checks behind credentials too; {@code POST /feedback} with a {@code feedback.token}
   * of its own checks that token instead (both would need the one {@code Authorization} header).
   */
  @Test
  void theHealthChecksCanRequireCredentialsToo() throws IOException {
    // The password given directly this time, not in a file.
    try (AgentJvm jvm =
        BadConfigurationTest.plainAppWithGoodBlock()
            .agentArg("exporter.auth.user", USER)
            .config("exporter.auth.password", PASSWORD)
            .agentArg("exporter.auth.health-open", "false")
            .agentArg("feedback.token", "feedback-token-5521")
            .start()) {
      jvm.awaitReady();
      ExporterClient anonymous = ExporterClient.http(jvm.port());
      ExporterClient right = ExporterClient.http(jvm.port()).credentials(USER, PASSWORD);
      ExporterClient feedback =
          ExporterClient.http(jvm.port()).authorization("Bearer feedback-token-5521");

      assertAll(
          () -> assertEquals(401, anonymous.postJson("/feedback", "{}").status()),
          () -> assertEquals(400, feedback.postJson("/feedback", "{}").status()),
          () -> assertEquals(401, feedback.get("/metrics").status()),
          () -> assertEquals(401, anonymous.get("/health").status()),
          () -> assertEquals(401, anonymous.get("/-/healthy").status()),
          () -> assertEquals(401, anonymous.get("/metrics").status()),
          () -> assertEquals(200, right.get("/health").status()),
          () -> assertEquals(4, plainModelCalls(right.body("/metrics"))),
          () -> assertFalse(jvm.stderr().contains(PASSWORD), jvm::describe));
    }
  }

  @Test
  void tlsServesHttpsOnly() throws IOException {
    Path store = keystore("PKCS12");
    try (AgentJvm jvm =
        BadConfigurationTest.plainAppWithGoodBlock()
            .agentArg("exporter.tls.keystore", store.toString())
            .agentArg("exporter.tls.keystore.password", STORE_PASSWORD)
            .start()) {
      jvm.awaitReady();
      int port = jvm.port();
      ExporterClient trusting =
          ExporterClient.https(port, TestKeystores.trusting(store, "PKCS12", STORE_PASSWORD));

      assertAll(
          () -> assertEquals(4, plainModelCalls(trusting.body("/metrics"))),
          () -> assertEquals(200, trusting.get("/health").status()),
          () -> assertEquals(200, trusting.get("/api/status").status()),
          () -> assertThrows(IOException.class, () -> ExporterClient.http(port).get("/metrics")),
          () ->
              assertInstanceOf(
                  SSLHandshakeException.class,
                  assertThrows(
                      IOException.class,
                      () -> ExporterClient.https(port, SSLContext.getDefault()).get("/metrics"))),
          () ->
              assertTrue(
                  jvm.stderrLines()
                      .contains(
                          "[taskmaster] INFO serving metrics on https://127.0.0.1:"
                              + port
                              + "/metrics"),
                  jvm::describe),
          () -> assertFalse(jvm.stderr().contains(STORE_PASSWORD), jvm::describe));
    }
  }

  @Test
  void authenticationOverTlsWithAJksKeystoreAndAPasswordFile() throws IOException {
    Path store = keystore("JKS");
    Path storePassword = shared.resolve("store-password");
    Files.writeString(storePassword, STORE_PASSWORD + "\r\n");
    try (AgentJvm jvm =
        BadConfigurationTest.plainAppWithGoodBlock()
            .agentArg("exporter.tls.keystore", store.toString())
            .agentArg("exporter.tls.keystore.type", "jks")
            .agentArg("exporter.tls.keystore.password.file", storePassword.toString())
            .agentArg("exporter.auth.user", USER)
            .agentArg("exporter.auth.password.file", passwordFile().toString())
            .start()) {
      jvm.awaitReady();
      SSLContext trust = TestKeystores.trusting(store, "JKS", STORE_PASSWORD);
      ExporterClient anonymous = ExporterClient.https(jvm.port(), trust);
      ExporterClient right = ExporterClient.https(jvm.port(), trust).credentials(USER, PASSWORD);
      ExporterClient wrong = ExporterClient.https(jvm.port(), trust).credentials(USER, "nope");

      assertAll(
          () -> assertEquals(401, anonymous.get("/metrics").status()),
          () -> assertEquals(401, wrong.get("/metrics").status()),
          () -> assertEquals(4, plainModelCalls(right.body("/metrics"))),
          () -> assertEquals(200, anonymous.get("/health").status()),
          () -> assertEquals(401, anonymous.get("/api/status").status()));
    }
  }

  /**
   * A real Prometheus scrapes the port with the README's configuration ({@code basic_auth} with a
   * password file, {@code tls_config} with the certificate as CA file); a job without credentials
   * is refused.
   */
  @Test
  void prometheusScrapesWithBasicAuthOverTls() throws IOException {
    Path binary = ExternalTools.prometheus();
    assumeTrue(
        binary != null,
        "prometheus not found on the PATH (-Dprometheus, $PROMETHEUS); skipped. Install it with"
            + " `apt-get install prometheus`.");
    Path store = keystore("PKCS12");
    Path ca =
        TestKeystores.certificatePem(store, "PKCS12", STORE_PASSWORD, shared.resolve("ca.crt"));
    Path password = passwordFile();
    try (AgentJvm jvm =
            BadConfigurationTest.plainAppWithGoodBlock()
                .agentArg("exporter.tls.keystore", store.toString())
                .agentArg("exporter.tls.keystore.password", STORE_PASSWORD)
                .agentArg("exporter.auth.user", USER)
                .agentArg("exporter.auth.password.file", password.toString())
                .start();
        ServerProcess prometheus = startPrometheus(binary, jvm.port(), password, ca)) {
      PrometheusApi api = new PrometheusApi(prometheus.uri());
      String scraped =
          "taskmaster_requests_total{job=\"taskmaster\",model=\"plain-model\",status=\"success\"}"
              + " == 4";
      String refused = "up{job=\"without-credentials\"} == 0";
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (!(api.query(scraped).hasData() && api.query(refused).hasData())
          && System.nanoTime() < deadline) {
        sleep();
      }
      String targets = api.get("/api/v1/targets").toString();

      assertAll(
          () -> assertTrue(api.query(scraped).hasData(), () -> prometheus.logTail(20) + targets),
          () -> assertTrue(api.query("up{job=\"taskmaster\"} == 1").hasData(), targets),
          () -> assertTrue(api.query(refused).hasData(), targets),
          () -> assertTrue(targets.contains("401 Unauthorized"), targets));
    }
  }

  private static ServerProcess startPrometheus(Path binary, int agentPort, Path password, Path ca) {
    return ServerProcess.start(
        "prometheus",
        (directory, port) -> {
          String target = "      - targets: ['127.0.0.1:" + agentPort + "']";
          Files.writeString(
              directory.resolve("prometheus.yml"),
              String.join(
                  "\n",
                  "global:",
                  "  scrape_interval: 1s",
                  "  scrape_timeout: 1s",
                  "scrape_configs:",
                  "  - job_name: taskmaster",
                  "    scheme: https",
                  "    basic_auth:",
                  "      username: " + USER,
                  "      password_file: '" + password + "'",
                  "    tls_config:",
                  "      ca_file: '" + ca + "'",
                  "    static_configs:",
                  target,
                  "  - job_name: without-credentials",
                  "    scheme: https",
                  "    tls_config:",
                  "      ca_file: '" + ca + "'",
                  "    static_configs:",
                  target,
                  ""),
              StandardCharsets.UTF_8);
          return List.of(
              binary.toString(),
              "--config.file=prometheus.yml",
              "--storage.tsdb.path=data",
              "--web.listen-address=127.0.0.1:" + port);
        });
  }

  private static void sleep() {
    try {
      Thread.sleep(200);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted");
    }
  }

  static Stream<Arguments> protectionThatCannotBeGiven() {
    return Stream.of(
        misconfigured(
            "user without password",
            b -> b.agentArg("exporter.auth.user", USER),
            "Neither exporter.auth.password nor exporter.auth.password.file is set",
            "exporter.auth.user=" + USER),
        misconfigured(
            "password without user",
            b -> b.agentArg("exporter.auth.password", "lonely-secret-1"),
            "exporter.auth.user is not set, but exporter.auth.password is"),
        misconfigured(
            "password file that does not exist",
            b ->
                b.agentArg("exporter.auth.user", USER)
                    .agentArg("exporter.auth.password.file", shared.resolve("gone").toString()),
            "exporter.auth.password.file=" + shared.resolve("gone") + " does not exist"),
        misconfigured(
            "password and password file",
            b -> {
              try {
                return b.agentArg("exporter.auth.user", USER)
                    .agentArg("exporter.auth.password", "lonely-secret-1")
                    .agentArg("exporter.auth.password.file", passwordFile().toString());
              } catch (IOException e) {
                throw new IllegalStateException(e);
              }
            },
            "Both exporter.auth.password and exporter.auth.password.file are set"),
        misconfigured(
            "keystore with a wrong password",
            b ->
                b.agentArg("exporter.tls.keystore", keystore("PKCS12").toString())
                    .agentArg("exporter.tls.keystore.password", "lonely-secret-1"),
            "exporter.tls.keystore=",
            "does not open: wrong password, or not a PKCS12 keystore"),
        misconfigured(
            "keystore that does not exist",
            b ->
                b.agentArg("exporter.tls.keystore", shared.resolve("none.p12").toString())
                    .agentArg("exporter.tls.keystore.password", STORE_PASSWORD),
            "exporter.tls.keystore=" + shared.resolve("none.p12"),
            "does not exist"),
        misconfigured(
            "keystore without password",
            b -> b.agentArg("exporter.tls.keystore", keystore("PKCS12").toString()),
            "Neither exporter.tls.keystore.password nor exporter.tls.keystore.password.file"));
  }

  private static Arguments misconfigured(
      String description, UnaryOperator<AgentJvm.Builder> setting, String... mentioned) {
    return Arguments.of(description, setting, mentioned);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("protectionThatCannotBeGiven")
  void oneLineThePortStaysClosedAndTheApplicationIsUnchanged(
      String description, UnaryOperator<AgentJvm.Builder> setting, String[] mentioned) {
    try (AgentJvm jvm = setting.apply(BadConfigurationTest.plainAppWithGoodBlock()).start()) {
      // The exporter (and with it the keystore) is opened on the agent's background thread: let
      // it give its verdict before the application is told to end.
      jvm.awaitStderr("is not served");
      AppRun run = AppRun.of(jvm);
      List<String> problems =
          run.agentStderr().stream()
              .filter(
                  line ->
                      line.startsWith("[taskmaster] WARN") || line.startsWith("[taskmaster] ERROR"))
              .collect(Collectors.toList());

      assertAll(
          () -> assertEquals(baseline.stdout(), run.stdout(), jvm::describe),
          () -> assertEquals(baseline.applicationStderr(), run.applicationStderr(), jvm::describe),
          () -> assertEquals(baseline.exitCode(), run.exitCode(), jvm::describe),
          () -> assertEquals(1, problems.size(), jvm::describe),
          () -> assertTrue(problems.get(0).startsWith("[taskmaster] ERROR "), jvm::describe),
          () ->
              assertTrue(
                  Arrays.stream(mentioned).allMatch(problems.get(0)::contains), jvm::describe),
          () ->
              assertTrue(
                  problems
                      .get(0)
                      .contains(
                          "The metrics port (/metrics, the status page, /health, /feedback) is not"
                              + " served"),
                  jvm::describe),
          () -> assertFalse(jvm.portFileExists(), "the port was opened\n" + jvm.describe()),
          () -> assertFalse(jvm.stderr().contains("lonely-secret-1"), jvm::describe),
          () -> assertFalse(jvm.stderr().contains("\tat "), jvm::describe));
    }
  }

  private static void assertStatus(int expected, ExporterClient client) throws IOException {
    assertEquals(expected, client.get("/metrics").status());
  }
}
