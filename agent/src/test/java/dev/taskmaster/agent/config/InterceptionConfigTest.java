package dev.taskmaster.agent.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.taskmaster.agent.util.AgentLog;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InterceptionConfigTest {

  private static final String EXAMPLE =
      String.join(
          "\n",
          "intercept.chat.class=com.example.llm.LlmClient",
          "intercept.chat.method=complete",
          "intercept.chat.params=java.lang.String,com.example.llm.Options",
          "intercept.chat.endpoint=chat",
          "intercept.chat.model=arg1.model",
          "intercept.chat.prompt=arg0",
          "intercept.chat.response=return.choices()[0].message().content()",
          "intercept.chat.tokens.input=return.usage().promptTokens()",
          "intercept.chat.tokens.output=return.usage().completionTokens()",
          "");

  @TempDir Path workDir;
  private PrintStream originalErr;

  @BeforeEach
  void silenceStderr() {
    originalErr = System.err;
    System.setErr(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
  }

  @AfterEach
  void restoreStderr() {
    System.setErr(originalErr);
    AgentLog.setLevel("info");
  }

  private AgentConfig file(String content) throws IOException {
    Files.writeString(workDir.resolve("agent.properties"), content, StandardCharsets.UTF_8);
    return ConfigLoader.load(null, Map.of(), Map.of(), workDir);
  }

  private static AgentConfig args(String args) {
    return ConfigLoader.load(args, Map.of(), Map.of(), null);
  }

  private static String origin(Path workDir) {
    return "file " + workDir.resolve("agent.properties");
  }

  @Test
  void fullBlockFromTheReadme() throws IOException {
    AgentConfig config = file(EXAMPLE);

    assertEquals(List.of(), config.problems());
    InterceptionSpec spec = config.interceptions().get(0);
    assertEquals(0, spec.id());
    assertEquals("chat", spec.name());
    assertEquals("com.example.llm.LlmClient", spec.className());
    assertEquals("complete", spec.methodName());
    assertEquals(List.of("java.lang.String", "com.example.llm.Options"), spec.parameterTypes());
    assertEquals("chat", spec.endpoint());
    assertEquals("arg1.model", spec.model().expression());
    assertEquals("arg0", spec.prompt().expression());
    assertEquals("return.choices()[0].message().content()", spec.response().expression());
    assertEquals("return.usage().promptTokens()", spec.inputTokens().expression());
    assertEquals("return.usage().completionTokens()", spec.outputTokens().expression());
    assertEquals("prompt", spec.prompt().resolve(null, new Object[] {"prompt"}, null));
  }

  @Test
  void minimalBlockHasDefaults() {
    AgentConfig config = args("intercept.c.class=a.B,intercept.c.method=m");

    InterceptionSpec spec = config.interceptions().get(0);
    assertNull(spec.parameterTypes());
    assertEquals("c", spec.endpoint());
    assertNull(spec.model());
    assertNull(spec.prompt());
    assertNull(spec.response());
    assertNull(spec.inputTokens());
    assertNull(spec.outputTokens());
  }

  @Test
  void blocksAreSortedByNameAndNumbered() {
    AgentConfig config =
        args(
            "intercept.zeta.class=a.Z,intercept.zeta.method=z,"
                + "intercept.alpha.class=a.A,intercept.alpha.method=a,"
                + "intercept.mid_1-x.class=a.M,intercept.mid_1-x.method=m");

    List<InterceptionSpec> specs = config.interceptions();
    assertEquals(3, specs.size());
    for (int i = 0; i < specs.size(); i++) {
      assertEquals(i, specs.get(i).id());
    }
    assertEquals("alpha", specs.get(0).name());
    assertEquals("mid_1-x", specs.get(1).name());
    assertEquals("zeta", specs.get(2).name());
  }

  @Test
  void parameterTypes() {
    assertEquals(List.of(), params(""));
    assertEquals(
        List.of("int", "long[]", "java.lang.String[][]"),
        params("int, long[] ;java.lang.String[][]"));
    assertEquals(List.of("java.lang.Object[]"), params("java.lang.Object..."));
    assertEquals(List.of("com.example.Outer$Inner"), params("com.example.Outer$Inner"));
    assertEquals(List.of("byte[]"), params("byte [ ]"));
    assertNull(InterceptionParser.parseParameterTypes("int,"));
    assertNull(InterceptionParser.parseParameterTypes("java.lang.String]"));
    assertNull(InterceptionParser.parseParameterTypes("java..String"));
    assertNull(InterceptionParser.parseParameterTypes("1int"));
    assertNull(InterceptionParser.parseParameterTypes("java.lang.String[1]"));
  }

  private static List<String> params(String value) {
    Map<String, String> sys =
        Map.of(
            "taskmaster.intercept.c.class", "a.B",
            "taskmaster.intercept.c.method", "m",
            "taskmaster.intercept.c.params", value);
    AgentConfig config = ConfigLoader.load(null, sys, Map.of(), null);
    assertEquals(List.of(), config.problems());
    return config.interceptions().get(0).parameterTypes();
  }

  @Test
  void missingClassOrMethodDisablesOnlyThatBlock() {
    AgentConfig config =
        args(
            "intercept.good.class=a.B,intercept.good.method=m,"
                + "intercept.noclass.method=m,intercept.nomethod.class=a.B,"
                + "intercept.empty.class=,intercept.empty.method=m");

    assertEquals(
        List.of(
            "intercept.empty.class from the agent argument is empty: expected a fully qualified"
                + " class name such as com.example.llm.LlmClient; interception \"empty\" is"
                + " disabled",
            "intercept.noclass.class is missing: an interception block needs class and method;"
                + " interception \"noclass\" is disabled",
            "intercept.nomethod.method is missing: an interception block needs class and method;"
                + " interception \"nomethod\" is disabled"),
        config.problems());
    assertEquals(1, config.interceptions().size());
    assertEquals("good", config.interceptions().get(0).name());
    assertEquals(0, config.interceptions().get(0).id());
  }

  @Test
  void badNamesDisableTheBlock() {
    AgentConfig config =
        args(
            "intercept.c.class=com.example..Client,intercept.c.method=do-it,"
                + "intercept.d.class=a.B,intercept.d.method=m,intercept.d.params=String;1x");

    assertEquals(
        List.of(
            "intercept.c.class=\"com.example..Client\" from the agent argument is not accepted:"
                + " expected a fully qualified class name such as com.example.llm.LlmClient"
                + " ($ for nested); interception \"c\" is disabled",
            "intercept.c.method=\"do-it\" from the agent argument is not accepted: expected a"
                + " method name such as complete; interception \"c\" is disabled",
            "intercept.d.params=\"String;1x\" from the agent argument is not accepted: expected"
                + " fully qualified parameter types separated by ',' or ';' such as"
                + " java.lang.String;int[], or nothing for the method without parameters;"
                + " interception \"d\" is disabled"),
        config.problems());
    assertEquals(List.of(), config.interceptions());
  }

  @Test
  void unknownFieldDisablesTheBlockAndSuggestsTheField() throws IOException {
    AgentConfig config =
        file(
            EXAMPLE
                + "intercept.chat.tokens.inptu=return.x\nintercept.other.class=a.B\n"
                + "intercept.other.method=m\n");

    assertEquals(
        List.of(
            "intercept.chat.tokens.inptu from "
                + origin(workDir)
                + " is not a known interception field (did you mean intercept.chat.tokens.input?):"
                + " the fields are class, method, params, endpoint, model, prompt, response,"
                + " tokens.input, tokens.output, tokens.cached, id; interception \"chat\" is disabled"),
        config.problems());
    assertEquals(1, config.interceptions().size());
    assertEquals("other", config.interceptions().get(0).name());
  }

  @Test
  void badValuePathDropsOnlyThatField() throws IOException {
    AgentConfig config = file(EXAMPLE.replace("=arg1.model", "=arg1..model"));

    assertEquals(
        List.of(
            "intercept.chat.model=\"arg1..model\" from "
                + origin(workDir)
                + " is not accepted: invalid value path \"arg1..model\": expected a member name"
                + " after '.' at character 5, found '.'; a value path is arg<N>, return or this,"
                + " followed by any number of .name, .name() or [N] steps, e.g."
                + " return.usage().promptTokens() or arg0.messages[0].content; the field is"
                + " ignored, the rest of interception \"chat\" stays enabled"),
        config.problems());
    InterceptionSpec spec = config.interceptions().get(0);
    assertNull(spec.model());
    assertEquals("arg0", spec.prompt().expression());
  }

  @Test
  void invalidBlockNameIsIgnored() {
    AgentConfig config =
        args("intercept.b@d.class=a.B,intercept.ok.class=a.B,intercept.ok.method=m");

    assertEquals(
        List.of(
            "intercept.b@d.class from the agent argument is ignored: an interception name is"
                + " made of letters, digits, '_' and '-'"),
        config.problems());
    assertEquals(1, config.interceptions().size());
  }

  @Test
  void keysWithoutFieldAreUnknownSettings() {
    AgentConfig config = args("intercept.chat=x,intercept..class=y");

    assertEquals(2, config.problems().size());
    assertEquals(
        "Unknown setting intercept.chat=\"x\" in the agent argument is ignored",
        config.problems().get(0));
  }

  @Test
  void emptyEndpointFallsBackToTheName() {
    AgentConfig config = args("intercept.c.class=a.B,intercept.c.method=m,intercept.c.endpoint=");

    assertEquals(
        List.of(
            "intercept.c.endpoint from the agent argument is empty: expected a label value;"
                + " using the block name \"c\""),
        config.problems());
    assertEquals("c", config.interceptions().get(0).endpoint());
  }

  @Test
  void blocksCanComeFromTheEnvironmentAndMixWithOtherSources() {
    Map<String, String> env =
        Map.of(
            "TASKMASTER_INTERCEPT_MY_CHAT_CLASS", "com.example.Client",
            "TASKMASTER_INTERCEPT_MY_CHAT_METHOD", "send",
            "TASKMASTER_INTERCEPT_MY_CHAT_TOKENS_INPUT", "return.in",
            "TASKMASTER_INTERCEPT_MY_CHAT_TOKENS_OUTPUT", "return.out",
            "TASKMASTER_INTERCEPT_MY_CHAT_NOPE", "x");
    Map<String, String> sys = Map.of("taskmaster.intercept.my_chat.method", "sendAsync");

    AgentConfig config = ConfigLoader.load(null, sys, env, null);

    assertEquals(
        List.of(
            "Unknown setting TASKMASTER_INTERCEPT_MY_CHAT_NOPE=\"x\" in the environment is ignored"),
        config.problems());
    InterceptionSpec spec = config.interceptions().get(0);
    assertEquals("my_chat", spec.name());
    assertEquals("com.example.Client", spec.className());
    assertEquals("sendAsync", spec.methodName());
    assertEquals("return.in", spec.inputTokens().expression());
    assertEquals("return.out", spec.outputTokens().expression());
  }

  @Test
  void agentArgumentParamsUseSemicolons() {
    AgentConfig config =
        args("intercept.c.class=a.B,intercept.c.method=m,intercept.c.params=java.lang.String;int");

    assertEquals(List.of(), config.problems());
    assertEquals(
        Arrays.asList("java.lang.String", "int"), config.interceptions().get(0).parameterTypes());
  }

  @Test
  void theCallsIdAndItsCachedTokensAreValuePathsToo() {
    InterceptionSpec spec =
        args("intercept.c.class=a.B,intercept.c.method=m,intercept.c.id=return.id(),"
                + "intercept.c.tokens.cached=return.usage().cachedTokens")
            .interceptions()
            .get(0);
    assertEquals("return.id()", spec.requestId().toString());
    assertEquals("return.usage().cachedTokens", spec.cachedInputTokens().toString());
    assertNull(
        args("intercept.c.class=a.B,intercept.c.method=m").interceptions().get(0).requestId());
  }

  @Test
  void specToStringIsReadable() {
    InterceptionSpec spec =
        args("intercept.c.class=a.B,intercept.c.method=m,intercept.c.params=int,"
                + "intercept.c.model=arg0")
            .interceptions()
            .get(0);
    assertEquals("InterceptionSpec{0 c: a.B.m(int) endpoint=c model=arg0}", spec.toString());
  }
}
