package meshplane.cluster.model;

/**
 * A published port, {@code -p published:target/protocol}; {@code mode} is {@code ingress} (the
 * routing mesh: every node answers).
 */
public record PortConfig(String protocol, int published, int target, String mode) {
  @Override
  public String toString() {
    return published + ":" + target + "/" + protocol;
  }
}
