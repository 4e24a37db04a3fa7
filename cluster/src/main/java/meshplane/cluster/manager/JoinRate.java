package meshplane.cluster.manager;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import meshplane.cluster.api.ApiFailure;
import meshplane.cluster.model.NodeRole;

/**
 * How often a join token may be used: at most {@link #MAX_JOINS} registrations per role's token
 * in any {@link #WINDOW_MILLIS}, counted by the leader (it decides every join). A leaked token
 * then adds nodes slowly enough to be seen and rotated, not a thousand in a second; the cluster's
 * node count has its own cap ({@link meshplane.cluster.orchestrator.StateLimits#MAX_NODES}). A
 * refusal is a 429 naming the token's role, the limit and when to try again.
 */
final class JoinRate {
  static final int MAX_JOINS = 30;
  static final long WINDOW_MILLIS = 60_000;

  private final Map<NodeRole, Deque<Long>> recent = new HashMap<>();

  /** Counts one join with {@code role}'s token at {@code now}, or refuses it. */
  synchronized void admit(NodeRole role, long now) {
    Deque<Long> times = recent.computeIfAbsent(role, r -> new ArrayDeque<>());
    while (!times.isEmpty() && times.peekFirst() <= now - WINDOW_MILLIS) {
      times.removeFirst();
    }
    if (times.size() >= MAX_JOINS) {
      long wait = (times.peekFirst() + WINDOW_MILLIS - now + 999) / 1000;
      throw new ApiFailure(429, "the " + role.name().toLowerCase() + " join token was used " + times.size() + " times in the last "
          + WINDOW_MILLIS / 1000 + " s, at most " + MAX_JOINS + ": try again in " + wait + " s", "token");
    }
    times.addLast(now);
  }
}
