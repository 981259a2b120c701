package dev.taskmaster.agent.feedback;

import dev.taskmaster.agent.drift.DriftMonitor;
import dev.taskmaster.agent.drift.DriftSignal;

/**
 * Makes the users' satisfaction a drift signal: every accepted feedback score is one value of
 * {@link DriftSignal#SATISFACTION}, so that a lasting drop against the learned baseline raises a
 * drift alarm like any other signal. Runs where feedback listeners run, the agent's background call
 * thread, which is the one thread {@link DriftMonitor#observe} allows.
 */
public final class SatisfactionDrift implements FeedbackService.Listener {

  private final DriftMonitor drift;

  public SatisfactionDrift(DriftMonitor drift) {
    this.drift = drift;
  }

  @Override
  public void onFeedback(FeedbackService.Accepted feedback) {
    drift.observe(DriftSignal.SATISFACTION, feedback.score);
  }
}
