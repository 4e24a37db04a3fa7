package meshplane.cluster.orchestrator;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import meshplane.cluster.model.ClusterState;
import meshplane.cluster.model.Network;
import meshplane.cluster.model.ServiceSpec;

/** Looks networks up the way a spec names them (by name, never by data-plane id). */
final class Networks {
  private Networks() {}

  static Optional<Network> byName(ClusterState s, String name) {
    return s.networks().values().stream().filter(n -> n.name().equals(name)).findFirst();
  }

  static Optional<Network> ingress(ClusterState s) {
    return s.networks().values().stream().filter(Network::ingress).findFirst();
  }

  /** A task's networks in interface order: ingress first when ports are published, then the spec's. */
  static List<Network> ofTask(ClusterState s, ServiceSpec spec) {
    List<Network> nets = new ArrayList<>();
    if (!spec.ports().isEmpty()) {
      ingress(s).ifPresent(nets::add);
    }
    for (String name : spec.networks()) {
      byName(s, name).ifPresent(nets::add);
    }
    return nets;
  }
}
