package meshplane.cluster.orchestrator;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import meshplane.cluster.model.InvalidRequestException;
import meshplane.cluster.model.Node;

/**
 * A placement constraint, {@code --constraint}: {@code node.labels.K==V}, {@code node.role==manager},
 * {@code node.hostname==H}, {@code node.id==ID}, each also with {@code !=}.
 */
public record Constraint(String key, boolean equal, String value) {
  private static final Pattern SYNTAX = Pattern.compile("\\s*([A-Za-z0-9_.-]+)\\s*(==|!=)\\s*(\\S(.*\\S)?)\\s*");
  private static final String LABELS = "node.labels.";

  /** Parses {@code text}; a bad one is an {@link InvalidRequestException} on field "constraints". */
  public static Constraint parse(String text) {
    return parse(text, "constraints");
  }

  /** Parses {@code text}; a bad one is an {@link InvalidRequestException} naming {@code field}. */
  public static Constraint parse(String text, String field) {
    Matcher m = SYNTAX.matcher(text == null ? "" : text);
    if (!m.matches()) {
      throw new InvalidRequestException(field, "\"" + text + "\" must be KEY==VALUE or KEY!=VALUE, KEY one of"
          + " node.labels.NAME, node.role, node.hostname, node.id");
    }
    String key = m.group(1);
    String value = m.group(3);
    boolean equal = m.group(2).equals("==");
    if (key.equals("node.role")) {
      if (!value.equals("manager") && !value.equals("worker")) {
        throw new InvalidRequestException(field, "\"" + text + "\": node.role must be manager or worker");
      }
    } else if (!key.equals("node.hostname") && !key.equals("node.id")
        && !(key.startsWith(LABELS) && key.length() > LABELS.length())) {
      throw new InvalidRequestException(field, "\"" + text + "\": unknown key " + key
          + " (node.labels.NAME, node.role, node.hostname or node.id)");
    }
    return new Constraint(key, equal, value);
  }

  /** Whether node {@code n} satisfies this constraint (a missing label equals nothing). */
  public boolean matches(Node n) {
    String actual = switch (key) {
      case "node.role" -> n.role().lower();
      case "node.hostname" -> n.hostname();
      case "node.id" -> n.id();
      default -> n.labels().get(key.substring(LABELS.length()));
    };
    return equal == value.equals(actual);
  }

  @Override
  public String toString() {
    return key + (equal ? "==" : "!=") + value;
  }
}
