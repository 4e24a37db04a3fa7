package meshplane.netlink.rtnl;

import java.net.Inet4Address;
import java.net.InetAddress;
import meshplane.netlink.MacAddress;

/**
 * An IPv4 ARP or IPv6 neighbour-discovery entry ({@code ip neigh}): the link's index, the IP
 * address, the link-layer address (null while unresolved) and the NUD_* state bits.
 */
public record Neighbour(int linkIndex, InetAddress ip, MacAddress mac, int state) {

  public Neighbour {
    if (linkIndex <= 0) {
      throw new IllegalArgumentException("neighbour " + (ip == null ? "" : ip.getHostAddress() + " ")
          + "link index " + linkIndex + " must be positive");
    }
    if (ip == null) {
      throw new IllegalArgumentException("neighbour on ifindex " + linkIndex + " must have an IP address");
    }
    if (state < 0 || state > 0xffff) {
      throw new IllegalArgumentException("neighbour " + ip.getHostAddress() + ": state " + state
          + " must fit 16 bits (NUD_*)");
    }
  }

  /** A static entry that never expires. As in {@code ip neigh add IP lladdr MAC dev D nud permanent}. */
  public static Neighbour permanent(int linkIndex, InetAddress ip, MacAddress mac) {
    if (mac == null) {
      throw new IllegalArgumentException("permanent neighbour " + ip.getHostAddress() + " needs a MAC address");
    }
    return new Neighbour(linkIndex, ip, mac, Rtnl.NUD_PERMANENT);
  }

  public boolean isIpv4() {
    return ip instanceof Inet4Address;
  }

  public boolean isPermanent() {
    return (state & Rtnl.NUD_PERMANENT) != 0;
  }

  /** {@code 10.0.0.9 lladdr 02:42:0a:00:00:09 dev ifindex 3 nud 0x80}. */
  @Override
  public String toString() {
    return ip.getHostAddress() + (mac == null ? "" : " lladdr " + mac) + " dev ifindex " + linkIndex
        + " nud 0x" + Integer.toHexString(state);
  }
}
