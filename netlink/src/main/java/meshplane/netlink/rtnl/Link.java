package meshplane.netlink.rtnl;

import meshplane.netlink.MacAddress;

/**
 * A link as the kernel reports it ({@code ip -d link show}). {@code kind} is empty for links
 * with no rtnetlink kind (loopback, physical); {@code masterIndex} and {@code peerIndex} are 0
 * when absent; {@code vxlan} is null unless the link is a VXLAN device.
 */
public record Link(int index, String name, String kind, int mtu, MacAddress mac, int flags,
    int masterIndex, int peerIndex, VxlanInfo vxlan) {

  /** Administratively up (IFF_UP). */
  public boolean isUp() {
    return (flags & Rtnl.IFF_UP) != 0;
  }

  /** Carrier present (IFF_LOWER_UP). */
  public boolean hasCarrier() {
    return (flags & Rtnl.IFF_LOWER_UP) != 0;
  }
}
