package meshplane.cluster.api;

/**
 * The API's answer was not a success: {@code status} is the HTTP status (400 bad input, 404 no
 * such object, 409 a conflict, 503 no swarm or no leader), {@code error} and {@code field} come
 * from the answer's body {@code {"error": ..., "field": ...}}. Status 0 means there was no answer
 * at all: the address could not be reached ({@link #unreachable}).
 */
public final class ApiException extends RuntimeException {
  private final int status;
  private final String error;
  private final String field;

  public ApiException(int status, String error, String field) {
    super(error);
    this.status = status;
    this.error = error;
    this.field = field;
  }

  private ApiException(String message, Throwable cause) {
    super(message, cause);
    this.status = 0;
    this.error = message;
    this.field = null;
  }

  /** No answer from {@code target}: says where meshctl tried and what usually fixes it. */
  public static ApiException unreachable(ApiTarget target, Throwable cause) {
    String why = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
    return new ApiException("cannot reach the meshplane API at " + target.describe() + ": " + why
        + "; is a node daemon running? meshctl lab up starts them (or pick another with --host ADDR[:PORT]"
        + " or MESHPLANE_HOST)", cause);
  }

  public int status() {
    return status;
  }

  public String error() {
    return error;
  }

  /** The request field the error is about, or null. */
  public String field() {
    return field;
  }
}
