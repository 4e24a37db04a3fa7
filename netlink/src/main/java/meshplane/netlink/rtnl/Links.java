package meshplane.netlink.rtnl;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import meshplane.netlink.Attributes;
import meshplane.netlink.Errno;
import meshplane.netlink.KernelException;
import meshplane.netlink.MacAddress;
import meshplane.netlink.Message;
import meshplane.netlink.MessageBuilder;
import meshplane.netlink.NetNamespace;
import meshplane.netlink.Nlmsg;

/**
 * Links in one namespace: add, delete, get, list, and the changes the kernel allows on a live
 * link (state, MTU, MAC, master, name, namespace). Each method names its iproute2 equivalent.
 */
public final class Links {
  private final RtnlHandle handle;

  Links(RtnlHandle handle) {
    this.handle = handle;
  }

  static void checkName(String name) {
    if (name == null || name.isEmpty() || name.getBytes(StandardCharsets.UTF_8).length > 15
        || name.contains("/") || name.chars().anyMatch(Character::isWhitespace)) {
      throw new IllegalArgumentException("interface name \"" + name
          + "\" must be 1 to 15 bytes with no '/' and no whitespace");
    }
  }

  /** struct ifinfomsg. */
  static MessageBuilder ifinfomsg(MessageBuilder m, int index, int flags, int change) {
    return m.u8(Rtnl.AF_UNSPEC).u8(0).u16(0).u32(index).u32(flags).u32(change);
  }

  private String what(String name) {
    return "link " + name + " " + handle.where();
  }

  /** Creates a link. Equivalent to {@code ip link add NAME type KIND ...}. */
  public Link add(LinkSpec spec) {
    int underlayIndex = spec instanceof LinkSpec.Vxlan x && x.underlayDevice() != null
        ? require(x.underlayDevice()).index() : 0;
    handle.socket().request(addRequest(spec, underlayIndex), "add",
        spec.kind() + " " + spec.name() + describePeer(spec) + " " + handle.where());
    return require(spec.name());
  }

  /**
   * The RTM_NEWLINK request that creates {@code spec}; {@code underlayIndex} is the ifindex of a
   * VXLAN device's underlay link, 0 for none. Separate so its bytes can be checked against
   * iproute2's.
   */
  static MessageBuilder addRequest(LinkSpec spec, int underlayIndex) {
    MessageBuilder m = new MessageBuilder(Rtnl.RTM_NEWLINK, Nlmsg.NLM_F_CREATE | Nlmsg.NLM_F_EXCL);
    ifinfomsg(m, 0, 0, 0);
    m.attrString(Rtnl.IFLA_IFNAME, spec.name());
    int info = m.beginNested(Rtnl.IFLA_LINKINFO);
    m.attrString(Rtnl.IFLA_INFO_KIND, spec.kind());
    if (spec instanceof LinkSpec.Veth v) {
      int data = m.beginNested(Rtnl.IFLA_INFO_DATA);
      int peer = m.beginNested(Rtnl.VETH_INFO_PEER);
      ifinfomsg(m, 0, 0, 0);
      m.attrString(Rtnl.IFLA_IFNAME, v.peerName());
      if (v.peerNamespace() != null) {
        m.attrU32(Rtnl.IFLA_NET_NS_FD, v.peerNamespace().fd());
      }
      m.endNested(peer);
      m.endNested(data);
    } else if (spec instanceof LinkSpec.Vxlan x) {
      int data = m.beginNested(Rtnl.IFLA_INFO_DATA);
      m.attrU32(Rtnl.IFLA_VXLAN_ID, x.vni());
      m.attrBe16(Rtnl.IFLA_VXLAN_PORT, x.port());
      if (x.local() != null) {
        m.attrAddress(Rtnl.IFLA_VXLAN_LOCAL, x.local());
      }
      if (underlayIndex != 0) {
        m.attrU32(Rtnl.IFLA_VXLAN_LINK, underlayIndex);
      }
      m.attrU8(Rtnl.IFLA_VXLAN_LEARNING, x.learning() ? 1 : 0);
      m.attrU8(Rtnl.IFLA_VXLAN_TTL, x.ttl());
      if (x.proxy()) {
        m.attrU8(Rtnl.IFLA_VXLAN_PROXY, 1);
      }
      m.endNested(data);
    }
    m.endNested(info);
    return m;
  }

