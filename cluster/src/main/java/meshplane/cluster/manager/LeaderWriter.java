package meshplane.cluster.manager;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import meshplane.cluster.model.ClusterState;
import meshplane.cluster.model.Command;
import meshplane.cluster.raft.RaftStore;

/**
 * The leader's single writer: each write decides its command (allocations included) on the state
 * every earlier write leads to, one write at a time, so decisions never race and every replica
 * applies the same values.
 *
 * <p>Pipelined: a write does not wait for its entry to be committed before the next one decides.
 * The writer keeps the state {@code ahead}: the applied state with every proposal still in flight
 * applied to it, as the log will apply them (this leader's writer is the only proposer of state
 * changes, and jraft keeps the order). A command that state refuses is refused at once, without a
 * log entry, as every replica would have refused it. Meanwhile jraft batches the entries in flight
 * into one log write, so many concurrent writers share an fsync. When a proposal fails (leadership
 * lost, a timeout), {@code ahead} may hold a command the log will never apply: the next write waits
 * for the proposals in flight to end and starts again from the applied state.
 */
final class LeaderWriter implements AutoCloseable {
  /** How many proposals may wait for their commit at once. */
  static final int MAX_IN_FLIGHT = 512;
  private static final long PROPOSE_TIMEOUT_S = 15;

  private final RaftStore store;
  private final ExecutorService thread = Executors.newSingleThreadExecutor(r -> {
    Thread t = new Thread(r, "leader-writer");
    t.setDaemon(true);
    return t;
  });
  private final Semaphore slots = new Semaphore(MAX_IN_FLIGHT);
  private final AtomicInteger inFlight = new AtomicInteger();
  private volatile boolean diverged;
  // on the writer's thread only
  private ClusterState ahead;
  private CompletableFuture<ClusterState> lastProposal = CompletableFuture.completedFuture(null);

  LeaderWriter(RaftStore store) {
    this.store = store;
  }

  /**
   * Runs {@code decide} on the latest state; proposes what it returns (nothing when null) and
   * completes with the state after it was applied.
   */
  CompletableFuture<ClusterState> write(Function<ClusterState, Command> decide) {
    return writeAll(s -> {
      Command c = decide.apply(s);
      return c == null ? List.of() : List.of(c);
    });
  }

  /**
   * Runs {@code decide} on the latest state; proposes the commands it returns, in order, and
   * completes with the state after the last one was applied (the latest state when there is none).
   * A command refused on the way fails the write; the ones before it stay proposed.
   */
  CompletableFuture<ClusterState> writeAll(Function<ClusterState, List<Command>> decide) {
    CompletableFuture<ClusterState> result = new CompletableFuture<>();
    thread.execute(() -> {
      try {
        ClusterState s = latest();
        List<Command> commands = decide.apply(s);
        CompletableFuture<ClusterState> last = null;
        for (Command c : commands) {
          ClusterState next = s.apply(c, s.index() + 1); // throws CommandRejectedException: nothing proposed
          last = propose(c);
          ahead = next;
          s = next;
        }
        if (last == null) {
          result.complete(s);
        } else {
          last.whenComplete((applied, e) -> {
            if (e == null) {
              result.complete(applied);
            } else {
              result.completeExceptionally(e);
            }
          });
        }
      } catch (RuntimeException e) {
        result.completeExceptionally(e);
      }
    });
    return result;
  }

  /** The state to decide on: the applied one, plus what is still in flight. */
  private ClusterState latest() {
    if (diverged) {
      awaitLastProposal();
      diverged = false;
      ahead = null;
    }
    if (inFlight.get() == 0) {
      ahead = null; // everything proposed is applied: the store's state has it (and any barrier's index)
    }
    return ahead != null ? ahead : store.local();
  }

  private void awaitLastProposal() {
    try {
      lastProposal.handle((s, e) -> null).get(PROPOSE_TIMEOUT_S, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted waiting for the proposals in flight", e);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("the proposals in flight did not end within " + PROPOSE_TIMEOUT_S + " s (no quorum?)");
    }
  }

  private CompletableFuture<ClusterState> propose(Command c) {
    try {
      if (!slots.tryAcquire(PROPOSE_TIMEOUT_S, TimeUnit.SECONDS)) {
        throw new IllegalStateException("the managers did not commit " + MAX_IN_FLIGHT + " writes in flight within "
            + PROPOSE_TIMEOUT_S + " s (no quorum?): " + c.getClass().getSimpleName() + " not proposed");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted before proposing " + c.getClass().getSimpleName(), e);
    }
    inFlight.incrementAndGet();
    CompletableFuture<ClusterState> f = store.propose(c).whenComplete((s, e) -> {
      if (e != null) {
        diverged = true;
      }
      inFlight.decrementAndGet();
      slots.release();
    });
    lastProposal = f;
    return f;
  }

  @Override
  public void close() {
    thread.shutdownNow();
  }
}
