package meshplane.dataplane;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** The transport protocol of a published port. */
public enum Protocol {
  TCP("tcp"),
  UDP("udp");

  private final String wire;

  Protocol(String wire) {
    this.wire = wire;
  }

  /** The name in JSON and on the command line: {@code tcp} or {@code udp}. */
  @JsonValue
  public String wire() {
    return wire;
  }

  /** The value named {@code text}, or empty. */
  public static java.util.Optional<Protocol> parse(String text) {
    for (Protocol m : values()) {
      if (m.wire.equals(text)) {
        return java.util.Optional.of(m);
      }
    }
    return java.util.Optional.empty();
  }

  /** The value named {@code text}; anything else is an IllegalArgumentException naming the rule (JSON reads this). */
  @JsonCreator
  public static Protocol of(String text) {
    return parse(text).orElseThrow(() -> new IllegalArgumentException("\"" + text + "\" must be tcp or udp"));
  }

  @Override
  public String toString() {
    return wire;
  }
}
