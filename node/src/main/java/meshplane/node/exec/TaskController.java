package meshplane.node.exec;

import java.util.OptionalInt;

/**
 * One task on one executor, as SwarmKit's exec controller: {@link #prepare}, {@link #start},
 * {@link #exitStatus} (its {@code Wait}, asked rather than waited on), {@link #shutdown} and
 * {@link #terminate} (a stop in two steps, timed by the caller), {@link #remove}; and
 * {@link #adopt} for a task an earlier run of the agent started. It holds the task's
 * {@link RunningTask} once started or adopted. Which call comes next is decided by the agent's
 * step function ({@code meshplane.node.agent.TaskStep}), never here; a call that fails throws,
 * naming the task and the cause.
 */
public final class TaskController {
  /** What {@link #exitStatus} says of a task that ended without a known status. */
  public static final int EXIT_UNKNOWN = -1;

  private final TaskExecutor executor;
  private final TaskLaunch launch;
  private volatile RunningTask running;

  public TaskController(TaskExecutor executor, TaskLaunch launch) {
    this.executor = executor;
    this.launch = launch;
  }

  public TaskLaunch launch() {
    return launch;
  }

  public String executorName() {
    return executor.name();
  }

  /** Makes what must exist before the data plane plumbs the task's endpoints (files, a container). */
  public void prepare() {
    executor.prepare(launch);
  }

  /** Starts the prepared task in its plumbed namespace. */
  public void start() {
    running = executor.start(launch);
  }

  /** Takes over the task if an earlier run of the agent started it and it still runs; false when it does not. */
  public boolean adopt() {
    running = executor.adopt(launch);
    return running != null;
  }

  /** Empty while the task runs; its exit status once it has ended ({@value #EXIT_UNKNOWN} if never started). */
  public OptionalInt exitStatus() {
    RunningTask r = running;
    return r == null ? OptionalInt.of(EXIT_UNKNOWN) : r.exitCode();
  }

  /** Why the ended task ended, when its executor knows more than the exit code (an OOM kill). */
  public java.util.Optional<String> endReason() {
    RunningTask r = running;
    return r == null ? java.util.Optional.empty() : r.endReason();
  }

  /** The first step of a stop: SIGTERM (or the container's stop signal). */
  public void shutdown() {
    RunningTask r = running;
    if (r != null) {
      r.shutdown();
    }
  }

  /** The last step of a stop, after the grace period: SIGKILL. */
  public void terminate() {
    RunningTask r = running;
    if (r != null) {
      r.terminate();
    }
  }

  /** Removes what {@link #prepare} and {@link #start} made, once the task has ended; the log stays. */
  public void remove() {
    executor.cleanup(launch);
    running = null;
  }

  @Override
  public String toString() {
    return "task " + launch.taskId() + " on the " + executor.name() + " executor";
  }
}
