package dev.taskmaster.agent.metrics;

import dev.taskmaster.agent.export.TextBuffer;
import dev.taskmaster.agent.export.TextFamilies;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.registry.PrometheusScrapeRequest;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Predicate;

/**
 * The metric families of one registry that write their own text exposition (the per-series ones:
 * their lines are nearly all of {@code /metrics} when there are many models). Registered in the
 * registry as one collector, so that other formats and readers see them as usual; the exporter's
 * plain-text {@code /metrics} writes them with {@link #writeText} and the rest with the client.
 *
 * <p>One per registry ({@link #of}), so that a component that only has the registry can add to it.
 */
public final class FastMetrics implements TextFamilies, MultiCollector {

  /** A family, or a set of families, that writes itself and collects itself as snapshots. */
  public interface Part extends TextFamilies, MultiCollector {}

  private static final Map<PrometheusRegistry, FastMetrics> BY_REGISTRY = new WeakHashMap<>();
  // Not a monitor: nothing on a call's path may pin a virtual thread (CallingThreadMonitorsTest).
  private static final ReentrantLock LOCK = new ReentrantLock();

  private final List<Part> parts = new CopyOnWriteArrayList<>();

  private FastMetrics() {}

  /** The fast families of {@code registry}, registered in it on first use. */
  public static FastMetrics of(PrometheusRegistry registry) {
    LOCK.lock();
    try {
      FastMetrics fast = BY_REGISTRY.get(registry);
      if (fast == null) {
        fast = new FastMetrics();
        registry.register(fast);
        BY_REGISTRY.put(registry, fast);
      }
      return fast;
    } finally {
      LOCK.unlock();
    }
  }

  /** Adds families; their names must not be registered otherwise. */
  public void add(Part part) {
    parts.add(part);
  }

  @Override
  public boolean covers(String prometheusName) {
    for (Part part : parts) {
      if (part.covers(prometheusName)) {
        return true;
      }
    }
    return false;
  }

  @Override
  public void writeText(TextBuffer out) {
    for (Part part : parts) {
      part.writeText(out);
    }
  }

  @Override
  public List<String> getPrometheusNames() {
    List<String> names = new ArrayList<>();
    for (Part part : parts) {
      names.addAll(part.getPrometheusNames());
    }
    return names;
  }

  /**
   * Collects only the parts that have a wanted name: readers such as the status page and the alert
   * rules ask for one or two families, and must not pay for snapshots of all the others.
   */
  @Override
  public MetricSnapshots collect(
      Predicate<String> includedNames, PrometheusScrapeRequest scrapeRequest) {
    List<MetricSnapshot> wanted = new ArrayList<>();
    for (Part part : parts) {
      boolean any = false;
      for (String name : part.getPrometheusNames()) {
        any |= includedNames.test(name);
      }
      if (!any) {
        continue;
      }
      for (MetricSnapshot snapshot : part.collect()) {
        if (includedNames.test(snapshot.getMetadata().getPrometheusName())) {
          wanted.add(snapshot);
        }
      }
    }
    return new MetricSnapshots(wanted);
  }

  @Override
  public MetricSnapshots collect() {
    List<MetricSnapshot> all = new ArrayList<>();
    for (Part part : parts) {
      for (MetricSnapshot snapshot : part.collect()) {
        all.add(snapshot);
      }
    }
    return new MetricSnapshots(all);
  }
}
