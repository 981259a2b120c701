package dev.taskmaster.sample.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class TokenCounterTest {

  @Test
  void countsWhitespaceSeparatedWords() {
    assertEquals(0, TokenCounter.count(null));
    assertEquals(0, TokenCounter.count(""));
    assertEquals(0, TokenCounter.count(" \n\t "));
    assertEquals(1, TokenCounter.count("word"));
    assertEquals(6, TokenCounter.count("  Create a task for\nthe\tbudget "));
    assertEquals(3, TokenCounter.count("1. Review \"the"));
  }
}
