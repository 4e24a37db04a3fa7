package meshplane.mesh.state;

import java.util.List;
import java.util.Map;

/**
 * A service: {@code endpointMode} {@code vip} (one virtual IP per network, load-balanced) or
 * {@code dnsrr} (no VIP; DNS answers task IPs). {@code vips} maps network id to VIP; {@code mark}
 * is the firewall mark the control plane allocated (it tags the service's flows for the load
 * balancer); {@code backends} are the service's tasks on each network.
 */
public record ServiceSpec(String name, String endpointMode, int mark, Map<String, String> vips,
    List<PortSpec> ports, List<BackendSpec> backends) {}