  private static String describePeer(LinkSpec spec) {
    if (spec instanceof LinkSpec.Veth v) {
      return " (peer " + v.peerName() + (v.peerNamespace() == null ? "" : " in netns " + v.peerNamespace().name()) + ")";
    }
    return "";
  }

  /** Deletes a link (a veth takes its peer with it). Equivalent to {@code ip link del NAME}. */
  public void delete(String name) {
    checkName(name);
    MessageBuilder m = new MessageBuilder(Rtnl.RTM_DELLINK, 0);
    ifinfomsg(m, 0, 0, 0);
    m.attrString(Rtnl.IFLA_IFNAME, name);
    handle.socket().request(m, "delete", what(name));
  }

  /** The link called {@code name}, if there is one. Equivalent to {@code ip -d link show NAME}. */
  public Optional<Link> get(String name) {
    checkName(name);
    MessageBuilder m = new MessageBuilder(Rtnl.RTM_GETLINK, 0);
    ifinfomsg(m, 0, 0, 0);
    m.attrString(Rtnl.IFLA_IFNAME, name);
    try {
      List<Message> replies = handle.socket().request(m, "get", what(name));
      return replies.stream().filter(r -> r.type() == Rtnl.RTM_NEWLINK).findFirst().map(Links::parse);
    } catch (KernelException e) {
      if (e.errno() == Errno.ENODEV) {
        return Optional.empty();
      }
      throw e;
    }
  }

  /** The link called {@code name}; ENODEV when there is none. */
  public Link require(String name) {
    return get(name).orElseThrow(() -> new KernelException("get", what(name), Errno.ENODEV));
  }

  /** Every link in the namespace. Equivalent to {@code ip -d link show}. */
  public List<Link> list() {
    MessageBuilder m = new MessageBuilder(Rtnl.RTM_GETLINK, 0);
    ifinfomsg(m, 0, 0, 0);
    List<Link> out = new ArrayList<>();
    for (Message r : handle.socket().dump(m, "list", "links " + handle.where())) {
      if (r.type() == Rtnl.RTM_NEWLINK) {
        out.add(parse(r));
      }
    }
    return out;
  }

  /** Decodes an RTM_NEWLINK message. */
  public static Link parse(Message r) {
    ByteBuffer b = r.body();
    int index = b.getInt(4);
    int flags = b.getInt(8);
    Attributes a = r.attributes(Rtnl.IFINFOMSG_LEN);
    String kind = "";
    VxlanInfo vxlan = null;
    Optional<Attributes> info = a.nested(Rtnl.IFLA_LINKINFO);
    if (info.isPresent()) {
      kind = info.get().string(Rtnl.IFLA_INFO_KIND).orElse("");
      Optional<Attributes> data = info.get().nested(Rtnl.IFLA_INFO_DATA);
      if (kind.equals("vxlan") && data.isPresent()) {
        Attributes d = data.get();
        vxlan = new VxlanInfo(d.u32(Rtnl.IFLA_VXLAN_ID).orElse(0),
            d.get(Rtnl.IFLA_VXLAN_PORT).map(x -> x.be16()).orElse(0),
            d.get(Rtnl.IFLA_VXLAN_LOCAL).map(x -> x.address()).orElse(null),
            d.u8(Rtnl.IFLA_VXLAN_LEARNING).orElse(0) != 0,
            d.u8(Rtnl.IFLA_VXLAN_TTL).orElse(0),
            d.u32(Rtnl.IFLA_VXLAN_LINK).orElse(0),
            d.u8(Rtnl.IFLA_VXLAN_PROXY).orElse(0) != 0);
      }
    }
    MacAddress mac = a.get(Rtnl.IFLA_ADDRESS).filter(x -> x.length() == 6)
        .map(x -> new MacAddress(x.bytes())).orElse(null);
    return new Link(index, a.string(Rtnl.IFLA_IFNAME).orElse(""), kind,
        a.u32(Rtnl.IFLA_MTU).orElse(0), mac, flags,
        a.u32(Rtnl.IFLA_MASTER).orElse(0), a.u32(Rtnl.IFLA_LINK).orElse(0), vxlan);
  }

  /** An RTM_NEWLINK without NLM_F_CREATE: a change to an existing link. */
  private static MessageBuilder change(String name) {
    checkName(name);
    return new MessageBuilder(Rtnl.RTM_NEWLINK, 0);
  }

  private void sendChange(MessageBuilder m, String operation, String name) {
    handle.socket().request(m, operation, what(name));
  }

  /** Equivalent to {@code ip link set NAME up}. */
  public void setUp(String name) {
    setState(name, true);
  }

