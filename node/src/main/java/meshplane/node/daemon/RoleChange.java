package meshplane.node.daemon;

import java.util.List;
import meshplane.cluster.assignment.Assignment;
import meshplane.cluster.manager.Manager;
import meshplane.cluster.model.NodeRole;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Promotion and demotion, as the node's assignment shows its role: promoted, the node starts a
 * manager and joins the Raft group through another manager (which may take many seconds); demoted,
 * it stops its manager and drops its Raft data. Its role and the managers are remembered either
 * way. Runs on {@link RoleWatcher}'s thread, never the agent's sync, and never during a join
 * request.
 */
final class RoleChange {
  private static final Logger LOG = LoggerFactory.getLogger(RoleChange.class);

  private final DaemonConfig cfg;
  private final NodeMembership membership;
  private final ManagerLauncher managers;

  RoleChange(DaemonConfig cfg, NodeMembership membership, ManagerLauncher managers) {
    this.cfg = cfg;
    this.membership = membership;
    this.managers = managers;
  }

  void apply(Assignment a) {
    synchronized (membership) {
      LocalNodeState me = membership.local();
      if (me == null || !a.nodeId().equals(me.nodeId())) {
        return;
      }
      List<String> managerAddresses = a.managers();
      if (a.role() == NodeRole.MANAGER && membership.manager() == null) {
        LOG.info("promoted: starting a manager");
        String via = managerAddresses.stream().filter(x -> !x.equals(cfg.apiAddress())).findFirst().orElse(null);
        if (via != null) {
          try {
            Manager m = managers.join(me.nodeId(), via, StandInRaftCredentials.manager(me.nodeId(), me.clusterId()));
            membership.managerStarted(m);
          } catch (RuntimeException e) {
            LOG.warn("promotion: cannot join the managers yet: {}", e.getMessage());
            return;
          }
        }
      } else if (a.role() == NodeRole.WORKER && membership.manager() != null) {
        LOG.info("demoted: stopping the manager");
        membership.managerStopped();
      }
      if (a.role() != me.role() || !managerAddresses.equals(me.managers())) {
        membership.remember(me.with(a.role(), managerAddresses));
      }
    }
  }
}
