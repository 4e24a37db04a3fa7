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
 * Bridge forwarding-database entries in one namespace, on bridge ports (NTF_MASTER) and on
 * VXLAN devices (NTF_SELF, with the remote VTEP): add, append, replace, delete, list. Each
 * method names its iproute2 equivalent; all four changes send the same AF_BRIDGE message and
 * differ only in its type and NLM_F flags.
 */
public final class Fdb {
  private final RtnlHandle handle;

  Fdb(RtnlHandle handle) {
    this.handle = handle;
  }

  /** Adds an entry; EEXIST if the MAC has one. Equivalent to {@code bridge fdb add MAC dev D [dst IP] self|master STATE}. */
  public void add(FdbEntry e) {
    send(Rtnl.RTM_NEWNEIGH, Nlmsg.NLM_F_CREATE | Nlmsg.NLM_F_EXCL, "add", e);
  }

  /**
   * Adds another remote to a VXLAN entry (the all-zeros entry collects one per VTEP to flood to).
   * Equivalent to {@code bridge fdb append MAC dev D dst IP}.
   */
  public void append(FdbEntry e) {
    send(Rtnl.RTM_NEWNEIGH, Nlmsg.NLM_F_CREATE | Nlmsg.NLM_F_APPEND, "append", e);
  }

  /** Adds an entry or overwrites the one for the MAC. Equivalent to {@code bridge fdb replace MAC dev D ...}. */
  public void replace(FdbEntry e) {
    send(Rtnl.RTM_NEWNEIGH, Nlmsg.NLM_F_CREATE | Nlmsg.NLM_F_REPLACE, "replace", e);
  }

  /**
   * Removes an entry; ENOENT if there is none. On a VXLAN device, an entry with a remote removes
   * only that remote. Equivalent to {@code bridge fdb del MAC dev D [dst IP] self|master}.
   */
  public void delete(FdbEntry e) {
    send(Rtnl.RTM_DELNEIGH, 0, "delete", e);
  }

  private void send(int type, int flags, String operation, FdbEntry e) {
    int index = e.linkIndex() != 0 ? e.linkIndex() : handle.links().require(e.linkName()).index();
    handle.socket().request(message(type, flags, e, index), operation, "fdb entry " + e + " " + handle.where());
  }

  /** The one message behind every change: AF_BRIDGE ndmsg with state and flags, NDA_LLADDR, NDA_DST. */
  static MessageBuilder message(int type, int flags, FdbEntry e, int linkIndex) {
    MessageBuilder m = new MessageBuilder(type, flags);
    Neighbours.ndmsg(m, Rtnl.AF_BRIDGE, linkIndex, e.state(), e.flags());
    m.attr(Rtnl.NDA_LLADDR, e.mac().bytes());
    if (e.remote() != null) {
      m.attrAddress(Rtnl.NDA_DST, e.remote());
    }
    return m;
  }

  /** Every entry of every device, names resolved. Equivalent to {@code bridge fdb show}. */
  public List<FdbEntry> list() {
    MessageBuilder m = new MessageBuilder(Rtnl.RTM_GETNEIGH, 0);
    Neighbours.ndmsg(m, Rtnl.AF_BRIDGE, 0, 0, 0);
    List<Message> replies = handle.socket().dump(m, "list", "fdb entries " + handle.where());
    LinkNames names = LinkNames.of(handle);
    List<FdbEntry> out = new ArrayList<>();
    for (Message r : replies) {
      if (r.type() == Rtnl.RTM_NEWNEIGH && (r.body().get(0) & 0xff) == Rtnl.AF_BRIDGE) {
        FdbEntry e = parse(r);
        out.add(e.withLinkName(names.name(e.linkIndex())));
      }
    }
    return out;
  }

  /** The entries of one device (a VXLAN device, or a bridge port). Equivalent to {@code bridge fdb show dev D}. */
  public List<FdbEntry> list(String device) {
    int index = handle.links().require(device).index();
    return list().stream().filter(e -> e.linkIndex() == index).toList();
  }

  /** Decodes an AF_BRIDGE RTM_NEWNEIGH message; the link name is left null. */
  public static FdbEntry parse(Message r) {
    ByteBuffer b = r.body();
    int index = b.getInt(4);
    Attributes a = r.attributes(Rtnl.NDMSG_LEN);
    MacAddress mac = a.get(Rtnl.NDA_LLADDR).filter(x -> x.length() == 6).map(x -> new MacAddress(x.bytes()))
        .orElseThrow(() -> new IllegalStateException("AF_BRIDGE RTM_NEWNEIGH on ifindex " + index + " has no MAC"));
    return new FdbEntry(index, null, mac, a.get(Rtnl.NDA_DST).map(x -> x.address()).orElse(null),
        b.get(10) & 0xff, b.getShort(8) & 0xffff, a.u32(Rtnl.NDA_MASTER).orElse(0));
  }
}
