package dev.taskmaster.agent.alerting;

import dev.taskmaster.agent.core.CallListener;
import dev.taskmaster.agent.core.ModelCall;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Whether the model is available, for {@code TaskMasterModelDown}, from two sources: the {@code
 * HealthProbe}'s last answer, and the calls themselves (a model counts as down after {@code
 * failuresBeforeDown} consecutive failed calls, and up again after a success, as {@code
 * taskmaster_model_loaded} does). Down when either source says so.
 */
public final class ModelAvailability implements CallListener {

  private final int failuresBeforeDown;
  private final Map<String, Integer> consecutiveFailures = new ConcurrentHashMap<>();
  private volatile boolean probeDown;

  /**
   * @param failuresBeforeDown consecutive failed calls after which a model counts as down
   */
  public ModelAvailability(int failuresBeforeDown) {
    this.failuresBeforeDown = Math.max(1, failuresBeforeDown);
  }

  @Override
  public void onCall(ModelCall call) {
    if (ModelCall.SUCCESS.equals(call.status)) {
      consecutiveFailures.remove(call.model);
    } else if (ModelCall.ERROR.equals(call.status)) {
      consecutiveFailures.merge(call.model, 1, Integer::sum);
    }
  }

  /**
   * The health probe's result; connect with {@code new HealthProbe(settings,
   * availability::onResult)}.
   */
  public void onResult(boolean up) {
    probeDown = !up;
  }

  /** Whether the health probe or the calls show the model as unavailable. */
  public boolean down() {
    return probeDown || modelsDown() > 0;
  }

  /** Models whose last {@code failuresBeforeDown} calls all failed. */
  public int modelsDown() {
    int down = 0;
    for (int failures : consecutiveFailures.values()) {
      if (failures >= failuresBeforeDown) {
        down++;
      }
    }
    return down;
  }
}
