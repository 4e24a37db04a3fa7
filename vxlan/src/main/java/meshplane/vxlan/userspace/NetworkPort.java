package meshplane.vxlan.userspace;

import java.util.List;
import java.util.Set;
import meshplane.vxlan.OverlayNetwork;
import meshplane.vxlan.Peer;
import meshplane.vxlan.PeerChange;

/**
 * One network as the userspace VTEP carries it: its TAP (standing where the kernel's VXLAN
 * device would, on the sandbox bridge) and its peers. The peer table is swapped whole on each
 * change, so readers never lock.
 */
final class NetworkPort {
  private final OverlayNetwork network;
  private final TapDevice tap;
  private volatile PeerRoutes peers;

  NetworkPort(OverlayNetwork network, TapDevice tap) {
    this.network = network;
    this.tap = tap;
    this.peers = PeerRoutes.empty(network.id(), network.port());
  }

  OverlayNetwork network() {
    return network;
  }

  TapDevice tap() {
    return tap;
  }

  PeerRoutes peers() {
    return peers;
  }

  Set<Peer> peerSet() {
    return peers.peers();
  }

  /** Applies {@code changes} all at once, or none of them if one is refused. */
  synchronized void apply(List<PeerChange> changes) {
    peers = peers.apply(changes);
  }
}
