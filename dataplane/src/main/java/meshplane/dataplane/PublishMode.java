package meshplane.dataplane;

/** How a port is published: on every node through the routing mesh, or only on nodes with a task, straight to it. */
public enum PublishMode {
  INGRESS("ingress"),
  HOST("host");

  private final String wire;

  PublishMode(String wire) {
    this.wire = wire;
  }

  /** The name in JSON and on the command line: {@code ingress} or {@code host}. */
  public String wire() {
    return wire;
  }

  /** The mode named {@code text}, or empty. */
  public static java.util.Optional<PublishMode> parse(String text) {
    for (PublishMode m : values()) {
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
