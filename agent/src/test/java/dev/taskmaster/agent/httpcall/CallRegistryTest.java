package dev.taskmaster.agent.httpcall;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class CallRegistryTest {

  @Test
  void followsUpToItsCapacity() {
    CallRegistry<String> registry = new CallRegistry<>(2);
    Object a = new Object();
    Object b = new Object();
    assertNull(registry.get(a));
    assertTrue(registry.put(a, "a"));
    assertTrue(registry.put(b, "b"));
    assertFalse(registry.put(new Object(), "c"));
    assertTrue(registry.put(a, "a2"), "replacing a key needs no room");
    assertEquals("a2", registry.get(a));
    assertEquals("b", registry.remove(b));
    assertNull(registry.get(b));
    assertEquals(1, registry.size());
    assertTrue(registry.put(new Object(), "c"));
  }

  @Test
  void nullKeysAreNeverFollowed() {
    CallRegistry<String> registry = new CallRegistry<>(2);
    registry.put(new Object(), "x");
    assertNull(registry.get(null));
    assertNull(registry.remove(null));
  }
}
