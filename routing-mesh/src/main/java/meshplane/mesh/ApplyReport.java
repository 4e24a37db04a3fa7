package meshplane.mesh;

import java.util.ArrayList;
import java.util.List;

/** What one {@link MeshReconciler#apply} changed, a line per step; empty when the kernel was already right. */
public final class ApplyReport {
  private final List<String> changes = new ArrayList<>();
  private final java.util.Map<String, Long> phaseNanos = new java.util.LinkedHashMap<>();
  private long mark = System.nanoTime();

  /** Ends the phase named {@code phase}: the time since the previous phase ended is booked to it. */
  void phase(String phase) {
    long now = System.nanoTime();
    phaseNanos.merge(phase, now - mark, Long::sum);
    mark = now;
  }

  /** How long each phase of the apply took, in milliseconds, in order. */
  public java.util.Map<String, Long> phaseMillis() {
    java.util.Map<String, Long> m = new java.util.LinkedHashMap<>();
    phaseNanos.forEach((k, v) -> m.put(k, v / 1_000_000));
    return m;
  }

  void add(String change) {
    changes.add(change);
  }

  public List<String> changes() {
    return List.copyOf(changes);
  }

  public boolean isEmpty() {
    return changes.isEmpty();
  }
}
