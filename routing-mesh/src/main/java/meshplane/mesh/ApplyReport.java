package meshplane.mesh;

import java.util.ArrayList;
import java.util.List;

/** What one {@link MeshReconciler#apply} changed, a line per step; empty when the kernel was already right. */
public final class ApplyReport {
  private final List<String> changes = new ArrayList<>();

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
