package meshplane.cluster.model;

/**
 * A task's life, in Swarm's order: a state only moves forward. {@code PENDING}: no node fits;
 * {@code ASSIGNED}: placed, the agent has not started it; then {@code STARTING}, {@code RUNNING};
 * terminal: {@code COMPLETE} (exit 0), {@code FAILED}, {@code SHUTDOWN} (stopped on purpose),
 * {@code REJECTED} (the agent could not start it), {@code ORPHANED} (its node went down).
 */
public enum TaskState {
  PENDING, ASSIGNED, STARTING, RUNNING, COMPLETE, SHUTDOWN, FAILED, REJECTED, ORPHANED;

  public boolean isTerminal() {
    return ordinal() >= COMPLETE.ordinal();
  }

  public String lower() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
