package meshplane.vxlan;

import meshplane.netlink.IpPrefix;
import meshplane.netlink.MacAddress;

/**
 * A task's attachment to an overlay network: a veth pair with one end on the network's sandbox
 * bridge ({@code mp-v<id>}) and the other in the task's namespace as {@code interfaceName}
 * (eth0, eth1, ... one per network), carrying the allocated address and MAC.
 */
public record Endpoint(String id, String network, IpPrefix address, MacAddress mac, String namespace,
    String interfaceName) {
  public Endpoint {
    if (id == null || !id.matches("[a-z0-9]{1,10}")) {
      throw new IllegalArgumentException("endpoint id \"" + id + "\" must be 1 to 10 lowercase letters or digits");
    }
    if (network == null || address == null || mac == null || namespace == null || interfaceName == null) {
      throw new IllegalArgumentException("endpoint " + id + " needs network, address, mac, namespace and interface name");
    }
    if (!address.isIpv4()) {
      throw new IllegalArgumentException("endpoint " + id + ": address " + address + " must be IPv4");
    }
  }

  /** The sandbox end of the veth pair. */
  public String sandboxPort() {
    return "mp-v" + id;
  }

  /** The peer other hosts need to reach this endpoint behind {@code vtep}. */
  public Peer asPeer(java.net.Inet4Address vtep) {
    return new Peer(network, address.address(), mac, vtep);
  }
}
