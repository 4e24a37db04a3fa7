package meshplane.netlink.rtnl;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import meshplane.netlink.IpPrefix;

/**
 * A route ({@code ip route}): destination (0.0.0.0/0 or ::/0 for the default route), gateway
 * (null for a route straight onto a link), output link by index or by name (index 0 and name
 * null: none; when both are given the index wins), table (RT_TABLE_MAIN unless said), scope
 * (RT_SCOPE_*), protocol (RTPROT_*), type (RTN_*), preferred source (null: none) and metric
 * (0: none; the kernel gives IPv6 routes 1024). Routes read from the kernel carry both the index
 * and the name of their link. The factories pick what {@code ip route add} picks.
 */
public record Route(IpPrefix destination, InetAddress gateway, int linkIndex, String linkName,
    int table, int scope, int protocol, int type, InetAddress source, int metric) {

  public Route {
    if (destination == null) {
      throw new IllegalArgumentException("route destination must be given (0.0.0.0/0 for the default route)");
    }
    if (!destination.network().equals(destination)) {
      throw new IllegalArgumentException("route destination " + destination
          + " has host bits set: the network is " + destination.network());
    }
    if (gateway != null && (gateway instanceof Inet4Address) != destination.isIpv4()) {
      throw new IllegalArgumentException("route to " + destination + ": gateway "
          + gateway.getHostAddress() + " is not of the destination's address family");
    }
    if (source != null && (source instanceof Inet4Address) != destination.isIpv4()) {
      throw new IllegalArgumentException("route to " + destination + ": source "
          + source.getHostAddress() + " is not of the destination's address family");
    }
    if (linkIndex < 0) {
      throw new IllegalArgumentException("route to " + destination + ": link index " + linkIndex + " must not be negative");
    }
    if (linkName != null) {
      Links.checkName(linkName);
    }
    if (table == Rtnl.RT_TABLE_UNSPEC) {
      throw new IllegalArgumentException("route to " + destination + ": table must not be 0 (RT_TABLE_UNSPEC)");
    }
    checkU8("scope", scope, destination);
    checkU8("protocol", protocol, destination);
    checkU8("type", type, destination);
  }

  private static void checkU8(String field, int value, IpPrefix destination) {
    if (value < 0 || value > 255) {
      throw new IllegalArgumentException("route to " + destination + ": " + field + " " + value
          + " must be between 0 and 255");
    }
  }

  /** A route through a gateway. Equivalent to {@code ip route add DEST via GATEWAY}. */
  public static Route via(IpPrefix destination, InetAddress gateway) {
    return new Route(destination, gateway, 0, null, Rtnl.RT_TABLE_MAIN, Rtnl.RT_SCOPE_UNIVERSE,
        Rtnl.RTPROT_BOOT, Rtnl.RTN_UNICAST, null, 0);
  }

  /** The default route. Equivalent to {@code ip route add default via GATEWAY}. */
  public static Route defaultVia(InetAddress gateway) {
    return via(anyPrefix(gateway instanceof Inet4Address), gateway);
  }

  /** A route straight onto a link, scope link. Equivalent to {@code ip route add DEST dev LINK}. */
  public static Route onLink(IpPrefix destination, String link) {
    return new Route(destination, null, 0, link, Rtnl.RT_TABLE_MAIN, Rtnl.RT_SCOPE_LINK,
        Rtnl.RTPROT_BOOT, Rtnl.RTN_UNICAST, null, 0);
  }

  /** 0.0.0.0/0 or ::/0. */
  public static IpPrefix anyPrefix(boolean ipv4) {
    try {
      return new IpPrefix(InetAddress.getByAddress(new byte[ipv4 ? 4 : 16]), 0);
    } catch (UnknownHostException e) {
      throw new IllegalStateException(e);
    }
  }

  /** {@code ... dev LINK}. */
  public Route withLink(String name) {
    return new Route(destination, gateway, 0, name, table, scope, protocol, type, source, metric);
  }

  /** {@code ... src SOURCE}. */
  public Route withSource(InetAddress src) {
    return new Route(destination, gateway, linkIndex, linkName, table, scope, protocol, type, src, metric);
  }

  /** {@code ... metric METRIC}. */
  public Route withMetric(int m) {
    return new Route(destination, gateway, linkIndex, linkName, table, scope, protocol, type, source, m);
  }

  /** {@code ... table TABLE}. */
  public Route withTable(int t) {
    return new Route(destination, gateway, linkIndex, linkName, t, scope, protocol, type, source, metric);
  }

  /** {@code ... proto PROTOCOL}. */
  public Route withProtocol(int p) {
    return new Route(destination, gateway, linkIndex, linkName, table, scope, p, type, source, metric);
  }

  Route withLinkName(String name) {
    return new Route(destination, gateway, linkIndex, name, table, scope, protocol, type, source, metric);
  }

  public boolean isDefault() {
    return destination.length() == 0;
  }

  /** In iproute2's words: {@code default via 10.0.0.1 dev mp-va src 10.0.0.2 metric 5 table 254 proto 3 scope 0}. */
  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder(isDefault() ? "default" : destination.toString());
    if (gateway != null) {
      sb.append(" via ").append(gateway.getHostAddress());
    }
    if (linkIndex != 0 || linkName != null) {
      sb.append(" dev ").append(LinkNames.describe(linkName, linkIndex));
    }
    if (source != null) {
      sb.append(" src ").append(source.getHostAddress());
    }
    if (metric != 0) {
      sb.append(" metric ").append(Integer.toUnsignedString(metric));
    }
    return sb.append(" table ").append(Integer.toUnsignedString(table))
        .append(" proto ").append(protocol).append(" scope ").append(scope).toString();
  }
}
