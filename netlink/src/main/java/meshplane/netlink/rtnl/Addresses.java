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
 * Interface addresses in one namespace, IPv4 and IPv6: add, replace, delete, list. Each method
 * names its iproute2 equivalent; add, replace and delete send the same message and differ only
 * in its type and NLM_F flags.
 */
public final class Addresses {
  private final RtnlHandle handle;

  Addresses(RtnlHandle handle) {
    this.handle = handle;
  }

  /** Adds an address; EEXIST if the link has it already. Equivalent to {@code ip addr add ADDR/LEN dev LINK}. */
  public void add(String link, IpPrefix address) {
    send(Rtnl.RTM_NEWADDR, Nlmsg.NLM_F_CREATE | Nlmsg.NLM_F_EXCL, "add", link, address);
  }

  /** Adds an address or updates the one there. Equivalent to {@code ip addr replace ADDR/LEN dev LINK}. */
  public void replace(String link, IpPrefix address) {
    send(Rtnl.RTM_NEWADDR, Nlmsg.NLM_F_CREATE | Nlmsg.NLM_F_REPLACE, "replace", link, address);
  }

  /** Removes an address; EADDRNOTAVAIL if the link lacks it. Equivalent to {@code ip addr del ADDR/LEN dev LINK}. */
  public void delete(String link, IpPrefix address) {
    send(Rtnl.RTM_DELADDR, 0, "delete", link, address);
  }

  private void send(int type, int flags, String operation, String link, IpPrefix address) {
    int index = handle.links().require(link).index();
    handle.socket().request(message(type, flags, index, address), operation,
        "address " + address + " on " + link + " " + handle.where());
  }

  /**
   * The one message behind add, replace and delete: ifaddrmsg with the prefix length and the
   * scope iproute2 would pick (host for 127/8, else universe), IFA_LOCAL and IFA_ADDRESS both
   * the address (no peer).
   */
  static MessageBuilder message(int type, int flags, int linkIndex, IpPrefix address) {
    InetAddress a = address.address();
    boolean loopback4 = address.isIpv4() && a.getAddress()[0] == 127;
    MessageBuilder m = new MessageBuilder(type, flags);
    m.u8(address.isIpv4() ? Rtnl.AF_INET : Rtnl.AF_INET6).u8(address.length())
        .u8(0).u8(loopback4 ? Rtnl.RT_SCOPE_HOST : Rtnl.RT_SCOPE_UNIVERSE).u32(linkIndex);
    m.attrAddress(Rtnl.IFA_LOCAL, a);
    m.attrAddress(Rtnl.IFA_ADDRESS, a);
    return m;
  }

  /** Every address in the namespace, link names resolved. Equivalent to {@code ip addr show}. */
  public List<AddressEntry> list() {
    MessageBuilder m = new MessageBuilder(Rtnl.RTM_GETADDR, 0);
    m.u8(Rtnl.AF_UNSPEC).u8(0).u8(0).u8(0).u32(0);
    List<Message> replies = handle.socket().dump(m, "list", "addresses " + handle.where());
    LinkNames names = LinkNames.of(handle);
    List<AddressEntry> out = new ArrayList<>();
    for (Message r : replies) {
      if (r.type() == Rtnl.RTM_NEWADDR) {
        AddressEntry e = parse(r);
        out.add(e.withLinkName(names.name(e.linkIndex())));
      }
    }
    return out;
  }

  /** The addresses of one link. Equivalent to {@code ip addr show dev LINK}. */
  public List<AddressEntry> list(String link) {
    int index = handle.links().require(link).index();
    return list().stream().filter(e -> e.linkIndex() == index).toList();
  }

  /**
   * Decodes an RTM_NEWADDR message; the link name is left null. The address is IFA_LOCAL where
   * present (IPv4, and IPv6 with a peer) and IFA_ADDRESS otherwise (plain IPv6).
   */
  public static AddressEntry parse(Message r) {
    ByteBuffer b = r.body();
    int prefixLength = b.get(1) & 0xff;
    int headerFlags = b.get(2) & 0xff;
    int scope = b.get(3) & 0xff;
    int index = b.getInt(4);
    Attributes a = r.attributes(Rtnl.IFADDRMSG_LEN);
    InetAddress address = a.get(Rtnl.IFA_LOCAL).or(() -> a.get(Rtnl.IFA_ADDRESS))
        .map(x -> x.address())
        .orElseThrow(() -> new IllegalStateException("RTM_NEWADDR for ifindex " + index + " has no address"));
    return new AddressEntry(index, null, new IpPrefix(address, prefixLength), scope,
        a.string(Rtnl.IFA_LABEL).orElse(""), a.u32(Rtnl.IFA_FLAGS).orElse(headerFlags));
  }
}
