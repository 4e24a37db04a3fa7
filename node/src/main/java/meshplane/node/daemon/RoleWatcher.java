package meshplane.node.daemon;

import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import meshplane.cluster.assignment.Assignment;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands each assignment's role to the daemon on a thread of its own, the latest only: a
 * promotion (which starts a manager and joins the Raft group) takes as long as it takes without
 * holding up the agent's syncs, and assignments that arrive meanwhile collapse into one.
 */
final class RoleWatcher implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(RoleWatcher.class);

  private final Consumer<Assignment> onRole;
  private final AtomicReference<Assignment> pending = new AtomicReference<>();
  private final Thread thread;
  private volatile boolean running = true;

  RoleWatcher(Consumer<Assignment> onRole) {
    this.onRole = onRole;
    this.thread = new Thread(this::loop, "node-role");
    thread.setDaemon(true);
    thread.start();
  }

  /** The latest assignment; never blocks. */
  void offer(Assignment a) {
    if (pending.getAndSet(a) == null) {
      synchronized (pending) {
        pending.notifyAll();
      }
    }
  }

  private void loop() {
    while (running) {
      Assignment a;
      synchronized (pending) {
        while (running && pending.get() == null) {
          try {
            pending.wait(1_000);
          } catch (InterruptedException e) {
            return;
          }
        }
        a = pending.getAndSet(null);
      }
      if (a == null) {
        continue;
      }
      try {
        onRole.accept(a);
      } catch (RuntimeException e) {
        LOG.warn("role change to {} failed: {}", a.role(), e.toString());
      }
    }
  }

  @Override
  public void close() {
    running = false;
    thread.interrupt();
  }
}
