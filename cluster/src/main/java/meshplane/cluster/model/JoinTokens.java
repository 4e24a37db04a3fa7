package meshplane.cluster.model;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * The secrets a node presents to join: {@code SWMTKN-1-<cluster>-<secret>}, one for workers and
 * a different one for managers. A worker token never makes a manager. A presented token is
 * compared with both in constant time (MessageDigest.isEqual), so the time an answer takes says
 * nothing of how much of a guess was right.
 */
public record JoinTokens(String worker, String manager) {
  public NodeRole roleOf(String token) {
    if (token == null) {
      return null;
    }
    boolean isManager = same(token, manager);
    boolean isWorker = same(token, worker);
    return isManager ? NodeRole.MANAGER : isWorker ? NodeRole.WORKER : null;
  }

  private static boolean same(String presented, String expected) {
    return expected != null && MessageDigest.isEqual(presented.getBytes(StandardCharsets.UTF_8),
        expected.getBytes(StandardCharsets.UTF_8));
  }
}
