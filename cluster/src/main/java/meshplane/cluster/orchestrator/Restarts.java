package meshplane.cluster.orchestrator;

import meshplane.cluster.model.RestartPolicy;
import meshplane.cluster.model.Task;
import meshplane.cluster.model.TaskState;

/**
 * The restart policy applied to a task that ended while wanted RUNNING: {@code any} restarts it,
 * {@code on-failure} unless it completed (exit 0), {@code none} never; not before
 * {@code delayMillis} since it ended ({@code updatedAt}), and not once the slot's replacements
 * ({@code attempt}) reached {@code maxAttempts} (0: no limit). A task stopped or orphaned behind
 * the orchestrator's back counts as a failure.
 */
final class Restarts {
  private Restarts() {}

  /** Whether the policy ever replaces {@code ended}. */
  static boolean wanted(RestartPolicy p, Task ended) {
    return switch (p.condition()) {
      case "none" -> false;
      case "on-failure" -> ended.state() != TaskState.COMPLETE && withinAttempts(p, ended);
      default -> withinAttempts(p, ended);
    };
  }

  /** Whether the delay since {@code ended} ended has passed at {@code now}. */
  static boolean due(RestartPolicy p, Task ended, long now) {
    return now - ended.updatedAt() >= p.delayMillis();
  }

  private static boolean withinAttempts(RestartPolicy p, Task ended) {
    return p.maxAttempts() == 0 || ended.attempt() < p.maxAttempts();
  }
}
