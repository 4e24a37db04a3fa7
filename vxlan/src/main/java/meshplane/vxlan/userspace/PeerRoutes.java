package meshplane.vxlan.userspace;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import meshplane.netlink.MacAddress;
import meshplane.vxlan.Peer;
import meshplane.vxlan.PeerChange;

/**
 * One network's peers as the userspace VTEP looks them up: MAC to the remote VTEP's UDP address
 * (the kernel VTEP's static FDB entry) and IPv4 address to MAC (its static neighbour, answered
 * by the ARP proxy). Immutable: {@link #apply} returns a new table, so the TAP reader reads one
 * consistent table per frame without a lock. MACs and IPv4 addresses are keyed as numbers.
 */
final class PeerRoutes {
  private final String network;
  private final int port;
  private final Map<Peer.PeerKey, Peer> peers;
  private final Map<Long, InetSocketAddress> vtepByMac;
  private final Map<Integer, Long> macByIp;
  private final Set<InetAddress> vteps;

  private PeerRoutes(String network, int port, Map<Peer.PeerKey, Peer> peers) {
    this.network = network;
    this.port = port;
    this.peers = peers;
    this.vtepByMac = new HashMap<>();
    this.macByIp = new HashMap<>();
    this.vteps = new java.util.HashSet<>();
    Map<Long, Peer> owner = new HashMap<>();
    for (Peer p : peers.values()) {
      long mac = mac(p.mac());
      Peer before = owner.put(mac, p);
      if (before != null) {
        throw new IllegalArgumentException("peers of network " + network + ": " + before + " and " + p
            + " have the same MAC; a MAC can lead to one VTEP only");
      }
      vtepByMac.put(mac, new InetSocketAddress(p.vtep(), port));
      macByIp.put(ipv4(p.ip()), mac);
      vteps.add(p.vtep());
    }
  }

  /** A network with no peers; they reach VTEPs on {@code port}. */
  static PeerRoutes empty(String network, int port) {
    return new PeerRoutes(network, port, Map.of());
  }

  /**
   * The table after {@code changes}, applied in order: Add puts a peer (replacing one with the
   * same IP, as {@code ip neigh replace} would), Remove and Repoint need the peer they name to be
   * there. A bad change is refused with the peer and the rule it broke, and this table is unchanged.
   */
  PeerRoutes apply(List<PeerChange> changes) {
    Map<Peer.PeerKey, Peer> next = new LinkedHashMap<>(peers);
    for (PeerChange c : changes) {
      if (c instanceof PeerChange.Add a) {
        next.put(checked(a.peer(), "add").key(), a.peer());
      } else if (c instanceof PeerChange.Remove r) {
        Peer have = next.get(checked(r.peer(), "remove").key());
        if (have == null) {
          throw new IllegalArgumentException("remove peer " + r.peer() + ": network " + network + " has no peer "
              + r.peer().ip().getHostAddress());
        }
        next.remove(have.key());
      } else if (c instanceof PeerChange.Repoint rp) {
        checked(rp.previous(), "repoint");
        if (!rp.previous().key().equals(checked(rp.peer(), "repoint").key())) {
          throw new IllegalArgumentException("repoint peer " + rp.previous() + " to " + rp.peer()
              + ": a repoint keeps the network and IP, only MAC or VTEP change");
        }
        if (!next.containsKey(rp.previous().key())) {
          throw new IllegalArgumentException("repoint peer " + rp.previous() + ": network " + network + " has no peer "
              + rp.previous().ip().getHostAddress());
        }
        next.put(rp.peer().key(), rp.peer());
      }
    }
    return new PeerRoutes(network, port, next);
  }

  private Peer checked(Peer p, String operation) {
    if (!network.equals(p.network())) {
      throw new IllegalArgumentException(operation + " peer " + p + ": it belongs to network " + p.network()
          + ", not to " + network);
    }
    return p;
  }

  Set<Peer> peers() {
    return Set.copyOf(peers.values());
  }

  /** Whether {@code sender} is the VTEP of one of the network's peers: the only senders its frames are taken from. */
  boolean fromPeer(InetAddress sender) {
    return vteps.contains(sender);
  }

  /** The UDP address of the VTEP behind a peer's MAC ({@link #mac(MacAddress)}), or null. */
  InetSocketAddress vtepFor(long mac) {
    return vtepByMac.get(mac);
  }

  /** The MAC ({@link #mac(MacAddress)}) of the peer with this IPv4 address (network order int), or -1. */
  long macFor(int ipv4) {
    Long mac = macByIp.get(ipv4);
    return mac == null ? -1 : mac;
  }

  /** A MAC address as the low 48 bits of a long, first byte most significant. */
  static long mac(MacAddress mac) {
    long v = 0;
    for (byte b : mac.bytes()) {
      v = (v << 8) | (b & 0xff);
    }
    return v;
  }

  /** An IPv4 address as an int, first byte most significant. */
  static int ipv4(InetAddress ip) {
    if (!(ip instanceof Inet4Address)) {
      throw new IllegalArgumentException("peer address " + ip.getHostAddress() + " must be IPv4");
    }
    byte[] b = ip.getAddress();
    return (b[0] & 0xff) << 24 | (b[1] & 0xff) << 16 | (b[2] & 0xff) << 8 | (b[3] & 0xff);
  }
}
