package meshplane.cluster.model;

import meshplane.dataplane.Protocol;
import meshplane.dataplane.PublishMode;

/**
 * A published port, {@code -p published:target/protocol}; {@code mode} {@link PublishMode#INGRESS}
 * is the routing mesh (every node answers). An absent protocol is TCP and an absent mode ingress,
 * as with {@code docker service create -p}.
 */
public record PortConfig(Protocol protocol, int published, int target, PublishMode mode) {
  public PortConfig {
    protocol = protocol == null ? Protocol.TCP : protocol;
    mode = mode == null ? PublishMode.INGRESS : mode;
  }

  /** {@code 8080/tcp}: the key under which a published port is unique in the cluster. */
  public String key() {
    return published + "/" + protocol;
  }

  @Override
  public String toString() {
    return published + ":" + target + "/" + protocol;
  }
}
