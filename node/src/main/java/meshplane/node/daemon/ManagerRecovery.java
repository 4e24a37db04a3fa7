package meshplane.node.daemon;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import meshplane.cluster.manager.Manager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Restarts this node's manager from its Raft data when jraft stopped its store for a storage
 * failure (a log, meta or snapshot write that failed: a full disk) and the disk has room again,
 * so a manager recovers by itself when space returns (jraft never leaves its error state on its
 * own). The restarted store catches up from the leader. Checked every {@link #EVERY} on a daemon
 * thread, under the membership's lock (never during a join or a role change).
 */
final class ManagerRecovery implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ManagerRecovery.class);
  static final Duration EVERY = Duration.ofSeconds(2);

  private final NodeMembership membership;
  private final ManagerLauncher managers;
  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "manager-recovery");
    t.setDaemon(true);
    return t;
  });

  ManagerRecovery(NodeMembership membership, ManagerLauncher managers) {
    this.membership = membership;
    this.managers = managers;
    timer.scheduleWithFixedDelay(this::check, EVERY.toMillis(), EVERY.toMillis(), TimeUnit.MILLISECONDS);
  }

  private void check() {
    try {
      synchronized (membership) {
        Manager m = membership.manager();
        if (m == null) {
          return;
        }
        Optional<String> failure = m.store().storageFailure();
        if (failure.isEmpty() || !m.store().hasSpace()) {
          return;
        }
        LOG.warn("the manager's Raft store stopped ({}) and its disk has room again: restarting it from its data", failure.get());
        m.close();
        membership.managerStarted(managers.resume(membership.credentials()));
      }
    } catch (RuntimeException e) {
      LOG.warn("manager recovery: {}", e.toString());
    }
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
