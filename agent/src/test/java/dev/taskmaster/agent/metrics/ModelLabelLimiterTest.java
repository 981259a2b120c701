package dev.taskmaster.agent.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class ModelLabelLimiterTest {

  @Test
  void keepsTheFirstNamesThenReportsOther() {
    ModelLabelLimiter limiter = new ModelLabelLimiter(2, "metrics.max-models");
    assertEquals("a", limiter.label("a"));
    assertEquals("b", limiter.label("b"));
    assertEquals("a", limiter.label("a"));
    assertEquals(ModelLabelLimiter.OTHER, limiter.label("c"));
    assertEquals("b", limiter.label("b"));
  }

  @Test
  void absentNamesAreUnknown() {
    ModelLabelLimiter limiter = new ModelLabelLimiter(1, "metrics.max-models");
    assertEquals(ModelLabelLimiter.UNKNOWN, limiter.label(null));
    assertEquals(ModelLabelLimiter.UNKNOWN, limiter.label(""));
    assertEquals("x", limiter.label("x"), "unknown does not use up the limit");
  }

  @Test
  void veryLongNamesAreCut() {
    ModelLabelLimiter limiter = new ModelLabelLimiter(5, "metrics.max-models");
    assertEquals(128, limiter.label("m".repeat(500)).length());
  }
}
