package meshplane.node.daemon;

import java.util.List;
import meshplane.cluster.assignment.Assignment;
import meshplane.cluster.manager.Manager;
import meshplane.pki.CertRole;
import meshplane.cluster.model.NodeRole;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Promotion and demotion, as the node's assignment shows its role: promoted, the node gets a
 * manager's certificate, starts a manager and joins the Raft group through another manager (which
 * may take many seconds); demoted, it stops its manager, drops its Raft data and gets a worker's
 * certificate. Its role and the managers are remembered either
 * way. Runs on {@link RoleWatcher}'s thread, never the agent's sync, and never during a join
 * request.
 */
final class RoleChange {
  private static final Logger LOG = LoggerFactory.getLogger(RoleChange.class);

  private final DaemonConfig cfg;
  private final NodeMembership membership;
  private final ManagerLauncher managers;
  private final TrustUpdate trust;

  RoleChange(DaemonConfig cfg, NodeMembership membership, ManagerLauncher managers) {
    this.cfg = cfg;
    this.membership = membership;
    this.managers = managers;
    this.trust = new TrustUpdate(membership);
  }

  void apply(Assignment a) {
    synchronized (membership) {
      LocalNodeState me = membership.local();
      if (me == null || !a.nodeId().equals(me.nodeId())) {
        return;
      }
      List<String> managerAddresses = a.managers();
      if (a.role() == NodeRole.MANAGER && membership.manager() == null && managers.refusal().isEmpty()) {
        LOG.info("promoted: a manager's certificate, then a manager");
        List<String> others = managerAddresses.stream().filter(x -> !x.equals(cfg.apiAddress())).toList();
        if (!others.isEmpty()) {
          try {
            if (membership.credentials().identity().role() != CertRole.MANAGER) {
              membership.renewed(CertificateRenewal.renew(membership.credentials(), others, NodeRole.MANAGER));
            }
            Manager m = managers.join(me.nodeId(), others.get(0), membership.credentials());
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
        // remembered before the certificate follows: a restart in between resumes in the role the swarm gave
        membership.remember(me.with(a.role(), managerAddresses));
      }
      if (a.role() == NodeRole.WORKER && membership.credentials().identity().role() != CertRole.WORKER) {
        try {
          membership.renewed(CertificateRenewal.renew(membership.credentials(),
              managerAddresses.stream().filter(x -> !x.equals(cfg.apiAddress())).toList(), NodeRole.WORKER));
        } catch (RuntimeException e) {
          LOG.warn("demotion: cannot get a worker's certificate yet: {}", e.getMessage());
          return;
        }
      }
      trust.apply(a);
    }
  }
}
