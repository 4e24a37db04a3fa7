package meshplane.cluster.orchestrator;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import meshplane.cluster.model.Node;
import meshplane.cluster.model.NodeStatus;
import meshplane.cluster.model.Service;
import meshplane.cluster.model.ServiceMode;
import meshplane.cluster.model.Task;
import meshplane.cluster.model.TaskState;

/**
 * Garbage collection of tasks with desired SHUTDOWN. Ended ones stay as the slot's history (what
 * {@code service ps} shows), at most {@link #LIMIT} ended tasks per slot; removed at once: those
 * whose node is gone, those of a removed service once ended (or when their node is down), and
 * those of replica slots above the replica count once ended.
 */
final class TaskHistory {
  static final int LIMIT = 5;

  private TaskHistory() {}

  /** Collects among {@code tasks} (the round's versions: every task of the services looked at, or all). */
  static void collect(Round round, Collection<Task> tasks) {
    Map<String, List<Task>> bySlot = new TreeMap<>();
    for (Task t : tasks) {
      Service svc = round.state.services().get(t.serviceId());
      Node node = t.nodeId() == null ? null : round.state.nodes().get(t.nodeId());
      boolean shutdown = t.desired() == TaskState.SHUTDOWN;
      boolean ended = t.state().isTerminal();
      if (shutdown && t.nodeId() != null && node == null) {
        round.remove(t);
      } else if (svc == null) {
        if (shutdown && (ended || node == null || node.status() == NodeStatus.DOWN)) {
          round.remove(t);
        }
      } else if (shutdown && ended && svc.spec().mode() == ServiceMode.REPLICATED && t.slot() > svc.spec().replicas()) {
        round.remove(t);
      } else if (ended) {
        String key = t.serviceId() + "/" + (t.slot() > 0 ? String.valueOf(t.slot()) : t.nodeId());
        bySlot.computeIfAbsent(key, k -> new ArrayList<>()).add(t);
      }
    }
    for (List<Task> ended : bySlot.values()) {
      ended.sort(Comparator.comparingLong(Task::createdAt).thenComparing(Task::id).reversed());
      for (int i = LIMIT; i < ended.size(); i++) {
        if (ended.get(i).desired() == TaskState.SHUTDOWN) {
          round.remove(ended.get(i));
        }
      }
    }
  }
}
