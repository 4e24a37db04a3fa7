package meshplane.vxlan;

import java.net.Inet4Address;
import java.net.InetAddress;
import meshplane.netlink.IpPrefix;

/**
 * An overlay network as Docker's overlay driver has it: an id, a VXLAN network identifier, an
 * IPv4 subnet with its gateway, the MTU endpoints get (underlay MTU - 50 = 1450 by default: 14
 * inner Ethernet + 8 VXLAN + 8 UDP + 20 IP) and the UDP port VXLAN travels on (4789).
 */
public record OverlayNetwork(String id, int vni, IpPrefix subnet, InetAddress gateway, int mtu, int port) {
  public static final int DEFAULT_PORT = 4789;
  /** Bytes VXLAN adds to an inner IP packet: inner Ethernet 14 + VXLAN 8 + UDP 8 + outer IPv4 20. */
  public static final int OVERHEAD = 50;
  public static final int DEFAULT_MTU = 1500 - OVERHEAD;

  public OverlayNetwork {
    if (id == null || !id.matches("[a-z0-9]{1,12}")) {
      throw new IllegalArgumentException("network id \"" + id + "\" must be 1 to 12 lowercase letters or digits");
    }
    if (vni < 1 || vni > 0xffffff) {
      throw new IllegalArgumentException("network " + id + ": vni " + vni + " must be between 1 and 16777215");
    }
    if (subnet == null || !subnet.isIpv4() || subnet.length() > 30 || !subnet.network().equals(subnet)) {
      throw new IllegalArgumentException("network " + id + ": subnet " + subnet
          + " must be an IPv4 network address with a prefix of /30 or shorter");
    }
    if (!(gateway instanceof Inet4Address) || !subnet.contains(gateway)
        || gateway.equals(subnet.address()) || gateway.equals(broadcast(subnet))) {
      throw new IllegalArgumentException("network " + id + ": gateway " + (gateway == null ? null : gateway.getHostAddress())
          + " must be a host address inside subnet " + subnet);
    }
    if (mtu < 576 || mtu > 9000 - OVERHEAD) {
      throw new IllegalArgumentException("network " + id + ": mtu " + mtu + " must be between 576 and " + (9000 - OVERHEAD));
    }
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("network " + id + ": port " + port + " must be between 1 and 65535");
    }
  }

  /** A network with the default MTU (1450) and port (4789). */
  public static OverlayNetwork of(String id, int vni, String subnet, String gateway) {
    return new OverlayNetwork(id, vni, IpPrefix.parse(subnet), IpPrefix.literal(gateway, "gateway " + gateway),
        DEFAULT_MTU, DEFAULT_PORT);
  }

  /** The gateway with the subnet's prefix length, as it sits on the sandbox bridge. */
  public IpPrefix gatewayPrefix() {
    return new IpPrefix(gateway, subnet.length());
  }

  static InetAddress broadcast(IpPrefix p) {
    byte[] b = p.network().address().getAddress();
    for (int i = 0; i < b.length; i++) {
      int hostBits = Math.max(0, Math.min(8, (i + 1) * 8 - p.length()));
      b[i] |= (byte) ((1 << hostBits) - 1);
    }
    try {
      return InetAddress.getByAddress(b);
    } catch (java.net.UnknownHostException e) {
      throw new IllegalStateException(e);
    }
  }
}
