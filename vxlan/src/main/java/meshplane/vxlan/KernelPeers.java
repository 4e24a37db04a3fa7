package meshplane.vxlan;

import java.net.Inet4Address;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import meshplane.netlink.MacAddress;
import meshplane.netlink.rtnl.FdbEntry;
import meshplane.netlink.rtnl.Neighbour;
import meshplane.netlink.rtnl.RtnlHandle;

/**
 * Peers as the kernel VTEP holds them, in the sandbox on the VXLAN device: a permanent
 * neighbour (IP to MAC, answered by the device's ARP proxy) and a permanent FDB entry in the
 * device's own table (MAC to remote VTEP). {@link #read} rebuilds the peer list from the kernel,
 * {@link #apply} programs a list of changes, touching only the entries of the peers that changed.
 */
public final class KernelPeers {
  private KernelPeers() {}

  /** The peers programmed on the network's VXLAN device: neighbours joined with FDB entries by MAC. */
  public static List<Peer> read(OverlayNetwork net, RtnlHandle inSandbox) {
    String dev = KernelVtepDevice.name(net);
    Map<MacAddress, Inet4Address> vtepByMac = new HashMap<>();
    for (FdbEntry e : inSandbox.fdb().list(dev)) {
      if (e.isSelf() && e.isPermanent() && e.remote() instanceof Inet4Address v4 && !FdbEntry.ALL_ZEROS.equals(e.mac())) {
        vtepByMac.put(e.mac(), v4);
      }
    }
    List<Peer> out = new ArrayList<>();
    for (Neighbour n : inSandbox.neighbours().list(dev)) {
      Inet4Address vtep = n.mac() == null ? null : vtepByMac.get(n.mac());
      if (n.isPermanent() && n.isIpv4() && vtep != null) {
        out.add(new Peer(net.id(), n.ip(), n.mac(), vtep));
      }
    }
    return out;
  }

  /** Programs {@code changes} (from {@link PeerTable#diff}) on the network's VXLAN device. */
  public static void apply(OverlayNetwork net, RtnlHandle inSandbox, List<PeerChange> changes) {
    String dev = KernelVtepDevice.name(net);
    int index = inSandbox.links().require(dev).index();
    for (PeerChange c : changes) {
      if (c instanceof PeerChange.Add a) {
        program(dev, index, a.peer(), inSandbox);
      } else if (c instanceof PeerChange.Remove r) {
        unprogram(dev, index, r.peer(), inSandbox);
      } else if (c instanceof PeerChange.Repoint rp) {
        if (!rp.previous().mac().equals(rp.peer().mac())) {
          inSandbox.fdb().delete(FdbEntry.remote(dev, rp.previous().mac(), rp.previous().vtep()));
        }
        program(dev, index, rp.peer(), inSandbox);
      }
    }
  }

  private static void program(String dev, int index, Peer p, RtnlHandle s) {
    s.neighbours().replace(Neighbour.permanent(index, p.ip(), p.mac()));
    s.fdb().replace(FdbEntry.remote(dev, p.mac(), p.vtep()));
  }

  private static void unprogram(String dev, int index, Peer p, RtnlHandle s) {
    s.neighbours().delete(Neighbour.permanent(index, p.ip(), p.mac()));
    s.fdb().delete(FdbEntry.remote(dev, p.mac(), p.vtep()));
  }
}
