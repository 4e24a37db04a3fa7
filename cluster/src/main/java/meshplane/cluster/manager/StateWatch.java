package meshplane.cluster.manager;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import meshplane.cluster.model.ClusterState;

/**
 * The agents' long poll: a request for a state newer than index N completes at once when the
 * replica has one, else when the next command is applied, else after a timeout with what it has.
 */
final class StateWatch implements AutoCloseable {
  private record Waiter(long since, CompletableFuture<ClusterState> future) {}

  private final List<Waiter> waiters = new ArrayList<>();
  private final java.util.concurrent.ScheduledThreadPoolExecutor timer = new java.util.concurrent.ScheduledThreadPoolExecutor(1, r -> {
    Thread t = new Thread(r, "state-watch");
    t.setDaemon(true);
    return t;
  });

  {
    timer.setRemoveOnCancelPolicy(true); // a poll answered early leaves no timer behind
  }
  private volatile ClusterState current;

  StateWatch(ClusterState initial) {
    this.current = initial;
  }

  /** The state last applied. */
  ClusterState current() {
    return current;
  }

  CompletableFuture<ClusterState> newerThan(long since, long timeoutMs) {
    ClusterState now = current;
    if (now.index() > since) {
      return CompletableFuture.completedFuture(now);
    }
    Waiter w = new Waiter(since, new CompletableFuture<>());
    synchronized (waiters) {
      waiters.add(w);
    }
    java.util.concurrent.ScheduledFuture<?> timeout = timer.schedule(() -> {
      synchronized (waiters) {
        waiters.remove(w);
      }
      w.future.complete(current);
    }, timeoutMs, TimeUnit.MILLISECONDS);
    w.future.whenComplete((x, e) -> timeout.cancel(false));
    // the state may have moved between the check and the registration
    if (current.index() > since) {
      w.future.complete(current);
    }
    return w.future;
  }

  /** Called after every apply (on the state machine's thread: completes futures, nothing slow). */
  void changed(ClusterState s) {
    current = s;
    List<Waiter> done = new ArrayList<>();
    synchronized (waiters) {
      for (Iterator<Waiter> it = waiters.iterator(); it.hasNext(); ) {
        Waiter w = it.next();
        if (s.index() > w.since) {
          it.remove();
          done.add(w);
        }
      }
    }
    done.forEach(w -> w.future.completeAsync(() -> s));
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
