package meshplane.cluster.orchestrator;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import meshplane.cluster.model.Availability;
import meshplane.cluster.model.ClusterState;
import meshplane.cluster.model.Node;
import meshplane.cluster.model.NodeStatus;
import meshplane.cluster.model.Service;
import meshplane.cluster.model.ServiceSpec;
import meshplane.cluster.model.Task;

/**
 * Which node a new task goes to (docs/control-plane.md, "Orchestration"), as Swarm's scheduler:
 * filters (the node is READY and {@code active}, satisfies the constraints, has the reserved cpus
 * and memory left after its live tasks' reservations), then spread: fewest live tasks of this
 * service, then fewest live tasks in all, then hostname. A live task wants RUNNING and has not
 * ended. {@code s} is the working set (a round's state with its changes), so tasks placed earlier
 * in the same round count; its indexes give each node's live tasks without a scan of every task.
 */
public final class Scheduler {
  private static final List<String> REASONS = List.of("not available for new tasks", "constraints", "cpu", "memory");

  private Scheduler() {}

  /** A task that holds its node's resources: desired RUNNING and not ended. */
  public static boolean live(Task t) {
    return t.live();
  }

  /** The node takes new tasks at all: READY and {@code active}. */
  public static boolean available(Node n) {
    return n.status() == NodeStatus.READY && n.availability() == Availability.ACTIVE;
  }

  public static boolean satisfies(ServiceSpec spec, Node n) {
    return spec.constraints().stream().allMatch(c -> Constraint.parse(c).matches(n));
  }

  /** Whether {@code n} passes every filter for a new task with {@code spec} (the reservations of {@code s}'s live tasks counted). */
  public static boolean eligible(ClusterState s, ServiceSpec spec, Node n) {
    return rejection(s, spec, n) == null;
  }

  /** Where a new task of service {@code serviceId} with {@code spec} goes, given the live tasks of {@code s}. */
  public static Placement place(ClusterState s, String serviceId, ServiceSpec spec) {
    Map<String, Integer> why = new LinkedHashMap<>();
    REASONS.forEach(r -> why.put(r, 0));
    List<Node> fit = new ArrayList<>();
    for (Node n : s.nodes().values()) {
      String r = rejection(s, spec, n);
      if (r == null) {
        fit.add(n);
      } else {
        why.merge(r, 1, Integer::sum);
      }
    }
    if (fit.isEmpty()) {
      return new Placement(null, reason(why));
    }
    Map<String, Integer> ofService = new HashMap<>();
    for (Task t : s.tasksOf(serviceId)) {
      if (t.nodeId() != null && live(t)) {
        ofService.merge(t.nodeId(), 1, Integer::sum);
      }
    }
    Node best = fit.stream().min(Comparator
        .<Node>comparingInt(n -> ofService.getOrDefault(n.id(), 0))
        .thenComparingInt(n -> s.liveTasksOn(n.id()).size())
        .thenComparing(Node::hostname)).orElseThrow();
    return new Placement(best, null);
  }

  /** The first filter {@code n} fails, as a reason key, or null when it passes them all. */
  private static String rejection(ClusterState s, ServiceSpec spec, Node n) {
    if (!available(n)) {
      return "not available for new tasks";
    }
    if (!satisfies(spec, n)) {
      return "constraints";
    }
    if (spec.cpus() > 0 || spec.memory() > 0) {
      long cpus = 0;
      long memory = 0;
      for (Task t : s.liveTasksOn(n.id())) {
        Service svc = s.services().get(t.serviceId());
        if (svc != null) {
          cpus += svc.spec().cpus();
          memory += svc.spec().memory();
        }
      }
      if (spec.cpus() > 0 && n.cpus() - cpus < spec.cpus()) {
        return "cpu";
      }
      if (spec.memory() > 0 && n.memory() - memory < spec.memory()) {
        return "memory";
      }
    }
    return null;
  }

  private static String reason(Map<String, Integer> why) {
    why.values().removeIf(k -> k == 0);
    if (why.isEmpty()) {
      return "no suitable node (the swarm has no nodes)";
    }
    List<String> parts = new ArrayList<>();
    for (Map.Entry<String, Integer> e : why.entrySet()) {
      int k = e.getValue();
      String nodes = k + (k == 1 ? " node " : " nodes ");
      parts.add(nodes + switch (e.getKey()) {
        case "constraints" -> k == 1 ? "does not satisfy the constraints" : "do not satisfy the constraints";
        case "cpu" -> (k == 1 ? "has" : "have") + " insufficient cpu";
        case "memory" -> (k == 1 ? "has" : "have") + " insufficient memory";
        default -> e.getKey();
      });
    }
    return "no suitable node (" + String.join("; ", parts) + ")";
  }
}
