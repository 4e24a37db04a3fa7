package meshplane.dataplane;

/** How a service is reached: one virtual IP per network, load-balanced, or DNS round robin over its tasks' IPs. */
public enum EndpointMode {
  VIP("vip"),
  DNSRR("dnsrr");

  private final String wire;

  EndpointMode(String wire) {
    this.wire = wire;
  }

  /** The name in JSON and on the command line: {@code vip} or {@code dnsrr}. */
  public String wire() {
    return wire;
  }

  /** The mode named {@code text}, or empty. */
  public static java.util.Optional<EndpointMode> parse(String text) {
    for (EndpointMode m : values()) {
      if (m.wire.equals(text)) {
        return java.util.Optional.of(m);
      }
    }
    return java.util.Optional.empty();
  }

  @Override
  public String toString() {
    return wire;
  }
}
