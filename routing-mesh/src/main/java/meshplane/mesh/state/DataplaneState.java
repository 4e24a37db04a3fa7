package meshplane.mesh.state;

import java.util.List;

/**
 * The desired data-plane state of one node, the document {@code meshctl dataplane apply -f}
 * reads and the node agent receives from the dispatcher (docs/dataplane-state.md). Plain values
 * as they appear in JSON; {@link StateValidator} checks them whole before anything is programmed.
 */
public record DataplaneState(String node, String underlay, List<NetworkSpec> networks,
    List<EndpointSpec> endpoints, List<PeerSpec> peers, List<ServiceSpec> services) {

  public DataplaneState {
    networks = networks == null ? List.of() : List.copyOf(networks);
    endpoints = endpoints == null ? List.of() : List.copyOf(endpoints);
    peers = peers == null ? List.of() : List.copyOf(peers);
    services = services == null ? List.of() : List.copyOf(services);
  }
}
