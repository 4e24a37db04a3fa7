package meshplane.node.daemon;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import meshplane.cluster.api.Router;
import meshplane.cluster.api.ClientTls;
import meshplane.cluster.manager.Manager;
import meshplane.pki.CertRole;
import meshplane.pki.LiveCredentials;
import meshplane.cluster.model.Command;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts this node's manager, its routes on the daemon's router, in the three ways a node
 * becomes one: founding a swarm (a one-manager Raft group, then the swarm's first entry),
 * joining the managers of one (an empty store the leader adds, caught up from the log), or
 * resuming from its Raft data after a restart. Each takes the manager credentials of its Raft port.
 */
final class ManagerLauncher {
  private static final Logger LOG = LoggerFactory.getLogger(ManagerLauncher.class);
  static final Duration ELECTION_WAIT = Duration.ofSeconds(15);
  static final Duration CATCH_UP_WAIT = Duration.ofSeconds(30);

  private final DaemonConfig cfg;
  private final Router router;
  private final NodeStateStore store;
  private volatile String refusal;

  ManagerLauncher(DaemonConfig cfg, Router router, NodeStateStore store) {
    this.cfg = cfg;
    this.router = router;
    this.store = store;
  }

  /** A new one-manager group that elects itself and writes {@code init}; on failure nothing is left. */
  Manager found(Command.Init init, LiveCredentials credentials) {
    Manager m = Manager.start(cfg.raftStore(true, credentials), router, credentials);
    try {
      if (!m.awaitLeadership(ELECTION_WAIT)) {
        throw new IllegalStateException("the new one-manager Raft group elected no leader in "
            + ELECTION_WAIT.toSeconds() + " s");
      }
      m.propose(init).get(ELECTION_WAIT.toSeconds(), TimeUnit.SECONDS);
      return m;
    } catch (Exception e) {
      m.close();
      store.deleteRaft();
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      throw new IllegalStateException("swarm init failed: " + e.getMessage(), e);
    }
  }

  /** A manager that joins an existing group through the manager at {@code via}: its store starts empty, the leader adds it, it catches up. */
  Manager join(String nodeId, String via, LiveCredentials credentials) {
    store.deleteRaft();
    Manager m = Manager.start(cfg.raftStore(false, credentials), router, credentials);
    try {
      ManagerRequests.post(ClientTls.of(credentials, CertRole.MANAGER), via, "/v1/swarm/raft-join", Map.of("nodeId", nodeId));
      if (!m.awaitState(CATCH_UP_WAIT)) {
        throw new IllegalStateException("the new manager did not catch up with the Raft log in "
            + CATCH_UP_WAIT.toSeconds() + " s");
      }
      return m;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      m.close();
      throw new IllegalStateException("interrupted while joining the managers", e);
    } catch (RuntimeException e) {
      m.close();
      throw e;
    }
  }

  /**
   * The manager of a node that was one when it stopped, from its Raft data; null when that data
   * cannot be read (a torn or corrupt snapshot or log): the node then refuses its manager role
   * for this run ({@link #refusal}), says why naming the file, and goes on as an agent that
   * follows the other managers. Its data is left as it was, for a person to look at or remove.
   */
  Manager resume(LiveCredentials credentials) {
    try {
      return Manager.start(cfg.raftStore(false, credentials), router, credentials);
    } catch (RuntimeException e) {
      String why = "this node refuses its manager role: " + messages(e) + "; its tasks and data plane go on from its"
          + " last assignment. To make it a manager again, fix or remove " + cfg.raftDir()
          + " and restart the daemon (with no Raft data it rejoins the managers as a new one)";
      LOG.error(why);
      refusal = why;
      return null;
    }
  }

  /** Why this run of the daemon refused the node's manager role, if it did. */
  Optional<String> refusal() {
    return Optional.ofNullable(refusal);
  }

  private static String messages(Throwable e) {
    StringBuilder b = new StringBuilder(String.valueOf(e.getMessage()));
    for (Throwable c = e.getCause(); c != null && c != c.getCause(); c = c.getCause()) {
      if (c.getMessage() != null && !b.toString().contains(c.getMessage())) {
        b.append(": ").append(c.getMessage());
      }
    }
    return b.toString();
  }
}
