package dev.taskmaster.agent.feedback;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.taskmaster.agent.core.ModelCall;
import dev.taskmaster.agent.drift.DriftEvent;
import dev.taskmaster.agent.drift.DriftMonitor;
import dev.taskmaster.agent.drift.DriftSettings;
import dev.taskmaster.agent.drift.DriftSignal;
import dev.taskmaster.agent.drift.DriftStatus;
import dev.taskmaster.agent.logging.LogSettings;
import dev.taskmaster.agent.logging.StructuredLog;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The users' satisfaction as a drift signal, fed by accepted feedback. */
class SatisfactionDriftTest {

  @Test
  void aLastingDropInTheUsersScoresIsADriftAlarm() throws Exception {
    PrometheusRegistry registry = new PrometheusRegistry();
    List<DriftEvent> events = new ArrayList<>();
    DriftMonitor drift =
        new DriftMonitor(
            DriftSettings.builder().warmup(200).build(), registry, "taskmaster", events::add);
    FeedbackService feedback =
        new FeedbackService(
            FeedbackSettings.builder().build(),
            registry,
            "taskmaster",
            new StructuredLog(
                LogSettings.builder().destination(LogSettings.Destination.NONE).build(),
                registry,
                "taskmaster"),
            LogSettings.defaults().redactor(),
            Runnable::run,
            System::currentTimeMillis,
            failure -> {
              throw new AssertionError(failure);
            });
    feedback.addListener(new SatisfactionDrift(drift));
    Random random = new Random(7);

    // Users like 85 % of the answers while the baseline is learned, then 40 %.
    for (int i = 0; i < 600; i++) {
      String id = "chatcmpl-" + i;
      feedback.onCall(ModelCall.builder("chat", "m", ModelCall.SUCCESS).requestId(id).build());
      double likes = i < 400 ? 0.85 : 0.40;
      feedback.submit(new FeedbackRequest(id, random.nextDouble() < likes ? 1 : 0, null));
      if (i == 399) {
        assertEquals(DriftStatus.OK, drift.status(DriftSignal.SATISFACTION));
        assertEquals(0.85, drift.baseline(DriftSignal.SATISFACTION), 0.05);
      }
    }

    assertEquals(DriftStatus.CRITICAL, drift.status(DriftSignal.SATISFACTION));
    assertTrue(
        drift.current(DriftSignal.SATISFACTION) < drift.baseline(DriftSignal.SATISFACTION) - 0.1);
    assertEquals(DriftSignal.SATISFACTION, events.get(0).signal);
  }
}
