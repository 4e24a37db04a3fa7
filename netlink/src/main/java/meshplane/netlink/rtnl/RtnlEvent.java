package meshplane.netlink.rtnl;

import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.util.Optional;
import meshplane.netlink.Attributes;
import meshplane.netlink.IpPrefix;
import meshplane.netlink.MacAddress;
import meshplane.netlink.Message;

/**
 * A change the kernel announced on an rtnetlink multicast group, as {@code ip monitor link
 * address neigh} prints it: a link, an address or a neighbour appeared or changed ({@link
 * Change#NEW}) or went away ({@link Change#DEL}), or notifications were lost and the listener
 * must re-read the tables ({@link ResyncNeeded}).
 */
public sealed interface RtnlEvent {

  /** RTM_NEW* (created, or changed in place) versus RTM_DEL*. */
  enum Change { NEW, DEL }

  /**
   * Decodes a notification; message types this interface does not model (routes, say) give
   * empty. A malformed message of a known type is an error, not an empty result.
   */
  static Optional<RtnlEvent> decode(Message m) {
    switch (m.type()) {
      case Rtnl.RTM_NEWLINK:
        return Optional.of(new LinkEvent(Change.NEW, Links.parse(m)));
      case Rtnl.RTM_DELLINK:
        return Optional.of(new LinkEvent(Change.DEL, Links.parse(m)));
      case Rtnl.RTM_NEWADDR:
        return Optional.of(AddressEvent.decode(Change.NEW, m));
      case Rtnl.RTM_DELADDR:
        return Optional.of(AddressEvent.decode(Change.DEL, m));
      case Rtnl.RTM_NEWNEIGH:
        return Optional.of(NeighbourEvent.decode(Change.NEW, m));
      case Rtnl.RTM_DELNEIGH:
        return Optional.of(NeighbourEvent.decode(Change.DEL, m));
      default:
        return Optional.empty();
    }
  }

  private static void need(Message m, int headerLength, String header) {
    if (m.payload().remaining() < headerLength) {
      throw new IllegalStateException("rtnetlink message type " + m.type() + " has "
          + m.payload().remaining() + " bytes, too short for its " + header + " of " + headerLength);
    }
  }

  /** A link appeared, changed (state, MTU, master ...) or was deleted. {@code ip monitor link}. */
  record LinkEvent(Change change, Link link) implements RtnlEvent {}

  /** An interface address was added or removed. {@code ip monitor address}. */
  record AddressEvent(Change change, AddressEntry entry) implements RtnlEvent {

    static AddressEvent decode(Change change, Message m) {
      need(m, Rtnl.IFADDRMSG_LEN, "ifaddrmsg");
      return new AddressEvent(change, Addresses.parse(m));
    }

    public int linkIndex() {
      return entry.linkIndex();
    }

    public IpPrefix address() {
      return entry.prefix();
    }

    public String label() {
      return entry.label();
    }
  }

  /**
   * A neighbour (ARP / NDP) entry, or with {@code family} AF_BRIDGE a bridge FDB entry, was added,
   * changed state or was removed. {@code ip monitor neigh}. {@code destination} is null for FDB
   * entries, {@code mac} is null when the entry has no link-layer address (INCOMPLETE, FAILED).
   */
  record NeighbourEvent(Change change, int family, int linkIndex, InetAddress destination, MacAddress mac,
      int state, int flags) implements RtnlEvent {

    /** Decodes ndmsg (u8 family, u8 pad, u16 pad, s32 ifindex, u16 state, u8 flags, u8 type) and NDA_*. */
    static NeighbourEvent decode(Change change, Message m) {
      need(m, Rtnl.NDMSG_LEN, "ndmsg");
      ByteBuffer b = m.body();
      int family = b.get(0) & 0xff;
      int index = b.getInt(4);
      int state = b.getShort(8) & 0xffff;
      int flags = b.get(10) & 0xff;
      Attributes a = m.attributes(Rtnl.NDMSG_LEN);
      InetAddress destination = a.get(Rtnl.NDA_DST).map(x -> x.address()).orElse(null);
      MacAddress mac = a.get(Rtnl.NDA_LLADDR).filter(x -> x.length() == 6)
          .map(x -> new MacAddress(x.bytes())).orElse(null);
      return new NeighbourEvent(change, family, index, destination, mac, state, flags);
    }

    /** NUD_PERMANENT: a static entry ({@code ip neigh add ... nud permanent}, the default). */
    public boolean isPermanent() {
      return (state & Rtnl.NUD_PERMANENT) != 0;
    }
  }

  /**
   * The socket's receive queue overflowed (ENOBUFS): some notifications were lost, so whatever
   * the listener built from earlier events may be stale. Re-read the tables (a dump), then carry
   * on with the events that follow.
   */
  record ResyncNeeded(String namespace) implements RtnlEvent {}
}
