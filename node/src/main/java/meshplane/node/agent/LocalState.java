package meshplane.node.agent;

/**
 * Where this agent is with one task, as it has seen it (the input of {@link TaskStep}). The
 * cluster's {@code TaskState} is what the agent reports; this is what it has done.
 */
enum LocalState {
  /** Nothing done by this run of the agent: the task may still run from an earlier one. */
  NEW,
  /** Known to run nowhere here (nothing to adopt): ready to be prepared. */
  FRESH,
  /** Prepared; waits for the data plane to plumb its endpoints before it is started. */
  PREPARED,
  /** Started or adopted; its program runs. */
  RUNNING,
  /** Asked to end (SIGTERM); SIGKILL follows after the grace period. */
  STOPPING,
  /** Ended (exited, stopped, rejected, or failed to start) and reported so; its resources are still there. */
  ENDED,
  /** Its resources removed; it is remembered, for its report, while the assignment lists it. */
  REMOVED;

  /** Not started yet: only a sync takes it further, in its order (prepare, data plane, start). */
  boolean beforeStart() {
    return this == NEW || this == FRESH || this == PREPARED;
  }
}
