package meshplane.dataplane;

import java.net.Inet4Address;
import java.net.InetAddress;
import meshplane.netlink.IpPrefix;

/** IPv4 literals to addresses, never resolving a name. */
public final class Addresses {
  private Addresses() {}

  /** The IPv4 address {@code literal}; a name, an IPv6 literal or garbage is an IllegalArgumentException naming the text. */
  public static Inet4Address ipv4(String literal) {
    InetAddress a = IpPrefix.literal(literal, literal);
    if (!(a instanceof Inet4Address v4)) {
      throw new IllegalArgumentException("\"" + literal + "\" must be an IPv4 address");
    }
    return v4;
  }

  /** The dotted quad of {@code a}. */
  public static String text(InetAddress a) {
    return a.getHostAddress();
  }
}
