package meshplane.cluster.orchestrator;

import java.util.Map;
import meshplane.dataplane.Protocol;

/**
 * The ports the cluster itself uses on every node, which no service may publish: a published port
 * is DNATed on every node, so publishing one of these would take the node's own traffic for it
 * (the API, Raft, the overlay) from the swarm.
 */
final class ReservedPorts {
  private static final Map<String, String> USE = Map.of(
      "2377/tcp", "the swarm's API port",
      "2378/tcp", "the managers' Raft port",
      "4789/udp", "the overlay's VXLAN port",
      "7946/tcp", "Swarm's node gossip port (kept free, as on Swarm)",
      "7946/udp", "Swarm's node gossip port (kept free, as on Swarm)");

  private ReservedPorts() {}

  /** What the cluster uses {@code port}/{@code protocol} for, or null when it is free to publish. */
  static String use(int port, Protocol protocol) {
    return USE.get(port + "/" + protocol.wire());
  }
}
