package dev.taskmaster.agent.export;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.taskmaster.agent.config.AgentConfig;
import dev.taskmaster.agent.config.ConfigLoader;
import dev.taskmaster.agent.util.AgentLog;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExporterSecurityTest {

  private static final String CLOSED =
      " The metrics port (/metrics, the status page, /health, /feedback) is not served, rather"
          + " than served without the protection asked for; metrics are still collected.";
  private static final String SECRET = "s3cret-Pa55word";

  @TempDir Path dir;

  private final ByteArrayOutputStream stderr = new ByteArrayOutputStream();
  private PrintStream originalErr;

  @BeforeEach
  void captureStderr() {
    originalErr = System.err;
    System.setErr(new PrintStream(stderr, true, StandardCharsets.UTF_8));
  }

  @AfterEach
  void restoreStderr() {
    System.setErr(originalErr);
    AgentLog.setLevel("info");
  }

  private AgentConfig config(String args) {
    return ConfigLoader.load(args, Map.of(), Map.of(), dir);
  }

  private ExporterSecurity load(String args) throws ExporterSecurity.Refused {
    return ExporterSecurity.load(config(args));
  }

  private String refusal(String args) {
    String message = assertThrows(ExporterSecurity.Refused.class, () -> load(args)).getMessage();
    assertFalse(message.contains(SECRET), message);
    assertFalse(stderr.toString(StandardCharsets.UTF_8).contains(SECRET), stderr::toString);
    return message;
  }

  private static String basic(String user, String password) {
    return "Basic "
        + Base64.getEncoder()
            .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
  }

  private BasicAuthGate gate(ExporterSecurity security) throws Exception {
    java.lang.reflect.Field auth = ExporterSecurity.class.getDeclaredField("auth");
    auth.setAccessible(true);
    return (BasicAuthGate) auth.get(security);
  }

  @Test
  void nothingSetMeansPlainHttpWithoutAuthentication() throws Exception {
    ExporterSecurity security = load("");

    assertAll(
        () -> assertFalse(security.authenticated()),
        () -> assertFalse(security.tls()),
        () -> assertEquals("http", security.scheme()),
        () -> assertEquals(Set.of(), security.openPaths()),
        () -> assertEquals("", security.describe()));
  }

  @Test
  void userAndPasswordTurnOnBasicAuthenticationWithHealthOpen() throws Exception {
    ExporterSecurity security = load("exporter.auth.user=prom,exporter.auth.password=" + SECRET);

    assertTrue(security.authenticated());
    assertEquals(Set.of("/health", "/-/healthy"), security.openPaths());
    assertEquals(
        " (basic authentication required; open: /health, /-/healthy)", security.describe());
    assertTrue(gate(security).accepts(basic("prom", SECRET)));
    assertFalse(gate(security).accepts(basic("prom", SECRET + "x")));
  }

  @Test
  void healthCanBeClosedToo() throws Exception {
    ExporterSecurity security =
        load(
            "exporter.auth.user=prom,exporter.auth.password="
                + SECRET
                + ",exporter.auth.health-open=false");

    assertEquals(Set.of(), security.openPaths());
    assertEquals(" (basic authentication required)", security.describe());
  }

  @Test
  void feedbackWithItsOwnTokenStaysOpenToThatToken() throws Exception {
    ExporterSecurity withToken =
        load("exporter.auth.user=prom,exporter.auth.password=" + SECRET + ",feedback.token=tok");
    ExporterSecurity tokenButFeedbackOff =
        load(
            "exporter.auth.user=prom,exporter.auth.password="
                + SECRET
                + ",feedback.token=tok,feedback.enabled=false");

    assertEquals(Set.of("/health", "/-/healthy", "/feedback"), withToken.openPaths());
    assertEquals(Set.of("/health", "/-/healthy"), tokenButFeedbackOff.openPaths());
  }

  @Test
  void passwordFileLosesTheLineBreaksAtItsEndOnly() throws Exception {
    Files.writeString(dir.resolve("crlf"), " " + SECRET + " \r\n");
    Files.writeString(dir.resolve("lf"), SECRET + "\n\n");
    Files.writeString(dir.resolve("none"), SECRET);

    for (String file : new String[] {"lf", "none"}) {
      BasicAuthGate gate =
          gate(load("exporter.auth.user=prom,exporter.auth.password.file=" + file));
      assertTrue(gate.accepts(basic("prom", SECRET)), file);
      assertFalse(gate.accepts(basic("prom", SECRET + "\n")), file);
    }
    BasicAuthGate spaces = gate(load("exporter.auth.user=prom,exporter.auth.password.file=crlf"));
    assertTrue(spaces.accepts(basic("prom", " " + SECRET + " ")));
    assertFalse(spaces.accepts(basic("prom", SECRET)));
  }

  @Test
  void aUserWithoutPasswordIsRefused() {
    assertEquals(
        "Neither exporter.auth.password nor exporter.auth.password.file is set for basic"
            + " authentication of exporter.auth.user=prom."
            + CLOSED
            + " Accepted: exactly one of exporter.auth.password and exporter.auth.password.file.",
        refusal("exporter.auth.user=prom"));
  }

  @Test
  void aPasswordWithoutUserIsRefused() {
    assertEquals(
        "exporter.auth.user is not set, but exporter.auth.password is: basic authentication needs"
            + " both."
            + CLOSED
            + " Accepted: a user name in exporter.auth.user with exactly one of"
            + " exporter.auth.password and exporter.auth.password.file.",
        refusal("exporter.auth.password=" + SECRET));
    assertTrue(
        refusal("exporter.auth.user=,exporter.auth.password=" + SECRET)
            .startsWith("exporter.auth.user is empty, but exporter.auth.password is:"));
    assertTrue(
        refusal("exporter.auth.password.file=pw")
            .startsWith("exporter.auth.user is not set, but exporter.auth.password.file is:"));
  }

  @Test
  void passwordAndPasswordFileTogetherAreRefused() throws Exception {
    Files.writeString(dir.resolve("pw"), SECRET);

    assertTrue(
        refusal(
                "exporter.auth.user=prom,exporter.auth.password="
                    + SECRET
                    + ",exporter.auth.password.file=pw")
            .startsWith(
                "Both exporter.auth.password and exporter.auth.password.file are set for basic"
                    + " authentication of exporter.auth.user=prom."));
  }

  @Test
  void anUnusablePasswordFileIsRefused() throws Exception {
    Files.writeString(dir.resolve("blank"), "\n");
    Files.write(dir.resolve("binary"), new byte[] {(byte) 0xff, (byte) 0xfe, 0x41});

    assertEquals(
        "exporter.auth.password.file="
            + dir.resolve("missing")
            + " does not exist."
            + CLOSED
            + " Accepted: exactly one of exporter.auth.password and exporter.auth.password.file.",
        refusal("exporter.auth.user=prom,exporter.auth.password.file=missing"));
    assertTrue(
        refusal("exporter.auth.user=prom,exporter.auth.password.file=blank")
            .startsWith("exporter.auth.password.file=" + dir.resolve("blank") + " is empty."));
    assertTrue(
        refusal("exporter.auth.user=prom,exporter.auth.password.file=binary")
            .startsWith(
                "exporter.auth.password.file=" + dir.resolve("binary") + " is not UTF-8 text."));
    assertTrue(
        refusal("exporter.auth.user=prom,exporter.auth.password.file=" + dir)
            .startsWith("exporter.auth.password.file=" + dir + " cannot be read ("));
  }

  @Test
  void aUserNameWithAColonIsRefused() {
    assertTrue(
        refusal("exporter.auth.user=a:b,exporter.auth.password=" + SECRET)
            .startsWith(
                "exporter.auth.user=\"a:b\" contains ':', which basic authentication cannot carry"));
  }

  @Test
  void aKeystoreWithItsPasswordTurnsOnTls() throws Exception {
    Keystores.withKey(dir, "port.p12", "PKCS12", SECRET);
    Keystores.withKey(dir, "port.jks", "JKS", SECRET);
    Files.writeString(dir.resolve("storepass"), SECRET + "\n");

    ExporterSecurity pkcs12 =
        load("exporter.tls.keystore=port.p12,exporter.tls.keystore.password=" + SECRET);
    ExporterSecurity jks =
        load(
            "exporter.tls.keystore=port.jks,exporter.tls.keystore.type=JKS,"
                + "exporter.tls.keystore.password.file=storepass");

    assertAll(
        () -> assertTrue(pkcs12.tls()),
        () -> assertEquals("https", pkcs12.scheme()),
        () -> assertFalse(pkcs12.authenticated()),
        () -> assertTrue(jks.tls()));
  }

  @Test
  void aKeystoreThatDoesNotOpenIsRefused() throws Exception {
    Path store = Keystores.withKey(dir, "port.p12", "PKCS12", SECRET);
    Keystores.certificateOnly(dir, store, SECRET);
    Files.writeString(dir.resolve("junk.p12"), "not a keystore");

    assertEquals(
        "exporter.tls.keystore="
            + store
            + " (exporter.tls.keystore.type=pkcs12) does not open: wrong password, or not a"
            + " PKCS12 keystore (IOException)."
            + CLOSED
            + " Accepted: a PKCS12 or JKS keystore, its type in exporter.tls.keystore.type, and its"
            + " password.",
        refusal("exporter.tls.keystore=port.p12,exporter.tls.keystore.password=wrong"));
    assertTrue(
        refusal("exporter.tls.keystore=junk.p12,exporter.tls.keystore.password=" + SECRET)
            .contains(") does not open: wrong password, or not a PKCS12 keystore"));
    assertTrue(
        refusal("exporter.tls.keystore=trust.p12,exporter.tls.keystore.password=" + SECRET)
            .startsWith(
                "exporter.tls.keystore="
                    + dir.resolve("trust.p12")
                    + " (exporter.tls.keystore.type=pkcs12) holds no private key, only"
                    + " certificates."));
    assertTrue(
        refusal("exporter.tls.keystore=gone.p12,exporter.tls.keystore.password=" + SECRET)
            .startsWith(
                "exporter.tls.keystore="
                    + dir.resolve("gone.p12")
                    + " (exporter.tls.keystore.type=pkcs12) does not exist."));
  }

  @Test
  void halfATlsConfigurationIsRefused() throws Exception {
    Keystores.withKey(dir, "port.p12", "PKCS12", SECRET);

    assertTrue(
        refusal("exporter.tls.keystore=port.p12")
            .startsWith(
                "Neither exporter.tls.keystore.password nor exporter.tls.keystore.password.file is"
                    + " set for exporter.tls.keystore="
                    + dir.resolve("port.p12")
                    + "."));
    assertTrue(
        refusal("exporter.tls.keystore.password=" + SECRET)
            .startsWith(
                "exporter.tls.keystore is not set, but other exporter.tls.* settings are."));
    assertTrue(
        refusal("exporter.tls.keystore.type=jks")
            .startsWith(
                "exporter.tls.keystore is not set, but other exporter.tls.* settings are."));
  }
}
