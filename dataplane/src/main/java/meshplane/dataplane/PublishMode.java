package meshplane.dataplane;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** How a port is published: on every node through the routing mesh, or only on nodes with a task, straight to it. */
public enum PublishMode {
  INGRESS("ingress"),
  HOST("host");

  private final String wire;

  PublishMode(String wire) {
    this.wire = wire;
  }

  /** The name in JSON and on the command line: {@code ingress} or {@code host}. */
  @JsonValue
  public String wire() {
    return wire;
  }

  /** The value named {@code text}, or empty. */
  public static java.util.Optional<PublishMode> parse(String text) {
    for (PublishMode m : values()) {
      if (m.wire.equals(text)) {
        return java.util.Optional.of(m);
      }
    }
    return java.util.Optional.empty();
  }

  /** The value named {@code text}; anything else is an IllegalArgumentException naming the rule (JSON reads this). */
  @JsonCreator
  public static PublishMode of(String text) {
    return parse(text).orElseThrow(() -> new IllegalArgumentException("\"" + text + "\" must be ingress or host"));
  }

  @Override
  public String toString() {
    return wire;
  }
}
