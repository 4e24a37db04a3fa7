package meshplane.dataplane;

import java.net.Inet4Address;
import java.util.Objects;
import java.util.Optional;
import meshplane.netlink.MacAddress;

/**
 * A local task's endpoint on a network: the task's namespace gets {@code iface} with ip and mac.
 * {@code task} is the task's name, as the embedded DNS answers it (docs/dns.md); the endpoint's
 * {@code id} is the task's short id.
 */
public record EndpointSpec(String id, String network, Inet4Address ip, MacAddress mac, String namespace, String iface,
    Optional<String> task) {

  public EndpointSpec {
    Objects.requireNonNull(network, "network");
    Objects.requireNonNull(ip, "ip");
    Objects.requireNonNull(mac, "mac");
    Objects.requireNonNull(task, "task");
  }
}
