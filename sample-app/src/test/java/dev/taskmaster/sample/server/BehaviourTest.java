package dev.taskmaster.sample.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class BehaviourTest {

  @Test
  void defaultsAreStableAndHarmless() {
    Behaviour behaviour = new Behaviour();
    assertEquals("stable", behaviour.scenario());
    assertEquals(42, behaviour.seed());
    for (int i = 0; i < 100; i++) {
      Behaviour.Plan plan = behaviour.plan(true);
      assertEquals(Behaviour.Fault.NONE, plan.fault());
      assertEquals(AnswerGenerator.Kind.NORMAL, plan.answerKind());
      assertEquals(0, plan.latencyMillis());
      assertEquals(-1, plan.cutAfterChunks());
    }
  }

  @Test
  void sameSeedSameSequenceWhateverTheOtherRates() {
    Behaviour a = new Behaviour("stable", 5).refusalRate(0.3);
    Behaviour b = new Behaviour("stable", 5).refusalRate(0.3).errorRate(0.5).latencySpreadMillis(9);
    List<AnswerGenerator.Kind> kindsA = new ArrayList<>();
    List<AnswerGenerator.Kind> kindsB = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      Behaviour.Plan planA = a.plan(false);
      Behaviour.Plan planB = b.plan(false);
      kindsA.add(planA.answerKind());
      kindsB.add(planB.answerKind());
      assertEquals(planA.answerSeed(), planB.answerSeed());
      assertTrue(planB.latencyMillis() >= 0 && planB.latencyMillis() <= 9);
    }
    assertEquals(kindsA, kindsB);
    assertTrue(kindsA.contains(AnswerGenerator.Kind.REFUSAL));
    assertTrue(kindsA.contains(AnswerGenerator.Kind.NORMAL));
  }

  @Test
  void precedenceHangThenRateLimitThenError() {
    Behaviour behaviour = new Behaviour().errorRate(1).rateLimitRate(1);
    assertEquals(Behaviour.Fault.RATE_LIMIT, behaviour.plan(false).fault());
    behaviour.hangRate(1);
    assertEquals(Behaviour.Fault.HANG, behaviour.plan(false).fault());
  }

  @Test
  void cutsOnlyStreams() {
    Behaviour behaviour = new Behaviour().cutRate(1).cutAfterChunks(4);
    assertEquals(4, behaviour.plan(true).cutAfterChunks());
    assertEquals(-1, behaviour.plan(false).cutAfterChunks());
  }

  @Test
  void rejectsValuesOutOfRangeNamingTheKey() {
    Behaviour behaviour = new Behaviour();
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> behaviour.refusalRate(1.5));
    assertEquals("refusal_rate must be a probability in [0, 1], got 1.5", e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> behaviour.latencyMillis(-1));
    assertThrows(IllegalArgumentException.class, () -> behaviour.verbosity(0));
    assertThrows(IllegalArgumentException.class, () -> behaviour.scenario("nope"));
  }

  @Test
  void appliesJsonAllOrNothing() {
    Behaviour behaviour = new Behaviour();
    behaviour.apply(json("{\"latency_ms\": 120, \"refusal_rate\": 0.25, \"verbosity\": 2.5}"));
    assertEquals(120, behaviour.latencyMillis());
    assertEquals(0.25, behaviour.refusalRate());
    assertEquals(2.5, behaviour.verbosity());

    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> behaviour.apply(json("{\"latency_ms\": 5, \"hang_rate\": 2}")));
    assertTrue(e.getMessage().startsWith("hang_rate"), e.getMessage());
    assertEquals(120, behaviour.latencyMillis());

    e =
        assertThrows(
            IllegalArgumentException.class, () -> behaviour.apply(json("{\"latency\": 5}")));
    assertTrue(e.getMessage().contains("unknown key 'latency'"), e.getMessage());
    assertTrue(e.getMessage().contains("latency_ms"), e.getMessage());
  }

  @Test
  void scenarioAndResetRestoreDefaults() {
    Behaviour behaviour = new Behaviour().latencyMillis(300).seed(9);
    behaviour.apply(json("{\"reset\": true}"));
    assertEquals(0, behaviour.latencyMillis());
    assertEquals(9, behaviour.seed());
    behaviour.latencyMillis(300);
    behaviour.apply(json("{\"scenario\": \"stable\", \"error_rate\": 0.5}"));
    assertEquals(0, behaviour.latencyMillis());
    assertEquals(0.5, behaviour.errorRate());
  }

  @Test
  void registeredScenariosSetTheBehaviourOverTime() {
    Behaviour.register(
        "test-latency-step",
        (behaviour, elapsed) -> behaviour.latencyMillis(elapsed.toMillis() < 60_000 ? 10 : 30));
    try {
      Behaviour behaviour = new Behaviour("test-latency-step", 1);
      assertEquals(10, behaviour.latencyMillis());
      assertEquals(10, behaviour.plan(false).latencyMillis());
      assertTrue(Behaviour.scenarioNames().contains("test-latency-step"));
      assertTrue(behaviour.toJson().toString().contains("\"scenario\":\"test-latency-step\""));
    } finally {
      Behaviour.register("test-latency-step", (behaviour, elapsed) -> {});
    }
  }

  /** Mean latency and share of length-cut answers over the next {@code calls} plans. */
  private static double[] sample(Behaviour behaviour, int calls) {
    double latency = 0;
    int cut = 0;
    for (int i = 0; i < calls; i++) {
      Behaviour.Plan plan = behaviour.plan(false);
      latency += plan.latencyMillis();
      cut += "length".equals(plan.reply().finishReason()) ? 1 : 0;
    }
    return new double[] {latency / calls, cut / (double) calls};
  }

  @Test
  void trafficScenariosAnswerFromTheSeededModelAndChangeFromTheirSelectionOn() {
    Behaviour behaviour = new Behaviour("stable", 3).timeScale(0.01);
    assertEquals(null, behaviour.plan(false).reply());
    behaviour.apply(json("{\"traffic\": true}"));
    assertTrue(behaviour.traffic());
    double[] stable = sample(behaviour, 2000);
    assertTrue(stable[0] > 5 && stable[0] < 40, "mean latency " + stable[0]);

    behaviour.apply(json("{\"scenario\": \"latency_step\"}"));
    double[] step = sample(behaviour, 2000);
    assertEquals(3.0, step[0] / stable[0], 0.3);

    behaviour.apply(json("{\"scenario\": \"truncations\"}"));
    double[] truncated = sample(behaviour, 2000);
    assertEquals(0.2, truncated[1] - stable[1], 0.03);

    behaviour.apply(json("{\"scenario\": \"stable\"}"));
    assertTrue(behaviour.traffic());
    assertEquals(stable[0], sample(behaviour, 2000)[0], stable[0] * 0.15);

    Behaviour again = new Behaviour("latency_step", 3).timeScale(0.01);
    Behaviour same = new Behaviour("latency_step", 3).timeScale(0.01);
    for (int i = 0; i < 50; i++) {
      assertEquals(again.plan(false).reply(), same.plan(false).reply());
    }
    behaviour.apply(json("{\"traffic\": false}"));
    assertEquals(null, behaviour.plan(false).reply());
  }

  @Test
  void toJsonRoundTrips() {
    Behaviour source = new Behaviour("stable", 3).latencyMillis(50).cutRate(0.1).hangMaxMillis(10);
    Behaviour copy = new Behaviour().apply(source.toJson());
    assertEquals(source.toJson(), copy.toJson());
  }

  private static JsonObject json(String text) {
    return JsonParser.parseString(text).getAsJsonObject();
  }
}
