package dev.taskmaster.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.taskmaster.agent.config.AgentConfig;
import dev.taskmaster.agent.config.ConfigLoader;
import dev.taskmaster.agent.util.AgentLog;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ComponentSettingsTest {

  private final ByteArrayOutputStream captured = new ByteArrayOutputStream();
  private PrintStream originalErr;

  @BeforeEach
  void captureErr() {
    originalErr = System.err;
    System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
    AgentLog.setLevel("info");
  }

  @AfterEach
  void restoreErr() {
    System.setErr(originalErr);
  }

  private List<String> lines() {
    return captured.toString(StandardCharsets.UTF_8).lines().toList();
  }

  private static AgentConfig config(String agentArgs) {
    return ConfigLoader.load(agentArgs, Map.of(), Map.of(), null);
  }

  @Test
  void aUrlThatIsNotAcceptedIsShownWithoutItsQueryOrUserInformation() {
    assertEquals(
        "http//host/v1/models?...", ComponentSettings.shownUrl("http//host/v1/models?key=s3"));
    assertEquals("ftp://...@host/x#...", ComponentSettings.shownUrl(" ftp://me:s3@host/x#t=s3 "));
    assertEquals("no url", ComponentSettings.shownUrl("no url"));
  }

  @Test
  void aHeaderItemWithoutColonIsShownByItsFirstWordOnly() {
    assertEquals("Authorization ...", ComponentSettings.shownItem("Authorization Bearer s3cr3t"));
    assertEquals("api-key ...", ComponentSettings.shownItem("api-key=s3cr3t"));
    assertEquals("X-Api-Key ...", ComponentSettings.shownItem(" X-Api-Key\ts3cr3t"));
    assertEquals("lonely", ComponentSettings.shownItem("lonely"));
  }

  @Test
  void theHealthProbesWarningsNameTheKeyButNotTheCredential() {
    AgentConfig config = config("health.url=localhost:8080/v1/models?key=s3cr3t-u");
    captured.reset();
    assertNull(ComponentSettings.health(config));
    config = config("health.url=http://localhost:8080/v1/models,health.headers=X-Api-Key s3cr3t-h");
    ComponentSettings.health(config);

    assertEquals(
        List.of(
            "[taskmaster] WARN health.url=\"localhost:8080/v1/models?...\" is not accepted:"
                + " expected an http:// or https:// URL with a host; ignored",
            "[taskmaster] WARN health.headers=\"X-Api-Key ...\" is not accepted: expected items"
                + " name:value; ignored"),
        lines());
  }
}
