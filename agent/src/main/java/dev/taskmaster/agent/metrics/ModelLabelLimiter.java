package dev.taskmaster.agent.metrics;

import dev.taskmaster.agent.util.AgentLog;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Keeps the {@code model} label's cardinality bounded: the first {@code maxModels} distinct names
 * are kept, later ones become {@code other}.
 */
public final class ModelLabelLimiter {

  /** The label value of a call whose model could not be read. */
  public static final String UNKNOWN = "unknown";

  /** The label value of every model past the limit. */
  public static final String OTHER = "other";

  private static final int MAX_LENGTH = 128;

  private final int maxModels;
  private final String limitKey;
  private final ConcurrentHashMap<String, Boolean> kept = new ConcurrentHashMap<>();
  private final AtomicInteger size = new AtomicInteger();

  /**
   * @param limitKey the configuration key that sets the limit, quoted when the limit is reached
   */
  public ModelLabelLimiter(int maxModels, String limitKey) {
    this.maxModels = maxModels;
    this.limitKey = limitKey;
  }

  /** Returns the label value to use for this model name. */
  public String label(String model) {
    if (model == null || model.isEmpty()) {
      return UNKNOWN;
    }
    if (kept.containsKey(model)) {
      return model;
    }
    if (model.length() > MAX_LENGTH) {
      model = model.substring(0, MAX_LENGTH);
      if (kept.containsKey(model)) {
        return model;
      }
    }
    while (true) {
      int current = size.get();
      if (current >= maxModels) {
        AgentLog.warnOnce(
            "model-label-limit",
            limitKey
                + "="
                + maxModels
                + " reached: calls to further models are labelled model=\""
                + OTHER
                + "\". Raise "
                + limitKey
                + " (1 to 10000) to keep more names.");
        return OTHER;
      }
      if (size.compareAndSet(current, current + 1)) {
        if (kept.putIfAbsent(model, Boolean.TRUE) != null) {
          size.decrementAndGet();
        }
        return model;
      }
    }
  }
}
