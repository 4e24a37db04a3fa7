package meshplane.node.exec;

/**
 * Runs tasks on this node (docs/control-plane.md, "Executors"): the operations a
 * {@link TaskController} drives for one task. {@link #prepare} returns the name of the task's
 * network namespace under /run/netns (an executor that makes its own namespace, like docker's,
 * binds it to that name); the agent then has the routing mesh plumb the task's endpoints into it,
 * and calls {@link #start}. Implementations are thread-safe and hold no thread per task.
 */
public interface TaskExecutor extends AutoCloseable {
  /** {@code process} or {@code docker}: the value of {@code ServiceSpec.executor}. */
  String name();

  /** Makes whatever must exist before the endpoints are plumbed; returns the namespace name to plumb into. */
  String prepare(TaskLaunch launch);

  /** Starts the task's program in the prepared namespace; its output goes to {@code launch.logFile()}. */
  RunningTask start(TaskLaunch launch);

  /**
   * A task this executor started in an earlier life of the agent and that still runs (after an
   * agent restart), or null. Lets a restarted agent keep its tasks instead of restarting them.
   */
  RunningTask adopt(TaskLaunch launch);

  /** Removes what {@link #prepare} made (namespace binding, container), once the task has stopped. */
  void cleanup(TaskLaunch launch);

  @Override
  void close();
}
