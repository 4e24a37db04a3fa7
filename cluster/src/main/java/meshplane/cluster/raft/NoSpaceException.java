package meshplane.cluster.raft;

/**
 * A write refused because the manager's Raft folder has too little space left: nothing was
 * appended, the state is unchanged, and the same write succeeds once space returns. Reads go on.
 */
public final class NoSpaceException extends RuntimeException {
  public NoSpaceException(String message) {
    super(message);
  }
}
