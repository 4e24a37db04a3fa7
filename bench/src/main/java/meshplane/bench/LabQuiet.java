package meshplane.bench;

import java.util.List;
import java.util.regex.Pattern;
import meshplane.netlink.NetNamespace;

/**
 * Waits for the lab to be quiet after a phase removed its services: no task namespace left on any
 * node (names {@code mp-ctlbench-nodeK-} and a 10-character task id; the routing mesh's
 * {@code ingress_sbox} and {@code ov-*} stay), then a short settle, so the next phase's figures
 * are not charged with the previous phase's tasks stopping and namespaces being torn down on the
 * same 2 cores. Bounded: after the limit it reports what is left and goes on.
 */
final class LabQuiet {
  private static final Pattern TASK_NAMESPACE = Pattern.compile("mp-" + ControlLab.NAME + "-node[0-9]+-[a-z0-9]{10}");
  private static final long SETTLE_MS = 2_000;

  private LabQuiet() {}

  /** Returns what it waited for, e.g. {@code "no task namespace left after 1.2 s"}. */
  static String await(long limitMillis) {
    long t0 = System.nanoTime();
    Deadline deadline = Deadline.in(limitMillis);
    List<String> left = taskNamespaces();
    while (!left.isEmpty() && !deadline.passed()) {
      Sleep.millis(200);
      left = taskNamespaces();
    }
    Sleep.millis(SETTLE_MS);
    double seconds = (System.nanoTime() - t0) / 1e9;
    return left.isEmpty() ? String.format("no task namespace left after %.1f s (settle included)", seconds)
        : String.format("%d task namespace(s) still there after %.1f s, going on", left.size(), seconds);
  }

  private static List<String> taskNamespaces() {
    return NetNamespace.list().stream().filter(n -> TASK_NAMESPACE.matcher(n).matches()).toList();
  }
}
