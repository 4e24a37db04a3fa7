package meshplane.cluster.model;

/**
 * A command that does not fit the state it is applied to (a name taken, an unknown id). Every
 * replica rejects it the same way, so the state stays the same everywhere.
 */
public final class CommandRejectedException extends RuntimeException {
  public CommandRejectedException(String message) {
    super(message);
  }
}
