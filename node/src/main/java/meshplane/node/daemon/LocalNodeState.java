package meshplane.node.daemon;

import java.util.List;
import meshplane.cluster.model.NodeRole;

/**
 * What a node remembers of its swarm across restarts ({@link NodeStateStore}): its id, the
 * cluster's, its role when it last looked, and the managers' API addresses to call first.
 */
public record LocalNodeState(String nodeId, String clusterId, NodeRole role, List<String> managers) {
  public LocalNodeState {
    managers = managers == null ? List.of() : List.copyOf(managers);
  }

  /** The same node of the same swarm, with the role and managers its latest assignment gives. */
  public LocalNodeState with(NodeRole r, List<String> m) {
    return new LocalNodeState(nodeId, clusterId, r, m);
  }
}
