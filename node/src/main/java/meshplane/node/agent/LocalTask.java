package meshplane.node.agent;

import meshplane.node.exec.RunningTask;
import meshplane.node.exec.TaskExecutor;
import meshplane.node.exec.TaskLaunch;
import meshplane.cluster.model.TaskReport;
import meshplane.cluster.model.TaskState;

/**
 * One task as this agent holds it: how it was launched, by which executor, its process once
 * started, and the state the agent last saw (what the next heartbeat reports).
 */
final class LocalTask {
  final TaskLaunch launch;
  final TaskExecutor executor;
  volatile RunningTask running;
  volatile TaskState state;
  volatile String message;
  volatile Integer exitCode;
  volatile long at;
  volatile boolean stopping;

  LocalTask(TaskLaunch launch, TaskExecutor executor, TaskState state, String message) {
    this.launch = launch;
    this.executor = executor;
    set(state, message, null);
  }

  void set(TaskState s, String msg, Integer exit) {
    state = s;
    message = msg;
    exitCode = exit;
    at = System.currentTimeMillis();
  }

  TaskReport report() {
    return new TaskReport(launch.taskId(), state, message, exitCode, at);
  }
}
