package meshplane.cluster.model;

/**
 * The secrets a node presents to join: {@code SWMTKN-1-<cluster>-<secret>}, one for workers and
 * a different one for managers. A worker token never makes a manager.
 */
public record JoinTokens(String worker, String manager) {
  public NodeRole roleOf(String token) {
    if (token != null && token.equals(manager)) {
      return NodeRole.MANAGER;
    }
    if (token != null && token.equals(worker)) {
      return NodeRole.WORKER;
    }
    return null;
  }
}
