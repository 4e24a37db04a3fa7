package meshplane.node.exec;

import java.util.Optional;
import java.util.OptionalInt;

/**
 * A started task. Nothing here blocks for the task's life: the agent asks {@link #exitCode} on
 * its ticks (SwarmKit's {@code Wait}, as a poll, so no thread waits per task), and a stop is
 * {@link #shutdown} then, after the grace period, {@link #terminate}, timed by the agent's step
 * function ({@code meshplane.node.agent.TaskStep}).
 */
public interface RunningTask {
  String taskId();

  /** True while any process of the task runs (for docker: while the container runs). */
  boolean isAlive();

  /** The exit status once the task has ended; empty while it runs. */
  OptionalInt exitCode();

  /** Why the task ended, when its executor knows more than the exit code ("OOM killed (memory limit 64 MiB)"). */
  default Optional<String> endReason() {
    return Optional.empty();
  }

  /** Asks the task to end: SIGTERM; returns at once. */
  void shutdown();

  /** Ends the task: SIGKILL to every process of it; returns at once. */
  void terminate();
}
