package meshplane.dataplane;

import java.net.Inet4Address;
import java.util.List;
import java.util.Objects;

/**
 * The desired data-plane state of one node: the document {@code meshctl dataplane apply -f}
 * reads and the slice of the cluster the dispatcher assigns to the node (docs/dataplane-state.md).
 * {@link StateValidator} checks it whole before anything is programmed.
 */
public record DataplaneState(String node, Inet4Address underlay, List<NetworkSpec> networks,
    List<EndpointSpec> endpoints, List<PeerSpec> peers, List<ServiceSpec> services) {

  public DataplaneState {
    Objects.requireNonNull(node, "node");
    Objects.requireNonNull(underlay, "underlay");
    networks = List.copyOf(networks);
    endpoints = List.copyOf(endpoints);
    peers = List.copyOf(peers);
    services = List.copyOf(services);
  }

  /** Node {@code node} with nothing on it. */
  public static DataplaneState empty(String node, Inet4Address underlay) {
    return new DataplaneState(node, underlay, List.of(), List.of(), List.of(), List.of());
  }

  /** The same node with other services. */
  public DataplaneState withServices(List<ServiceSpec> others) {
    return new DataplaneState(node, underlay, networks, endpoints, peers, others);
  }

  /** The same node with other local endpoints. */
  public DataplaneState withEndpoints(List<EndpointSpec> others) {
    return new DataplaneState(node, underlay, networks, others, peers, services);
  }

  /** The network {@code id}, if the node is on it. */
  public java.util.Optional<NetworkSpec> network(String id) {
    return networks.stream().filter(n -> n.id().equals(id)).findFirst();
  }
}
