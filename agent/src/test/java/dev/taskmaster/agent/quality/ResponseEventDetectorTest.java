package dev.taskmaster.agent.quality;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.taskmaster.agent.core.ModelCall;
import java.util.List;
import org.junit.jupiter.api.Test;

class ResponseEventDetectorTest {

  private final ResponseEventDetector detector =
      new ResponseEventDetector(QualitySettings.defaults());

  private static ModelCall.Builder call(String response) {
    return ModelCall.builder("chat", "m", ModelCall.SUCCESS).response(response);
  }

  @Test
  void blankAnswersAreEmpty() {
    assertEquals(ResponseEvent.EMPTY.bit(), detector.detect(call("").build()));
    assertEquals(ResponseEvent.EMPTY.bit(), detector.detect(call(" \n\t").build()));
    assertEquals(0, detector.detect(call("ok").build()));
  }

  @Test
  void withoutTextOnlyAZeroTokenCountIsEmpty() {
    assertEquals(ResponseEvent.EMPTY.bit(), detector.detect(call(null).outputTokens(0).build()));
    assertEquals(0, detector.detect(call(null).outputTokens(12).build()));
    assertEquals(0, detector.detect(call(null).build()));
  }

  @Test
  void refusalPhrasesAreFoundIgnoringCaseAndApostropheStyle() {
    assertTrue(detector.isRefusal("I'm sorry, but I can't help with that request."));
    assertTrue(detector.isRefusal("I\u2019M SORRY, BUT I CANNOT share that."));
    assertTrue(detector.isRefusal("Unfortunately I am unable to browse the web."));
    assertTrue(detector.isRefusal("As an AI language model, I do not have opinions."));
    assertFalse(detector.isRefusal("Sure! Here is the summary you asked for."));
    assertFalse(detector.isRefusal("I can help with that: first, open the file."));
    // A phrase must start a word.
    assertFalse(detector.isRefusal("This phone has an AI language model built in."));
  }

  @Test
  void aRefusalPhraseDeepInsideAHelpfulAnswerIsNotARefusal() {
    String answer =
        "Here is how to configure the proxy. ".repeat(10)
            + "If the server says it is unable to connect, I'm unable to tell why from here.";
    assertTrue(answer.indexOf("unable to tell") > 300);
    assertFalse(detector.isRefusal(answer));
  }

  @Test
  void refusalPhrasesAreConfigurable() {
    ResponseEventDetector custom =
        new ResponseEventDetector(
            QualitySettings.builder().refusalPhrases(List.of("Je ne peux pas")).build());
    assertTrue(custom.isRefusal("Désolé, je ne peux pas répondre."));
    assertFalse(custom.isRefusal("I'm sorry, but I can't."));
  }

  @Test
  void lengthFinishReasonsAreTruncations() {
    assertTrue(detector.isTruncated("length"));
    assertTrue(detector.isTruncated("LENGTH"));
    assertTrue(detector.isTruncated("max_tokens"));
    assertFalse(detector.isTruncated("stop"));
    assertFalse(detector.isTruncated(null));
    assertEquals(
        ResponseEvent.TRUNCATED.bit(),
        detector.detect(call("The answer was cut at the").finishReason("length").build()));
  }

  @Test
  void strictJsonIsValid() {
    assertTrue(detector.isValidJson("{\"a\": [1, 2.5, true, null, \"x\"]}"));
    assertTrue(detector.isValidJson("  [ {\"nested\": {\"b\": \"\\u00e9\"}} ]\n"));
    assertTrue(detector.isValidJson("\"a string\""));
    assertTrue(detector.isValidJson("42"));
  }

  @Test
  void anythingElseIsInvalidJson() {
    assertFalse(detector.isValidJson(""));
    assertFalse(detector.isValidJson("{\"a\": 1"));
    assertFalse(detector.isValidJson("{\"a\": 1} and some words"));
    assertFalse(detector.isValidJson("{a: 1}"));
    assertFalse(detector.isValidJson("{'a': 1}"));
    assertFalse(detector.isValidJson("[1, 2,]"));
    assertFalse(detector.isValidJson("{\"a\": 1,}"));
    assertFalse(detector.isValidJson("{\"a\" 1}"));
    assertFalse(detector.isValidJson("Sure! {\"a\": 1}"));
    assertFalse(detector.isValidJson("hello"));
    assertFalse(detector.isValidJson("{\"a\": NaN}"));
    assertFalse(detector.isValidJson("```json\n{\"a\": 1}\n```"));
  }

  @Test
  void aCodeFenceIsAcceptedOnlyWhenConfigured() {
    ResponseEventDetector lenient =
        new ResponseEventDetector(QualitySettings.builder().jsonAcceptCodeFence(true).build());
    assertTrue(lenient.isValidJson("```json\n{\"a\": 1}\n```"));
    assertTrue(lenient.isValidJson("```\n[1]\n```\n"));
    assertFalse(lenient.isValidJson("```json\n{\"a\": }\n```"));
  }

  @Test
  void invalidJsonCountsOnlyWhenJsonWasRequested() {
    assertEquals(0, detector.detect(call("not json").build()));
    assertEquals(
        ResponseEvent.INVALID_JSON.bit(),
        detector.detect(call("not json").jsonRequested(true).build()));
    assertEquals(0, detector.detect(call("{\"ok\": true}").jsonRequested(true).build()));
    assertEquals(
        ResponseEvent.EMPTY.bit() | ResponseEvent.INVALID_JSON.bit(),
        detector.detect(call("").jsonRequested(true).build()));
  }

  @Test
  void eventsCombine() {
    String loop = "Let me check that again. ".repeat(12);
    int events =
        detector.detect(
            call("I'm sorry, but I can't. " + loop)
                .finishReason("length")
                .jsonRequested(true)
                .build());
    assertTrue(ResponseEvent.REFUSAL.in(events));
    assertTrue(ResponseEvent.REPETITION.in(events));
    assertTrue(ResponseEvent.TRUNCATED.in(events));
    assertTrue(ResponseEvent.INVALID_JSON.in(events));
    assertFalse(ResponseEvent.EMPTY.in(events));
  }
}
