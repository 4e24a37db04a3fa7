package meshplane.cluster.manager;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import meshplane.cluster.assignment.Assignment;
import meshplane.cluster.assignment.AssignmentBuilder;
import meshplane.cluster.model.ClusterState;

/**
 * The dispatcher's per-node assignments, on any manager from its own replica: computed when a
 * node asks and the state moved since the last computation, and given a new version (the state's
 * index) only when the content changed, so a node's long poll completes when there is something
 * new for it and not on every write to the cluster.
 */
final class Assignments {
  private record Cached(long index, Assignment assignment) {}

  private final StateWatch watch;
  private final ConcurrentMap<String, Cached> byNode = new ConcurrentHashMap<>();

  Assignments(StateWatch watch) {
    this.watch = watch;
  }

  /** Node {@code nodeId}'s assignment at state {@code s}. */
  Assignment at(ClusterState s, String nodeId) {
    Cached c = byNode.compute(nodeId, (id, old) -> {
      if (old != null && old.index >= s.index()) {
        return old;
      }
      Assignment fresh = AssignmentBuilder.build(s, id);
      if (old != null && fresh.sameContent(old.assignment)) {
        return new Cached(s.index(), old.assignment);
      }
      return new Cached(s.index(), fresh.withVersion(s.index()));
    });
    if (byNode.size() > s.nodes().size()) {
      byNode.keySet().retainAll(s.nodes().keySet());
    }
    return c.assignment;
  }

  /**
   * The long poll: completes with node {@code nodeId}'s assignment as soon as its version is
   * above {@code since}, or at {@code deadline} (epoch ms) with what it is then.
   */
  CompletableFuture<Assignment> newerThan(String nodeId, long since, long deadline) {
    ClusterState s = watch.current();
    Assignment a = at(s, nodeId);
    long left = deadline - System.currentTimeMillis();
    if (a.version() > since || left <= 0) {
      return CompletableFuture.completedFuture(a);
    }
    return watch.newerThan(s.index(), left).thenCompose(next -> newerThan(nodeId, since, deadline));
  }
}
