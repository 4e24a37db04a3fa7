package meshplane.cluster.manager;

import meshplane.cluster.api.ApiFailure;
import meshplane.cluster.api.Caller;
import meshplane.cluster.api.Router;
import meshplane.cluster.model.ClusterState;
import meshplane.cluster.raft.RaftStore;

/**
 * Before any route of a manager: a certificate of another cluster, or of a node removed from
 * this one ({@code node rm}), is refused with a 403 that says which, whatever the route.
 */
final class RemovedNodeGuard implements Router.Guard {
  private final RaftStore store;

  RemovedNodeGuard(RaftStore store) {
    this.store = store;
  }

  @Override
  public void check(Caller caller) {
    if (!(caller instanceof Caller.Certified c)) {
      return;
    }
    ClusterState s = store.local();
    if (!s.initialized()) {
      return;
    }
    if (!c.identity().clusterId().equals(s.clusterId())) {
      throw new ApiFailure(403, "the certificate of " + c.describe() + " is of cluster " + c.identity().clusterId()
          + ", not this one (" + s.clusterId() + ")");
    }
    if (s.pki() != null && s.pki().removed(c.identity().nodeId())) {
      throw new ApiFailure(403, "the certificate of " + c.describe() + " is refused: the node was removed from the swarm");
    }
  }
}
