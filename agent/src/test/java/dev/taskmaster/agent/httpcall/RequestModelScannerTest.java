package dev.taskmaster.agent.httpcall;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class RequestModelScannerTest {

  private static String model(String json) {
    return RequestModelScanner.model(json.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void readsTheModel() {
    assertEquals("gpt-4o-mini", model("{\"model\":\"gpt-4o-mini\",\"messages\":[]}"));
    assertEquals("llama3.2", model("{ \"stream\": false,\n  \"model\" :  \"llama3.2\" }"));
    assertEquals("modèle", model("{\"model\":\"modèle\"}"));
  }

  @Test
  void skipsTheWordModelInsideValues() {
    assertEquals("m", model("{\"prompt\":\"\\\"model\\\" is a word\",\"model\":\"m\"}"));
  }

  @Test
  void absentOrOddModelsAreNull() {
    assertNull(model("{\"messages\":[]}"));
    assertNull(model("{\"model\": 42}"));
    assertNull(model("{\"model\":\"unterminated"));
    assertNull(model("{\"model\":\"esc\\\"aped\"}"));
    assertNull(RequestModelScanner.model(null));
    assertNull(model(""));
  }
}
