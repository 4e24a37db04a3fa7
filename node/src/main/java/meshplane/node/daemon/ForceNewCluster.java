package meshplane.node.daemon;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import meshplane.cluster.api.ApiResponse;
import meshplane.cluster.manager.Manager;
import meshplane.cluster.model.ClusterState;
import meshplane.cluster.model.Command;
import meshplane.cluster.model.CommandRejectedException;
import meshplane.cluster.model.Node;
import meshplane.cluster.model.NodeRole;
import meshplane.cluster.model.NodeStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code swarm init --force-new-cluster} on a surviving manager of a swarm that lost its quorum:
 * its Raft group becomes itself alone ({@code RaftStore.resetPeersToSelf}) with the state it
 * had, and the other managers are demoted to workers and marked down in that state (they are out
 * of the Raft group; {@code node rm} removes them, and one that comes back is a worker). Services,
 * tasks and published ports go on; new managers join with the manager token.
 *
 * <p>Refused on a node in no swarm or that is not a manager, and while the managers have a
 * quorum: a linearizable read ({@code readConsistent}, the leader confirming its lead to a
 * majority) that succeeds within {@link #QUORUM_PROBE} means they do.
 */
final class ForceNewCluster {
  private static final Logger LOG = LoggerFactory.getLogger(ForceNewCluster.class);
  static final Duration QUORUM_PROBE = Duration.ofSeconds(3);

  private final DaemonConfig cfg;
  private final NodeMembership membership;

  ForceNewCluster(DaemonConfig cfg, NodeMembership membership) {
    this.cfg = cfg;
    this.membership = membership;
  }

  /** Runs under the membership's lock: the reset, the election, the demotions; the answer names what it did. */
  ApiResponse run() {
    LocalNodeState s = membership.local();
    if (s == null) {
      throw new CommandRejectedException("--force-new-cluster: this node is not part of a swarm; it runs on a surviving"
          + " manager of a swarm that lost its quorum");
    }
    Manager m = membership.manager();
    if (m == null) {
      throw new CommandRejectedException("--force-new-cluster: this node is not a manager of swarm " + s.clusterId()
          + " (it is a " + s.role().lower() + "); run it on a surviving manager");
    }
    requireNoQuorum(m);
    LOG.warn("--force-new-cluster: resetting the Raft group of {} to itself alone (no quorum: no leader known, {})",
        m.store().self(), m.store().leader().orElse("none"));
    m.store().resetPeersToSelf();
    try {
      if (!m.awaitLeadership(ManagerLauncher.ELECTION_WAIT)) {
        throw new IllegalStateException("--force-new-cluster: " + m.store().self() + " did not lead its one-manager group within "
            + ManagerLauncher.ELECTION_WAIT.toSeconds() + " s");
      }
      List<String> demoted = demoteOthers(m, s.nodeId());
      membership.remember(s.with(NodeRole.MANAGER, List.of(cfg.apiAddress())));
      Map<String, Object> out = new LinkedHashMap<>();
      out.put("clusterId", s.clusterId());
      out.put("nodeId", s.nodeId());
      out.put("manager", cfg.apiAddress());
      out.put("raftPeers", m.store().peers());
      out.put("demoted", demoted);
      return ApiResponse.ok(out);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("--force-new-cluster: interrupted", e);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("--force-new-cluster: demoting the other managers failed (run it again): " + e.getMessage(), e);
    }
  }

  private static void requireNoQuorum(Manager m) {
    ClusterState read;
    try {
      read = m.store().readConsistent().get(QUORUM_PROBE.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("--force-new-cluster: interrupted", e);
    } catch (ExecutionException | TimeoutException noQuorum) {
      return;
    }
    throw new CommandRejectedException("--force-new-cluster: the managers have a quorum (leader " + m.store().leader().orElse("?")
        + ", Raft peers " + m.store().peers() + ", a consistent read at index " + read.index() + " succeeded); it is only for a"
        + " swarm that lost it: demote or remove managers instead (meshctl node demote, meshctl node rm)");
  }

  /** Every other manager becomes a worker that is down: one write each, by this new leader. */
  private static List<String> demoteOthers(Manager m, String self) throws InterruptedException, ExecutionException,
      TimeoutException {
    List<String> demoted = new ArrayList<>();
    for (Node n : m.store().local().managers()) {
      if (n.id().equals(self)) {
        continue;
      }
      m.propose(new Command.PutNode(n.withRole(NodeRole.WORKER).withStatus(NodeStatus.DOWN)))
          .get(ManagerLauncher.ELECTION_WAIT.toSeconds(), TimeUnit.SECONDS);
      demoted.add(n.hostname());
    }
    return demoted;
  }
}
