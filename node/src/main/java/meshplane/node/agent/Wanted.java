package meshplane.node.agent;

/** What the node's assignment wants of one task (the desired state input of {@link TaskStep}). */
enum Wanted {
  /** Listed with desired RUNNING, not ended as far as the cluster knows, its service there. */
  RUNNING,
  /** Listed, but to be shut down (desired SHUTDOWN, ended, or its service gone). */
  SHUTDOWN,
  /** Not listed any more (or never: a leftover of an earlier run of the agent). */
  GONE
}
