package meshplane.cluster.raft;

import java.util.Optional;

/**
 * An operation that only the Raft leader may do (propose, a consistent read that fell back to the
 * log, a membership change) was asked of a manager that is not the leader. Carries the leader's
 * {@code ip:port} when this manager knows it, so the caller can forward the request there.
 */
public final class NotLeaderException extends RuntimeException {
  private final String leader;

  public NotLeaderException(String operation, String self, String leader) {
    super(operation + ": this manager (" + self + ") is not the Raft leader; "
        + (leader == null ? "no leader is known yet" : "the leader is " + leader));
    this.leader = leader;
  }

  /** The leader's Raft address ({@code ip:port}), when known. */
  public Optional<String> leader() {
    return Optional.ofNullable(leader);
  }
}
