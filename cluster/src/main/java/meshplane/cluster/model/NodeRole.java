package meshplane.cluster.model;

/** A node's role, as {@code docker node ls} shows it: managers hold the Raft log, workers only run tasks. */
public enum NodeRole {
  MANAGER, WORKER;

  public String lower() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
