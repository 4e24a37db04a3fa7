package meshplane.netlink.rtnl;

import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import meshplane.netlink.Attributes;
import meshplane.netlink.IpPrefix;
import meshplane.netlink.Message;
import meshplane.netlink.MessageBuilder;
import meshplane.netlink.Nlmsg;

/**
 * Routes in one namespace: add, replace, delete, list. Each method names its iproute2
 * equivalent; add, replace and delete send the same message and differ only in its type and
 * NLM_F flags, so delete removes the route that matches the record (a record read with
 * {@link #list} deletes exactly that route).
 */
public final class Routes {
  private final RtnlHandle handle;

  Routes(RtnlHandle handle) {
    this.handle = handle;
  }

  /** Adds a route; EEXIST if it is there. Equivalent to {@code ip route add ROUTE}. */
  public void add(Route route) {
    send(Rtnl.RTM_NEWROUTE, Nlmsg.NLM_F_CREATE | Nlmsg.NLM_F_EXCL, "add", route);
  }

  /** Adds a route or replaces the one to the same destination. Equivalent to {@code ip route replace ROUTE}. */
  public void replace(Route route) {
    send(Rtnl.RTM_NEWROUTE, Nlmsg.NLM_F_CREATE | Nlmsg.NLM_F_REPLACE, "replace", route);
  }

  /** Removes a route; ESRCH if none matches. Equivalent to {@code ip route del ROUTE}. */
  public void delete(Route route) {
    send(Rtnl.RTM_DELROUTE, 0, "delete", route);
  }

  /**
   * Adds many routes, a few hundred messages per datagram with an ACK for each: the cost of
   * thousands of routes is the kernel's, not one round trip per route. Each route must name its
   * link by index. The first refusal is thrown, naming its route; routes before it are added.
   */
  public void addAll(java.util.List<Route> routes) {
    sendAll(Rtnl.RTM_NEWROUTE, Nlmsg.NLM_F_CREATE | Nlmsg.NLM_F_EXCL, "add", routes);
  }

  /** Deletes many routes, batched as {@link #addAll}. */
  public void deleteAll(java.util.List<Route> routes) {
    sendAll(Rtnl.RTM_DELROUTE, 0, "delete", routes);
  }

  private static final int PER_DATAGRAM = 256;

  private void sendAll(int type, int flags, String operation, java.util.List<Route> routes) {
    for (int from = 0; from < routes.size(); from += PER_DATAGRAM) {
      java.util.List<Route> part = routes.subList(from, Math.min(routes.size(), from + PER_DATAGRAM));
      java.util.List<MessageBuilder> batch = new ArrayList<>(part.size());
      for (Route r : part) {
        if (r.linkIndex() == 0 && r.linkName() != null) {
          throw new IllegalArgumentException("route " + r + ": batched routes name their link by index");
        }
        batch.add(message(type, flags | Nlmsg.NLM_F_ACK, r, r.linkIndex()));
      }
      handle.socket().requestAll(batch, operation, i -> "route " + part.get(i) + " " + handle.where());
    }
  }

  private void send(int type, int flags, String operation, Route route) {
    int oif = route.linkIndex();
    if (oif == 0 && route.linkName() != null) {
      oif = handle.links().require(route.linkName()).index();
    }
    handle.socket().request(message(type, flags, route, oif), operation, "route " + route + " " + handle.where());
  }

  /** The one message behind add, replace and delete: rtmsg, then RTA_TABLE, DST, GATEWAY, OIF, PREFSRC, PRIORITY. */
  static MessageBuilder message(int type, int flags, Route r, int outputLink) {
    IpPrefix dst = r.destination();
    MessageBuilder m = new MessageBuilder(type, flags);
    m.u8(dst.isIpv4() ? Rtnl.AF_INET : Rtnl.AF_INET6).u8(dst.length()).u8(0).u8(0)
        .u8(Integer.compareUnsigned(r.table(), 256) < 0 ? r.table() : Rtnl.RT_TABLE_UNSPEC)
        .u8(r.protocol()).u8(r.scope()).u8(r.type()).u32(0);
    m.attrU32(Rtnl.RTA_TABLE, r.table());
    if (dst.length() > 0) {
      m.attrAddress(Rtnl.RTA_DST, dst.address());
    }
    if (r.gateway() != null) {
      m.attrAddress(Rtnl.RTA_GATEWAY, r.gateway());
    }
    if (outputLink != 0) {
      m.attrU32(Rtnl.RTA_OIF, outputLink);
    }
    if (r.source() != null) {
      m.attrAddress(Rtnl.RTA_PREFSRC, r.source());
    }
    if (r.metric() != 0) {
      m.attrU32(Rtnl.RTA_PRIORITY, r.metric());
    }
    return m;
  }

  /**
   * The routes of the main table for AF_INET or AF_INET6 (AF_UNSPEC: both), link names
   * resolved. Equivalent to {@code ip [-6] route show}.
   */
  public List<Route> list(int family) {
    return list(family, Rtnl.RT_TABLE_MAIN);
  }

  /** The routes of one table, cached clones left out. Equivalent to {@code ip [-6] route show table TABLE}. */
  public List<Route> list(int family, int table) {
    if (family != Rtnl.AF_INET && family != Rtnl.AF_INET6 && family != Rtnl.AF_UNSPEC) {
      throw new IllegalArgumentException("route family " + family + " must be AF_INET, AF_INET6 or AF_UNSPEC");
    }
    MessageBuilder m = new MessageBuilder(Rtnl.RTM_GETROUTE, 0);
    m.u8(family).u8(0).u8(0).u8(0).u8(0).u8(0).u8(0).u8(0).u32(0);
    List<Message> replies = handle.socket().dump(m, "list", "routes " + handle.where());
    LinkNames names = LinkNames.of(handle);
    List<Route> out = new ArrayList<>();
    for (Message r : replies) {
      ByteBuffer b = r.body();
      int f = b.get(0) & 0xff;
      if (r.type() != Rtnl.RTM_NEWROUTE || (f != Rtnl.AF_INET && f != Rtnl.AF_INET6)
          || (b.getInt(8) & Rtnl.RTM_F_CLONED) != 0) {
        continue;
      }
      Route route = parse(r);
      if (route.table() == table) {
        out.add(route.withLinkName(names.name(route.linkIndex())));
      }
    }
    return out;
  }

  /**
   * Decodes an RTM_NEWROUTE message of family AF_INET or AF_INET6; the link name is left null.
   * A multipath route decodes without gateway or link (RTA_MULTIPATH is not read).
   */
  public static Route parse(Message r) {
    ByteBuffer b = r.body();
    boolean ipv4 = (b.get(0) & 0xff) == Rtnl.AF_INET;
    int dstLen = b.get(1) & 0xff;
    Attributes a = r.attributes(Rtnl.RTMSG_LEN);
    IpPrefix any = Route.anyPrefix(ipv4);
    InetAddress dst = a.get(Rtnl.RTA_DST).map(x -> x.address()).orElse(any.address());
    return new Route(new IpPrefix(dst, dstLen),
        a.get(Rtnl.RTA_GATEWAY).map(x -> x.address()).orElse(null),
        a.u32(Rtnl.RTA_OIF).orElse(0), null,
        a.u32(Rtnl.RTA_TABLE).orElse(b.get(4) & 0xff),
        b.get(6) & 0xff, b.get(5) & 0xff, b.get(7) & 0xff,
        a.get(Rtnl.RTA_PREFSRC).map(x -> x.address()).orElse(null),
        a.u32(Rtnl.RTA_PRIORITY).orElse(0));
  }
}
