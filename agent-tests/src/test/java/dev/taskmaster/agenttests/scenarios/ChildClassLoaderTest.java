package dev.taskmaster.agenttests.scenarios;

import static dev.taskmaster.agenttests.harness.AgentAssertions.assertHealthy;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.taskmaster.agenttests.fixtures.ChildLoaderApp;
import dev.taskmaster.agenttests.fixtures.hierarchy.ChatModel;
import dev.taskmaster.agenttests.harness.AgentJvm;
import dev.taskmaster.agenttests.harness.MetricsSnapshot;
import dev.taskmaster.agenttests.harness.SourceCompiler;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Classes that only a child class loader can see are instrumented too. */
class ChildClassLoaderTest {

  private static final String PLUGIN_LLM =
      "package plugin;\n"
          + "public class PluginLlm {\n"
          + "  public String ask(String model, String prompt) {\n"
          + "    return model + \" answers \" + prompt;\n"
          + "  }\n"
          + "}\n";

  private static final String PLUGIN_CHAT_MODEL =
      "package plugin;\n"
          + "public class PluginChatModel implements "
          + ChatModel.class.getName()
          + " {\n"
          + "  public String chat(String prompt) { return \"plugin: \" + prompt; }\n"
          + "  public String modelName() { return \"plugin-chat\"; }\n"
          + "}\n";

  @Test
  void classesOfAChildClassLoaderAreCounted(@TempDir Path work) throws URISyntaxException {
    Path testClasses =
        Path.of(ChatModel.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    Path jar =
        SourceCompiler.jar(
            SourceCompiler.compileToDirectory(
                work, Map.of("plugin.PluginLlm", PLUGIN_LLM), List.of()),
            work.resolve("plugin.jar"));
    Path directory =
        SourceCompiler.compileToDirectory(
            work, Map.of("plugin.PluginChatModel", PLUGIN_CHAT_MODEL), List.of(testClasses));

    try (AgentJvm jvm =
        AgentJvm.builder(ChildLoaderApp.class)
            .args(jar, directory)
            .intercept(
                "plugin",
                "class=plugin.PluginLlm",
                "method=ask",
                "endpoint=plugin",
                "model=arg0",
                "response=return")
            .intercept(
                "hierarchy",
                "class=" + ChatModel.class.getName(),
                "method=chat",
                "endpoint=hierarchy",
                "model=this.modelName()",
                "response=return")
            .start()) {
      jvm.awaitReady();
      MetricsSnapshot metrics = jvm.scrape();
      assertAll(
          () ->
              assertEquals(
                  "false", jvm.result("onAppClasspath"), "the plugin leaked onto the class path"),
          () -> assertEquals("true", jvm.result("chat.loader")),
          () ->
              assertEquals(
                  jvm.longResult("plugin.calls"),
                  metrics.value(
                      "taskmaster_requests_total",
                      "endpoint",
                      "plugin",
                      "model",
                      "plugin-model",
                      "status",
                      "success")),
          () ->
              assertEquals(
                  jvm.longResult("chat.calls"),
                  metrics.value(
                      "taskmaster_requests_total",
                      "endpoint",
                      "hierarchy",
                      "model",
                      "plugin-chat",
                      "status",
                      "success")),
          () ->
              assertEquals(
                  jvm.longResult("plugin.calls") + jvm.longResult("chat.calls"),
                  metrics.sum("taskmaster_requests_total")),
          () -> assertHealthy(jvm, metrics));
    }
  }
}
