package meshplane.cluster.manager;

import meshplane.cluster.api.ApiFailure;
import meshplane.cluster.api.Caller;
import meshplane.cluster.api.Router;
import meshplane.cluster.model.ClusterState;
import meshplane.cluster.raft.RaftStore;

/**
 * Before any route of a manager: a certificate of another cluster, of a node removed from this
 * one ({@code node rm}), or a manager's certificate of a node since demoted, is refused with a
 * 403 that says which, whatever the route.
 */
final class RemovedNodeGuard implements Router.Guard {
  private final RaftStore store;

  RemovedNodeGuard(RaftStore store) {
    this.store = store;
  }

  @Override
  public void check(Caller caller, meshplane.cluster.api.Access access) {
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
    // a demoted node's manager certificate is still valid until it expires: the state's role wins
    var node = s.nodes().get(c.identity().nodeId());
    if (access == meshplane.cluster.api.Access.MANAGER && c.is(meshplane.pki.CertRole.MANAGER) && node != null
        && !node.isManager()) {
      throw new ApiFailure(403, "the manager certificate of node " + node.hostname() + " is refused: the node was demoted"
          + " (it renews its certificate as a worker)");
    }
  }
}
