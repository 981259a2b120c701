package dev.taskmaster.agent.export;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Set;
import org.junit.jupiter.api.Test;

class BasicAuthGateTest {

  private final BasicAuthGate gate =
      new BasicAuthGate("prom", "pä:ss word".getBytes(StandardCharsets.UTF_8), Set.of());

  private static String basic(String credentials) {
    return "Basic "
        + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void acceptsTheRightUserAndPasswordOnly() {
    assertTrue(gate.accepts(basic("prom:pä:ss word")));
    assertTrue(gate.accepts("basic " + basic("prom:pä:ss word").substring(6)));
    assertFalse(gate.accepts(basic("prom:pä:ss wor")));
    assertFalse(gate.accepts(basic("prom:pä:ss word ")));
    assertFalse(gate.accepts(basic("Prom:pä:ss word")));
    assertFalse(gate.accepts(basic(":pä:ss word")));
    assertFalse(gate.accepts(basic("prom:")));
  }

  @Test
  void refusesMalformedHeadersWithoutThrowing() {
    assertFalse(gate.accepts(null));
    assertFalse(gate.accepts(""));
    assertFalse(gate.accepts("Basic"));
    assertFalse(gate.accepts("Basic "));
    assertFalse(gate.accepts("Basic !!not-base64!!"));
    assertFalse(gate.accepts(basic("no colon at all")));
    assertFalse(gate.accepts("Bearer " + basic("prom:pä:ss word").substring(6)));
  }
}
