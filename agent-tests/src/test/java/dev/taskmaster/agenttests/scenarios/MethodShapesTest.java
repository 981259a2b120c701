package dev.taskmaster.agenttests.scenarios;

import static dev.taskmaster.agenttests.harness.AgentAssertions.assertHealthy;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.taskmaster.agenttests.fixtures.ShapesApp;
import dev.taskmaster.agenttests.fixtures.hierarchy.ChatModel;
import dev.taskmaster.agenttests.fixtures.hierarchy.Summarizer;
import dev.taskmaster.agenttests.fixtures.shapes.DelegatingClient;
import dev.taskmaster.agenttests.fixtures.shapes.SelectiveClient;
import dev.taskmaster.agenttests.fixtures.shapes.StaticLlm;
import dev.taskmaster.agenttests.fixtures.shapes.TokenCounter;
import dev.taskmaster.agenttests.harness.AgentJvm;
import dev.taskmaster.agenttests.harness.MetricsSnapshot;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** One run of {@link ShapesApp}, one interception block per method shape, scraped once. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MethodShapesTest {

  private static final String REQUESTS = "taskmaster_requests_total";

  private AgentJvm jvm;
  private MetricsSnapshot metrics;

  static AgentJvm.Builder shapesApp() {
    String selective = SelectiveClient.class.getName();
    return AgentJvm.builder(ShapesApp.class)
        .intercept(
            "static",
            "class=" + StaticLlm.class.getName(),
            "method=complete",
            "endpoint=static",
            "model=arg0",
            "response=return")
        .intercept(
            "hierarchy",
            "class=" + ChatModel.class.getName(),
            "method=chat",
            "endpoint=hierarchy",
            "model=this.modelName()",
            "response=return")
        .intercept(
            "selstring",
            "class=" + selective,
            "method=complete",
            "params=java.lang.String",
            "endpoint=sel_string")
        .intercept(
            "selint",
            "class=" + selective,
            "method=complete",
            "params=java.lang.String,int",
            "endpoint=sel_int")
        .intercept(
            "seloptions",
            "class=" + selective,
            "method=complete",
            "params=java.lang.String," + SelectiveClient.Options.class.getName(),
            "endpoint=sel_options",
            "model=arg1.model")
        .intercept(
            "primitive",
            "class=" + TokenCounter.class.getName(),
            "method=count",
            "endpoint=primitive",
            "tokens.input=return")
        .intercept("void", "class=" + TokenCounter.class.getName(), "method=send", "endpoint=void")
        .intercept(
            "defaultmethod",
            "class=" + Summarizer.class.getName(),
            "method=summarize",
            "endpoint=default_method",
            "response=return")
        .intercept(
            "delegating",
            "class=" + DelegatingClient.class.getName(),
            "method=complete",
            "endpoint=delegating");
  }

  @BeforeAll
  void runOnce() {
    jvm = shapesApp().start();
    jvm.awaitReady();
    metrics = jvm.scrape();
  }

  @AfterAll
  void stop() {
    if (jvm != null) {
      jvm.close();
    }
  }

  @Test
  void staticMethodIsCounted() {
    assertEquals(
        jvm.longResult("static"),
        metrics.value(
            REQUESTS, "endpoint", "static", "model", "static-model", "status", "success"));
  }

  @Test
  void everyImplementationOfTheInterfaceIsCountedOncePerCall() {
    assertAll(
        () -> assertEquals(jvm.longResult("chat.alpha"), success("hierarchy", "alpha")),
        () -> assertEquals(jvm.longResult("chat.beta"), success("hierarchy", "beta")),
        // GammaModel.chat calls AbstractChatModel.chat: both woven, counted once.
        () -> assertEquals(jvm.longResult("chat.gamma"), success("hierarchy", "gamma")),
        () ->
            assertEquals(
                jvm.longResult("chat.alpha")
                    + jvm.longResult("chat.beta")
                    + jvm.longResult("chat.gamma"),
                metrics.sum(REQUESTS, "endpoint", "hierarchy")));
  }

  @Test
  void paramsSelectExactlyOneOverload() {
    assertAll(
        () ->
            assertEquals(
                jvm.longResult("selective.string"),
                metrics.sum(REQUESTS, "endpoint", "sel_string")),
        () ->
            assertEquals(
                jvm.longResult("selective.int"), metrics.sum(REQUESTS, "endpoint", "sel_int")),
        () ->
            assertEquals(
                jvm.longResult("selective.options"),
                metrics.value(
                    REQUESTS, "endpoint", "sel_options", "model", "nested", "status", "success")),
        () ->
            assertEquals(
                jvm.longResult("selective.options"),
                metrics.sum(REQUESTS, "endpoint", "sel_options")));
  }

  @Test
  void overloadDelegatingToAnotherInterceptedOverloadCountsOnce() {
    assertEquals(jvm.longResult("delegating"), metrics.sum(REQUESTS, "endpoint", "delegating"));
  }

  @Test
  void primitiveAndVoidReturns() {
    assertAll(
        () ->
            assertEquals(
                jvm.longResult("primitive.calls"), metrics.sum(REQUESTS, "endpoint", "primitive")),
        () ->
            assertEquals(
                jvm.longResult("primitive.sum"),
                metrics.value("taskmaster_tokens_input_total", "endpoint", "primitive")),
        () ->
            assertEquals(jvm.longResult("void.calls"), metrics.sum(REQUESTS, "endpoint", "void")));
  }

  @Test
  void defaultMethodCountsForLambdasAndAnonymousClasses() {
    assertEquals(
        jvm.longResult("default.calls"), metrics.sum(REQUESTS, "endpoint", "default_method"));
  }

  @Test
  void nothingElseIsCountedAndTheAgentIsHealthy() {
    long expected =
        jvm.longResult("static")
            + jvm.longResult("chat.alpha")
            + jvm.longResult("chat.beta")
            + jvm.longResult("chat.gamma")
            + jvm.longResult("selective.string")
            + jvm.longResult("selective.int")
            + jvm.longResult("selective.options")
            + jvm.longResult("delegating")
            + jvm.longResult("primitive.calls")
            + jvm.longResult("void.calls")
            + jvm.longResult("default.calls");
    assertAll(
        () -> assertEquals(expected, metrics.sum(REQUESTS), metrics::text),
        () -> assertEquals(0, metrics.sum(REQUESTS, "status", "error")),
        () -> assertHealthy(jvm, metrics));
  }

  @Test
  void applicationOutputIsUnchanged() {
    try (AgentJvm baseline = shapesApp().withoutAgent().start()) {
      baseline.awaitReady();
      jvm.awaitReady();
      assertEquals(baseline.stdout(), jvm.stdout());
    }
  }

  private double success(String endpoint, String model) {
    return metrics.value(REQUESTS, "endpoint", endpoint, "model", model, "status", "success");
  }
}
