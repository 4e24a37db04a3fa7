package meshplane.cluster.model;

/**
 * Bad user input: names the field and the rule it broke. Thrown before anything changes; the API
 * answers it with 400 and this message.
 */
public final class InvalidRequestException extends RuntimeException {
  private final String field;

  public InvalidRequestException(String field, String rule) {
    super(field + ": " + rule);
    this.field = field;
  }

  public String field() {
    return field;
  }
}
