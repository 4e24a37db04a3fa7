package meshplane.vxlan;

import java.net.Inet4Address;
import java.net.InetAddress;
import meshplane.netlink.MacAddress;

/**
 * A remote endpoint of an overlay network: its IP and MAC, and the underlay address of the
 * VTEP (host) it lives behind. On the kernel VTEP it becomes a static neighbour (answered by
 * the VXLAN device's ARP proxy) and a static FDB entry (MAC to VTEP); the userspace VTEP keeps
 * the same facts in its own table. No flooding and no learning: what is not a peer is not reached.
 */
public record Peer(String network, InetAddress ip, MacAddress mac, Inet4Address vtep) {
  public Peer {
    if (network == null || ip == null || mac == null || vtep == null) {
      throw new IllegalArgumentException("peer needs network, ip, mac and vtep; got " + network + " " + ip + " " + mac + " " + vtep);
    }
    if (!(ip instanceof Inet4Address)) {
      throw new IllegalArgumentException("peer " + ip.getHostAddress() + " on " + network + ": ip must be IPv4");
    }
  }

  /** A peer is identified by its network and IP; MAC and VTEP are what can change. */
  public PeerKey key() {
    return new PeerKey(network, ip);
  }

  /** The identity of a peer within the peer table. */
  public record PeerKey(String network, InetAddress ip) {}

  @Override
  public String toString() {
    return network + " " + ip.getHostAddress() + " " + mac + " via " + vtep.getHostAddress();
  }
}
