package meshplane.dataplane;

import java.net.Inet4Address;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A service as one node's data plane sees it: {@code vips} maps network id to the service's
 * virtual IP there (none in {@link EndpointMode#DNSRR} mode); {@code mark} is the firewall mark
 * the control plane allocated (it tags the service's flows for the load balancer);
 * {@code backends} are the service's tasks on each network.
 */
public record ServiceSpec(String name, EndpointMode endpointMode, int mark, Map<String, Inet4Address> vips,
    List<PortSpec> ports, List<BackendSpec> backends) {

  public ServiceSpec {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(endpointMode, "endpointMode");
    vips = Collections.unmodifiableMap(new TreeMap<>(vips));
    ports = List.copyOf(ports);
    backends = List.copyOf(backends);
  }

  public boolean isVip() {
    return endpointMode == EndpointMode.VIP;
  }

  /** The VIP on network {@code network}, if the service has one there. */
  public Optional<Inet4Address> vip(String network) {
    return Optional.ofNullable(vips.get(network));
  }

  /** The backends on network {@code network}, in order. */
  public List<BackendSpec> backendsOn(String network) {
    return backends.stream().filter(b -> b.network().equals(network)).toList();
  }
}
