package meshplane.cluster.api;

import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import meshplane.cluster.model.CommandRejectedException;
import meshplane.cluster.model.InvalidRequestException;
import meshplane.cluster.raft.NoSpaceException;

/**
 * An error the API answers with a status: 400 bad input (names the field), 404 no such object,
 * 409 a conflict, 503 no swarm or no leader, 507 a manager's disk too full to take a write. {@link #of} maps any throwable to one.
 */
public final class ApiFailure extends RuntimeException {
  private final int status;
  private final String field;

  public ApiFailure(int status, String message) {
    this(status, message, null);
  }

  public ApiFailure(int status, String message, String field) {
    super(message);
    this.status = status;
    this.field = field;
  }

  public static ApiFailure notFound(String what) {
    return new ApiFailure(404, what);
  }

  public static ApiFailure unavailable(String why) {
    return new ApiFailure(503, why);
  }

  public int status() {
    return status;
  }

  public String field() {
    return field;
  }

  public static ApiFailure of(Throwable t) {
    while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
      t = t.getCause();
    }
    if (t instanceof ApiFailure f) {
      return f;
    }
    if (t instanceof InvalidRequestException e) {
      return new ApiFailure(400, e.getMessage(), e.field());
    }
    if (t instanceof CommandRejectedException e) {
      return new ApiFailure(409, e.getMessage());
    }
    if (t instanceof NoSpaceException e) {
      return new ApiFailure(507, e.getMessage()); // Insufficient Storage: the manager's disk, named in the message
    }
    if (t instanceof IllegalArgumentException e) {
      return new ApiFailure(400, e.getMessage());
    }
    return new ApiFailure(500, t.getClass().getSimpleName() + ": " + t.getMessage());
  }
}
