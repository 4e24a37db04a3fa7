package meshplane.dataplane;

import java.util.List;

/**
 * Desired state that was refused whole: every problem found, each naming its field by JSON path
 * ({@code services[0].ports[1].published}) and the rule it broke. Nothing was programmed.
 */
public class InvalidStateException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;
  private final List<String> problems;

  public InvalidStateException(List<String> problems) {
    super("desired state refused, nothing changed: " + String.join("; ", problems));
    this.problems = List.copyOf(problems);
  }

  public List<String> problems() {
    return problems;
  }
}
