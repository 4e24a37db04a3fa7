package meshplane.cluster.assignment;

import java.util.List;
import meshplane.cluster.model.NodeRole;
import meshplane.dataplane.DataplaneState;

/**
 * What the dispatcher sends one node, with a {@code version} that grows whenever the content
 * changes (the Raft index of the state the answering manager first computed it from; managers
 * may number the same content differently, never newer content lower): the node's role and the
 * managers' API addresses (so a promotion needs nothing else), its tasks, and its data plane
 * without endpoints (the node adds its own tasks' endpoints, named by its local namespace rule),
 * and the cluster's roots ({@link TrustState}; null in a swarm without a CA).
 */
public record Assignment(long version, String clusterId, String nodeId, NodeRole role, List<String> managers,
    List<AssignedTask> tasks, DataplaneState dataplane, TrustState trust) {

  public Assignment {
    managers = List.copyOf(managers);
    tasks = List.copyOf(tasks);
  }

  public Assignment withVersion(long v) {
    return new Assignment(v, clusterId, nodeId, role, managers, tasks, dataplane, trust);
  }

  /** Whether {@code other} says the same, whatever its version. */
  public boolean sameContent(Assignment other) {
    return other != null && withVersion(0).equals(other.withVersion(0));
  }
}
