package meshplane.dataplane;

import java.util.Objects;

/**
 * A published port, as {@code docker service create -p published:target/protocol}: {@code mode}
 * {@link PublishMode#INGRESS} is the routing mesh (every node answers), {@link PublishMode#HOST}
 * only nodes with a task, straight to it.
 */
public record PortSpec(Protocol protocol, int published, int target, PublishMode mode) {
  public PortSpec {
    Objects.requireNonNull(protocol, "protocol");
    Objects.requireNonNull(mode, "mode");
  }

  /** {@code tcp/8080}: the key under which a published port is unique on a node. */
  public String key() {
    return protocol.wire() + "/" + published;
  }
}
