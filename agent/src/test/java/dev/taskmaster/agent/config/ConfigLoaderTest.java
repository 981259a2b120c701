package dev.taskmaster.agent.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.taskmaster.agent.util.AgentLog;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {

  @TempDir Path workDir;

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

  private AgentConfig load(String args, Map<String, String> sys, Map<String, String> env) {
    return ConfigLoader.load(args, sys, env, workDir);
  }

  private AgentConfig args(String args) {
    return load(args, Map.of(), Map.of());
  }

  private Path write(String name, String content) throws IOException {
    Path file = workDir.resolve(name);
    Files.writeString(file, content, StandardCharsets.UTF_8);
    return file;
  }

  private static void assertOneProblem(AgentConfig config, String expected) {
    assertEquals(List.of(expected), config.problems());
  }

  @Test
  void defaultsWhenNothingIsSet() {
    AgentConfig config = ConfigLoader.load(null, Map.of(), Map.of(), null);

    assertEquals(List.of(), config.problems());
    assertEquals("taskmaster", config.serviceName());
    assertEquals("taskmaster", config.metricsPrefix());
    assertEquals(50, config.maxModels());
    assertTrue(config.exporterEnabled());
    assertEquals("0.0.0.0", config.exporterHost());
    assertEquals(9470, config.exporterPort());
    assertNull(config.exporterPortFile());
    assertEquals("info", config.logLevel());
    assertEquals(3, config.healthFailureThreshold());
    assertNull(config.get(ConfigKeys.CONFIG));
    assertEquals(List.of(), config.interceptions());
    assertEquals(Map.of(), config.rawValues());
    assertEquals("", stderr.toString(StandardCharsets.UTF_8));
  }

  @Test
  void defaultsHelperMatchesAnEmptyLoad() {
    AgentConfig config = AgentConfig.defaults();
    assertEquals(9470, config.exporterPort());
    assertEquals(List.of(), config.problems());
  }

  @Test
  void precedenceIsArgumentThenSystemPropertyThenEnvironmentThenFileThenDefault()
      throws IOException {
    write("agent.properties", "exporter.port=1001\nservice.name=from-file\n");
    Map<String, String> sys = Map.of("taskmaster.exporter.port", "1002");
    Map<String, String> env =
        Map.of("TASKMASTER_EXPORTER_PORT", "1003", "TASKMASTER_EXPORTER_HOST", "127.0.0.1");

    assertEquals(1004, load("exporter.port=1004", sys, env).exporterPort());
    assertEquals(1002, load(null, sys, env).exporterPort());
    assertEquals(1003, load(null, Map.of(), env).exporterPort());
    assertEquals(1001, load(null, Map.of(), Map.of()).exporterPort());

    AgentConfig mixed = load("exporter.port=1004", sys, env);
    assertEquals("from-file", mixed.serviceName());
    assertEquals("127.0.0.1", mixed.exporterHost());
    assertEquals(50, mixed.maxModels());
    assertEquals("the agent argument", mixed.sourceOf("exporter.port"));
    assertEquals("environment variable TASKMASTER_EXPORTER_HOST", mixed.sourceOf("exporter.host"));
    assertEquals("file " + workDir.resolve("agent.properties"), mixed.sourceOf("service.name"));
    assertNull(mixed.sourceOf("metrics.max-models"));
    assertEquals("1004", mixed.rawValues().get("exporter.port"));
    assertEquals(List.of(), mixed.problems());
  }

  @Test
  void configFileNamedByAnySourceReplacesTheDefaultFile() throws IOException {
    write("agent.properties", "service.name=default-file\n");
    Path named = write("named.properties", "service.name=named-file\n");

    assertEquals("named-file", args("config=" + named).serviceName());
    assertEquals(
        "named-file",
        load(null, Map.of("taskmaster.config", named.toString()), Map.of()).serviceName());
    assertEquals(
        "named-file",
        load(null, Map.of(), Map.of("TASKMASTER_CONFIG", named.toString())).serviceName());
    assertEquals(named, args("config=" + named).get(ConfigKeys.CONFIG));
    assertEquals("default-file", args(null).serviceName());
    assertEquals(workDir.resolve("agent.properties"), args(null).get(ConfigKeys.CONFIG));
  }

  @Test
  void relativeConfigPathIsResolvedAgainstTheWorkingDirectory() throws IOException {
    Files.createDirectories(workDir.resolve("etc"));
    write("etc/tm.properties", "exporter.port.file=run/port\n");

    AgentConfig config = args("config=etc/tm.properties");

    assertEquals(List.of(), config.problems());
    assertEquals(workDir.resolve("run/port"), config.exporterPortFile());
  }

  @Test
  void missingConfigFileGivesOneWarningAndTheRestStillApplies() {
    Path missing = workDir.resolve("nope.properties");

    AgentConfig config =
        load(
            "config=" + missing + ",exporter.port=9999",
            Map.of("taskmaster.service.name", "svc"),
            Map.of());

    assertOneProblem(
        config,
        "config=\""
            + missing
            + "\" from the agent argument cannot be read (file not found);"
            + " continuing with the other sources and the defaults");
    assertEquals(9999, config.exporterPort());
    assertEquals("svc", config.serviceName());
  }

  @Test
  void configThatIsADirectoryIsReported() {
    AgentConfig config = args("config=" + workDir);

    assertEquals(1, config.problems().size());
    assertTrue(config.problems().get(0).startsWith("config=\"" + workDir + "\""));
    assertTrue(config.problems().get(0).contains("cannot be read"));
  }

  @Test
  void configInsideTheFileIsIgnored() throws IOException {
    write("agent.properties", "config=/elsewhere.properties\nexporter.port=1234\n");

    AgentConfig config = args(null);

    assertOneProblem(
        config,
        "config in file "
            + workDir.resolve("agent.properties")
            + " is ignored: the file to read is named by the agent argument,"
            + " -Dtaskmaster.config or TASKMASTER_CONFIG");
    assertEquals(1234, config.exporterPort());
  }

  @Test
  void propertiesFileSyntaxAndUtf8() throws IOException {
    write(
        "agent.properties",
        "# comment\n! other comment\nservice.name = caf\u00e9 service  \n"
            + "exporter.host:127.0.0.1\nexporter.port \\\n  = 1234\n");

    AgentConfig config = args(null);

    assertEquals(List.of(), config.problems());
    assertEquals("caf\u00e9 service", config.serviceName());
    assertEquals("127.0.0.1", config.exporterHost());
    assertEquals(1234, config.exporterPort());
  }

  @Test
  void agentArgumentEntriesAreTrimmedAndCheckedOneByOne() {
    AgentConfig config =
        args(" exporter.port = 9999 ,, service.name=a=b , oops ,=x, exporter.enabled=off,");

    assertEquals(
        List.of(
            "Agent argument entry \"oops\" has no '=' and is ignored: expected key=value entries"
                + " separated by ',' (separate list items inside a value with ';')",
            "Agent argument entry \"=x\" has no key and is ignored: expected key=value entries"
                + " separated by ',' (separate list items inside a value with ';')"),
        config.problems());
    assertEquals(9999, config.exporterPort());
    assertEquals("a=b", config.serviceName());
    assertEquals(false, config.exporterEnabled());
  }

  @Test
  void repeatedKeyInTheAgentArgumentUsesTheLastValue() {
    AgentConfig config = args("exporter.port=1,exporter.port=2");

    assertOneProblem(
        config,
        "exporter.port is given more than once in the agent argument; the last value is used");
    assertEquals(2, config.exporterPort());
  }

  @Test
  void environmentNamesMapBackToKeys() {
    Map<String, String> env = new HashMap<>();
    env.put("TASKMASTER_EXPORTER_PORT_FILE", "/tmp/port");
    env.put("TASKMASTER_METRICS_MAX_MODELS", "7");
    env.put("TASKMASTER_HEALTH_FAILURE_THRESHOLD", "9");
    env.put("TASKMASTER_LOG_LEVEL", "WARN");
    env.put("PATH", "/usr/bin");
    env.put("TASKMASTERX", "not ours");

    AgentConfig config = load(null, Map.of(), env);

    assertEquals(List.of(), config.problems());
    assertEquals(Path.of("/tmp/port"), config.exporterPortFile());
    assertEquals(7, config.maxModels());
    assertEquals(9, config.healthFailureThreshold());
    assertEquals("warn", config.logLevel());
    assertEquals("7", config.rawValues().get("metrics.max-models"));
  }

  @Test
  void onlyTaskmasterSystemPropertiesAreRead() {
    Map<String, String> sys = new HashMap<>();
    sys.put("java.version", "17");
    sys.put("taskmaster.metrics.prefix", "llm");
    sys.put("taskmasterx.metrics.prefix", "no");

    AgentConfig config = load(null, sys, Map.of());

    assertEquals(List.of(), config.problems());
    assertEquals("llm", config.metricsPrefix());
  }

  @Test
  void realSystemPropertiesAreCopiedByPrefix() {
    System.setProperty("taskmaster.test-only", "1");
    try {
      Map<String, String> copy = ConfigLoader.systemProperties();
      assertEquals("1", copy.get("taskmaster.test-only"));
      for (String key : copy.keySet()) {
        assertTrue(key.startsWith("taskmaster."), key);
      }
    } finally {
      System.clearProperty("taskmaster.test-only");
    }
  }

  @Test
  void aMistypedSecretKeyIsReportedWithoutItsValue() {
    AgentConfig config =
        load(
            "exporter.auth.pasword=hunter2,feedback.tokn=tok-1",
            Map.of("taskmaster.exporter.tls.keystore.passwd", "changeit"),
            Map.of(
                "TASKMASTER_EXPORTER_AUTH_PASSWRD", "hunter3", "TASKMASTER_OPENAI_API_KEY", "k"));

    assertEquals(
        List.of(
            "Unknown setting exporter.auth.pasword=(hidden) in the agent argument is ignored;"
                + " did you mean exporter.auth.password?",
            "Unknown setting feedback.tokn=(hidden) in the agent argument is ignored;"
                + " did you mean feedback.token?",
            "Unknown setting taskmaster.exporter.tls.keystore.passwd=(hidden) in the system"
                + " properties is ignored; did you mean taskmaster.exporter.tls.keystore.password?",
            "Unknown setting TASKMASTER_EXPORTER_AUTH_PASSWRD=(hidden) in the environment is"
                + " ignored; did you mean TASKMASTER_EXPORTER_AUTH_PASSWORD?",
            "Unknown setting TASKMASTER_OPENAI_API_KEY=(hidden) in the environment is ignored"),
        config.problems());
    assertTrue(config.problems().stream().noneMatch(line -> line.contains("hunter")));
  }

  @Test
  void unknownKeysAreReportedOnceEachWithTheClosestKnownKey() throws IOException {
    write("agent.properties", "metrics.max-model=5\ncompletely.different=1\n");

    AgentConfig config =
        load(
            "exporter.prot=1",
            Map.of("taskmaster.service.nam", "x"),
            Map.of("TASKMASTER_EXPORTER_HOTS", "h", "TASKMASTER_SOMETHING_ELSE", "y"));

    assertEquals(
        List.of(
            "Unknown setting exporter.prot=\"1\" in the agent argument is ignored;"
                + " did you mean exporter.port?",
            "Unknown setting taskmaster.service.nam=\"x\" in the system properties is ignored;"
                + " did you mean taskmaster.service.name?",
            "Unknown setting TASKMASTER_EXPORTER_HOTS=\"h\" in the environment is ignored;"
                + " did you mean TASKMASTER_EXPORTER_HOST?",
            "Unknown setting TASKMASTER_SOMETHING_ELSE=\"y\" in the environment is ignored",
            "Unknown setting completely.different=\"1\" in file "
                + workDir.resolve("agent.properties")
                + " is ignored",
            "Unknown setting metrics.max-model=\"5\" in file "
                + workDir.resolve("agent.properties")
                + " is ignored; did you mean metrics.max-models?"),
        config.problems());
    assertEquals(Map.of(), config.rawValues());
    assertEquals(9470, config.exporterPort());
  }

  @Test
  void badValuesNameKeyValueAndWhatIsAcceptedAndFallBackToTheDefault() {
    AgentConfig config =
        args(
            "exporter.port=99999,metrics.max-models=lots,health.failure-threshold=0,"
                + "exporter.enabled=maybe,log.level=verbose,metrics.prefix=9bad-prefix,"
                + "exporter.host=");

    assertEquals(
        List.of(
            "metrics.prefix=\"9bad-prefix\" from the agent argument is not accepted: expected a"
                + " text matching the regular expression [a-zA-Z_][a-zA-Z0-9_]*;"
                + " using the default taskmaster",
            "metrics.max-models=\"lots\" from the agent argument is not accepted:"
                + " expected an integer from 1 to 10000; using the default 50",
            "exporter.enabled=\"maybe\" from the agent argument is not accepted:"
                + " expected true or false (also yes/no, on/off); using the default true",
            "exporter.host from the agent argument is empty: expected a non-empty text;"
                + " using the default 0.0.0.0",
            "exporter.port=\"99999\" from the agent argument is not accepted:"
                + " expected an integer from 0 to 65535; using the default 9470",
            "log.level=\"verbose\" from the agent argument is not accepted:"
                + " expected one of error, warn, info, debug, off; using the default info",
            "health.failure-threshold=\"0\" from the agent argument is not accepted:"
                + " expected an integer from 1 to 1000; using the default 3"),
        config.problems());
    assertEquals(9470, config.exporterPort());
    assertEquals(50, config.maxModels());
    assertEquals(3, config.healthFailureThreshold());
    assertTrue(config.exporterEnabled());
    assertEquals("info", config.logLevel());
    assertEquals("taskmaster", config.metricsPrefix());
    assertEquals("0.0.0.0", config.exporterHost());
  }

  @Test
  void hugeNumbersAreRejectedNotWrapped() {
    AgentConfig config = args("exporter.port=4294976766,metrics.max-models=99999999999999999999");

    assertEquals(2, config.problems().size());
    assertTrue(config.problems().get(0).startsWith("metrics.max-models=\"99999999999999999999\""));
    assertTrue(config.problems().get(1).startsWith("exporter.port=\"4294976766\""));
    assertEquals(9470, config.exporterPort());
    assertEquals(50, config.maxModels());
  }

  @Test
  void badValueInAHigherSourceFallsBackToTheDefaultNotToALowerSource() {
    AgentConfig config =
        load("exporter.port=abc", Map.of(), Map.of("TASKMASTER_EXPORTER_PORT", "1234"));

    assertEquals(9470, config.exporterPort());
    assertEquals(1, config.problems().size());
  }

  @Test
  void booleansAcceptTrueFalseYesNoOnOffInAnyCase() {
    for (String yes : List.of("true", "TRUE", "yes", "Yes", "on", "ON")) {
      assertTrue(args("exporter.enabled=" + yes).exporterEnabled(), yes);
    }
    for (String no : List.of("false", "False", "no", "NO", "off", "Off")) {
      assertEquals(false, args("exporter.enabled=" + no).exporterEnabled(), no);
    }
  }

  @Test
  void valuesWithLineBreaksStayOnOneWarningLine() {
    AgentConfig config = load(null, Map.of(), Map.of("TASKMASTER_EXPORTER_PORT", "1\n2\"x"));

    assertOneProblem(
        config,
        "exporter.port=\"1\\n2\\\"x\" from environment variable TASKMASTER_EXPORTER_PORT is not"
            + " accepted: expected an integer from 0 to 65535; using the default 9470");
  }

  @Test
  void eachProblemIsLoggedOnceAndLogLevelIsApplied() {
    args("exporter.port=x,log.level=debug");

    assertEquals(
        "[taskmaster] WARN exporter.port=\"x\" from the agent argument is not accepted:"
            + " expected an integer from 0 to 65535; using the default 9470\n",
        stderr.toString(StandardCharsets.UTF_8).replace("\r\n", "\n"));
    assertEquals("debug", AgentLog.level());
  }

  @Test
  void logLevelOffSilencesConfigurationWarnings() {
    AgentConfig config = args("exporter.port=x,log.level=off");

    assertEquals(1, config.problems().size());
    assertEquals("", stderr.toString(StandardCharsets.UTF_8));
  }

  @Test
  void neverThrowsOnOddInput() {
    Map<String, String> withNulls = new HashMap<>();
    withNulls.put("taskmaster.exporter.port", null);
    withNulls.put(null, "x");

    AgentConfig config = ConfigLoader.load(",,,=,==,\u0000", withNulls, withNulls, workDir);
    assertEquals(9470, config.exporterPort());
    AgentConfig nullMaps = ConfigLoader.load("exporter.port=1", null, null, null);
    assertEquals(1, nullMaps.exporterPort());
    AgentConfig badPath = args("config=bad\u0000path,exporter.port.file=\u0000");
    assertEquals(2, badPath.problems().size());
    assertNull(badPath.exporterPortFile());
  }

  @Test
  void realSourcesLoad() {
    AgentConfig config = ConfigLoader.load("exporter.port=0");
    assertEquals(0, config.exporterPort());
  }

  @Test
  void closestIgnoresCaseAndDistantNames() {
    List<String> keys = List.of("exporter.port", "exporter.host");
    assertEquals(
        "exporter.port", ConfigLoader.closest("EXPORTER.PORT", new java.util.ArrayList<>(keys)));
    assertEquals(
        "exporter.host", ConfigLoader.closest("exporter.hst", new java.util.ArrayList<>(keys)));
    assertNull(ConfigLoader.closest("exporter", new java.util.ArrayList<>(keys)));
  }
}
