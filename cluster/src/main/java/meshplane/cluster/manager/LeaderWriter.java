package meshplane.cluster.manager;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import meshplane.cluster.model.ClusterState;
import meshplane.cluster.model.Command;
import meshplane.cluster.raft.RaftStore;

/**
 * The leader's single writer: each write reads the latest applied state, decides its command
 * (allocations included) and waits for it to be applied before the next write starts. Decisions
 * therefore never race, and every replica applies the same values.
 */
final class LeaderWriter implements AutoCloseable {
  private static final long PROPOSE_TIMEOUT_S = 15;

  private final RaftStore store;
  private final ExecutorService thread = Executors.newSingleThreadExecutor(r -> {
    Thread t = new Thread(r, "leader-writer");
    t.setDaemon(true);
    return t;
  });

  LeaderWriter(RaftStore store) {
    this.store = store;
  }

  /**
   * Runs {@code decide} on the latest state; proposes what it returns (nothing when null) and
   * completes with the state after it.
   */
  CompletableFuture<ClusterState> write(Function<ClusterState, Command> decide) {
    return CompletableFuture.supplyAsync(() -> {
      ClusterState now = store.local();
      Command c = decide.apply(now);
      if (c == null) {
        return now;
      }
      try {
        return store.propose(c).get(PROPOSE_TIMEOUT_S, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new java.util.concurrent.CompletionException(e);
      } catch (java.util.concurrent.ExecutionException e) {
        throw new java.util.concurrent.CompletionException(e.getCause());
      } catch (java.util.concurrent.TimeoutException e) {
        throw new java.util.concurrent.CompletionException(new IllegalStateException(
            "the managers did not commit " + c.getClass().getSimpleName() + " within " + PROPOSE_TIMEOUT_S + " s (no quorum?)"));
      }
    }, thread);
  }

  @Override
  public void close() {
    thread.shutdownNow();
  }
}
