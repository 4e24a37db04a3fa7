package meshplane.dataplane;

import java.net.Inet4Address;
import java.util.Objects;
import meshplane.netlink.MacAddress;

/** A remote endpoint (a task, or another node's load-balancer address) behind VTEP {@code vtep}. */
public record PeerSpec(String network, Inet4Address ip, MacAddress mac, Inet4Address vtep) {
  public PeerSpec {
    Objects.requireNonNull(network, "network");
    Objects.requireNonNull(ip, "ip");
    Objects.requireNonNull(mac, "mac");
    Objects.requireNonNull(vtep, "vtep");
  }
}
