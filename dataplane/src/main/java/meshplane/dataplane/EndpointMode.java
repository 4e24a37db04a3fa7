package meshplane.dataplane;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** How a service is reached: one virtual IP per network, load-balanced, or DNS round robin over its tasks' IPs. */
public enum EndpointMode {
  VIP("vip"),
  DNSRR("dnsrr");

  private final String wire;

  EndpointMode(String wire) {
    this.wire = wire;
  }

  /** The name in JSON and on the command line: {@code vip} or {@code dnsrr}. */
  @JsonValue
  public String wire() {
    return wire;
  }

  /** The value named {@code text}, or empty. */
  public static java.util.Optional<EndpointMode> parse(String text) {
    for (EndpointMode m : values()) {
      if (m.wire.equals(text)) {
        return java.util.Optional.of(m);
      }
    }
    return java.util.Optional.empty();
  }

  /** The value named {@code text}; anything else is an IllegalArgumentException naming the rule (JSON reads this). */
  @JsonCreator
  public static EndpointMode of(String text) {
    return parse(text).orElseThrow(() -> new IllegalArgumentException("\"" + text + "\" must be vip or dnsrr"));
  }

  @Override
  public String toString() {
    return wire;
  }
}
