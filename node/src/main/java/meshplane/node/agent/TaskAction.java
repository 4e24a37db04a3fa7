package meshplane.node.agent;

/** What {@link TaskStep} says to do next with one task; the supervisor does it through the task's controller. */
enum TaskAction {
  /** Nothing until something changes (the data plane, the assignment, the task's process, the clock). */
  NONE,
  /** Take over the task if an earlier run of the agent started it and it still runs. */
  ADOPT,
  /** Prepare it (state folder, container): before the data plane plumbs its endpoints. */
  PREPARE,
  /** Start it: its namespace is plumbed. */
  START,
  /** Report it REJECTED: this node has no executor of the name its service asks for. */
  REJECT,
  /** Report it SHUTDOWN without starting it: wanted no more before it ran. */
  CANCEL,
  /** SIGTERM (or the container's stop signal): the first step of a stop. */
  SHUTDOWN,
  /** SIGKILL: the grace period is over and the task still runs. */
  TERMINATE,
  /** Report it COMPLETE (exit 0) or FAILED: it ended by itself. Never restarted here. */
  REPORT_EXIT,
  /** Report it SHUTDOWN: it ended after it was asked to. */
  REPORT_STOPPED,
  /** Report it SHUTDOWN although processes survived SIGKILL: nothing more can be done. */
  ABANDON,
  /** Remove what it left (container, namespace, state folder); the log stays. */
  REMOVE,
  /** Drop it from the agent's memory: removed and no longer in the assignment. */
  FORGET
}
