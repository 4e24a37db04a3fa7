package meshplane.netlink.rtnl;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import meshplane.netlink.Attributes;
import meshplane.netlink.MacAddress;
import meshplane.netlink.Message;
import meshplane.netlink.MessageBuilder;
import meshplane.netlink.Nlmsg;

/**
 * ARP and neighbour-discovery entries in one namespace: add, replace, delete, list. Each method
 * names its iproute2 equivalent; add, replace and delete send the same message and differ only
 * in its type and NLM_F flags. Bridge FDB entries, which travel in the same messages with
 * family AF_BRIDGE, are {@link Fdb}'s.
 */
public final class Neighbours {
  private final RtnlHandle handle;

  Neighbours(RtnlHandle handle) {
    this.handle = handle;
  }

  /** Adds an entry; EEXIST if there is one. Equivalent to {@code ip neigh add IP lladdr MAC dev D nud permanent}. */
  public void add(Neighbour n) {
    send(Rtnl.RTM_NEWNEIGH, Nlmsg.NLM_F_CREATE | Nlmsg.NLM_F_EXCL, "add", n);
  }

  /** Adds an entry or overwrites the one there. Equivalent to {@code ip neigh replace IP lladdr MAC dev D nud permanent}. */
  public void replace(Neighbour n) {
    send(Rtnl.RTM_NEWNEIGH, Nlmsg.NLM_F_CREATE | Nlmsg.NLM_F_REPLACE, "replace", n);
  }

  /** Removes an entry; ENOENT if there is none. Equivalent to {@code ip neigh del IP dev D}. */
  public void delete(Neighbour n) {
    send(Rtnl.RTM_DELNEIGH, 0, "delete", n);
  }

  private void send(int type, int flags, String operation, Neighbour n) {
    handle.socket().request(message(type, flags, n), operation, "neighbour " + n + " " + handle.where());
  }

  /** The one message behind add, replace and delete: ndmsg with the state, NDA_DST, NDA_LLADDR. */
  static MessageBuilder message(int type, int flags, Neighbour n) {
    MessageBuilder m = new MessageBuilder(type, flags);
    ndmsg(m, n.isIpv4() ? Rtnl.AF_INET : Rtnl.AF_INET6, n.linkIndex(), n.state(), 0);
    m.attrAddress(Rtnl.NDA_DST, n.ip());
    if (n.mac() != null) {
      m.attr(Rtnl.NDA_LLADDR, n.mac().bytes());
    }
    return m;
  }

  /** struct ndmsg: u8 family, u8 pad, u16 pad, s32 ifindex, u16 state, u8 flags, u8 type. */
  static MessageBuilder ndmsg(MessageBuilder m, int family, int index, int state, int flags) {
    return m.u8(family).u8(0).u16(0).u32(index).u16(state).u8(flags).u8(0);
  }

  /** Every IPv4 and IPv6 entry, whatever its state. Equivalent to {@code ip neigh show nud all}. */
  public List<Neighbour> list() {
    MessageBuilder m = new MessageBuilder(Rtnl.RTM_GETNEIGH, 0);
    ndmsg(m, Rtnl.AF_UNSPEC, 0, 0, 0);
    List<Neighbour> out = new ArrayList<>();
    for (Message r : handle.socket().dump(m, "list", "neighbours " + handle.where())) {
      int family = r.body().get(0) & 0xff;
      if (r.type() == Rtnl.RTM_NEWNEIGH && (family == Rtnl.AF_INET || family == Rtnl.AF_INET6)) {
        out.add(parse(r));
      }
    }
    return out;
  }

  /** The entries on one link. Equivalent to {@code ip neigh show dev LINK nud all}. */
  public List<Neighbour> list(String link) {
    int index = handle.links().require(link).index();
    return list().stream().filter(n -> n.linkIndex() == index).toList();
  }

  /** Decodes an RTM_NEWNEIGH message of family AF_INET or AF_INET6. */
  public static Neighbour parse(Message r) {
    ByteBuffer b = r.body();
    Attributes a = r.attributes(Rtnl.NDMSG_LEN);
    int index = b.getInt(4);
    return new Neighbour(index,
        a.get(Rtnl.NDA_DST).map(x -> x.address())
            .orElseThrow(() -> new IllegalStateException("RTM_NEWNEIGH on ifindex " + index + " has no NDA_DST")),
        a.get(Rtnl.NDA_LLADDR).filter(x -> x.length() == 6).map(x -> new MacAddress(x.bytes())).orElse(null),
        b.getShort(8) & 0xffff);
  }
}
