package meshplane.cluster.raft;

import com.alipay.sofa.jraft.Closure;
import com.alipay.sofa.jraft.Status;
import com.alipay.sofa.jraft.error.RaftError;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Function;
import meshplane.cluster.model.ClusterState;
import meshplane.cluster.model.Command;
import meshplane.cluster.model.CommandRejectedException;

/**
 * A command proposed on this leader, travelling with its log entry: the state machine applies
 * {@link #command()} without decoding the entry and hands back the outcome ({@link #applied} or
 * {@link #rejected}); jraft then runs the closure with the entry's status. The future is
 * completed on {@code callbacks}, never on the state machine's thread.
 */
final class ProposalClosure implements Closure {
  private final Command command;
  private final CompletableFuture<ClusterState> future;
  private final Executor callbacks;
  private final Function<String, NotLeaderException> notLeader;
  private volatile ClusterState applied;
  private volatile CommandRejectedException rejected;

  ProposalClosure(Command command, CompletableFuture<ClusterState> future, Executor callbacks,
      Function<String, NotLeaderException> notLeader) {
    this.command = command;
    this.future = future;
    this.callbacks = callbacks;
    this.notLeader = notLeader;
  }

  Command command() {
    return command;
  }

  /** On the state machine's thread: the state right after this command. */
  void applied(ClusterState state) {
    this.applied = state;
  }

  /** On the state machine's thread: every replica rejected the command the same way. */
  void rejected(CommandRejectedException e) {
    this.rejected = e;
  }

  @Override
  public void run(Status status) {
    ClusterState a = applied;
    CommandRejectedException r = rejected;
    callbacks.execute(() -> {
      if (status.isOk() && r != null) {
        future.completeExceptionally(r);
      } else if (status.isOk() && a != null) {
        future.complete(a);
      } else if (status.getRaftError() == RaftError.EPERM) {
        future.completeExceptionally(notLeader.apply("propose " + name(command)));
      } else {
        future.completeExceptionally(new IllegalStateException(
            "proposal of " + name(command) + " failed: " + status));
      }
    });
  }

  static String name(Command c) {
    return c.getClass().getSimpleName();
  }
}