  /** Equivalent to {@code ip link set NAME down}. */
  public void setDown(String name) {
    setState(name, false);
  }

  private void setState(String name, boolean up) {
    MessageBuilder m = change(name);
    ifinfomsg(m, 0, up ? Rtnl.IFF_UP : 0, Rtnl.IFF_UP);
    m.attrString(Rtnl.IFLA_IFNAME, name);
    sendChange(m, up ? "set up" : "set down", name);
  }

  /** Equivalent to {@code ip link set NAME mtu MTU}. */
  public void setMtu(String name, int mtu) {
    if (mtu < 68 || mtu > 65535) {
      throw new IllegalArgumentException("MTU " + mtu + " of " + name + " must be between 68 and 65535");
    }
    MessageBuilder m = change(name);
    ifinfomsg(m, 0, 0, 0);
    m.attrString(Rtnl.IFLA_IFNAME, name);
    m.attrU32(Rtnl.IFLA_MTU, mtu);
    sendChange(m, "set mtu " + mtu + " on", name);
  }

  /** Equivalent to {@code ip link set NAME address MAC}. */
  public void setMac(String name, MacAddress mac) {
    MessageBuilder m = change(name);
    ifinfomsg(m, 0, 0, 0);
    m.attrString(Rtnl.IFLA_IFNAME, name);
    m.attr(Rtnl.IFLA_ADDRESS, mac.bytes());
    sendChange(m, "set address " + mac + " on", name);
  }

  /** Equivalent to {@code ip link set NAME master MASTER}. */
  public void setMaster(String name, String master) {
    int masterIndex = require(master).index();
    MessageBuilder m = change(name);
    ifinfomsg(m, 0, 0, 0);
    m.attrString(Rtnl.IFLA_IFNAME, name);
    m.attrU32(Rtnl.IFLA_MASTER, masterIndex);
    sendChange(m, "set master " + master + " on", name);
  }

  /** Equivalent to {@code ip link set NAME nomaster}. */
  public void clearMaster(String name) {
    MessageBuilder m = change(name);
    ifinfomsg(m, 0, 0, 0);
    m.attrString(Rtnl.IFLA_IFNAME, name);
    m.attrU32(Rtnl.IFLA_MASTER, 0);
    sendChange(m, "set nomaster on", name);
  }

  /** Equivalent to {@code ip link set NAME name NEWNAME} (the link must be down). */
  public void rename(String name, String newName) {
    checkName(newName);
    int index = require(name).index();
    MessageBuilder m = change(name);
    ifinfomsg(m, index, 0, 0);
    m.attrString(Rtnl.IFLA_IFNAME, newName);
    sendChange(m, "rename to " + newName, name);
  }

  /**
   * Moves a link into another namespace, optionally renaming it on the way (null keeps the name).
   * Equivalent to {@code ip link set NAME netns NS [name NEWNAME]}. The link arrives down.
   */
  public void moveTo(String name, NetNamespace target, String newName) {
    if (newName != null) {
      checkName(newName);
    }
    int index = require(name).index();
    MessageBuilder m = change(name);
    ifinfomsg(m, index, 0, 0);
    m.attrU32(Rtnl.IFLA_NET_NS_FD, target.fd());
    if (newName != null) {
      m.attrString(Rtnl.IFLA_IFNAME, newName);
    }
    sendChange(m, "move to netns " + target.name() + (newName == null ? "" : " as " + newName), name);
  }

  /**
   * Changes the settings of a live VXLAN device that the kernel allows to change (learning,
   * TTL, port, local address). Equivalent to {@code ip link set NAME type vxlan ...}.
   */
  public void changeVxlan(LinkSpec.Vxlan spec) {
    Link current = require(spec.name());
    MessageBuilder m = change(spec.name());
    ifinfomsg(m, current.index(), 0, 0);
    int info = m.beginNested(Rtnl.IFLA_LINKINFO);
    m.attrString(Rtnl.IFLA_INFO_KIND, "vxlan");
    int data = m.beginNested(Rtnl.IFLA_INFO_DATA);
    m.attrU32(Rtnl.IFLA_VXLAN_ID, spec.vni());
    m.attrU8(Rtnl.IFLA_VXLAN_LEARNING, spec.learning() ? 1 : 0);
    m.attrU8(Rtnl.IFLA_VXLAN_TTL, spec.ttl());
    m.endNested(data);
    m.endNested(info);
    sendChange(m, "change vxlan settings of", spec.name());
  }
}
