package meshplane.node.agent;

import meshplane.cluster.model.TaskState;

/**
 * Where an action leaves a task: its next local state and, when the action changes what the
 * agent reports, the state, message and exit code to report ({@code report} null: unchanged).
 */
record TaskTransition(LocalState next, TaskState report, String message, Integer exitCode) {
  static TaskTransition to(LocalState next) {
    return new TaskTransition(next, null, null, null);
  }

  static TaskTransition to(LocalState next, TaskState report, String message) {
    return new TaskTransition(next, report, message, null);
  }
}
