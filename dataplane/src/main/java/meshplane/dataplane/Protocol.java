package meshplane.dataplane;

/** The transport protocol of a published port. */
public enum Protocol {
  TCP("tcp"),
  UDP("udp");

  private final String wire;

  Protocol(String wire) {
    this.wire = wire;
  }

  /** The name in JSON and on the command line: {@code tcp} or {@code udp}. */
  public String wire() {
    return wire;
  }

  /** The mode named {@code text}, or empty. */
  public static java.util.Optional<Protocol> parse(String text) {
    for (Protocol m : values()) {
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
