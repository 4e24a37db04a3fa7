package meshplane.cluster.model;

/** Whether the leader hears the node's heartbeats: {@code DOWN} after three missed periods. */
public enum NodeStatus {
  READY, DOWN;

  public String lower() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
