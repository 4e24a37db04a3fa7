package meshplane.vxlan;

import java.util.Optional;
import meshplane.netlink.NetNamespace;
import meshplane.netlink.rtnl.Link;
import meshplane.netlink.rtnl.LinkSpec;
import meshplane.netlink.rtnl.RtnlHandle;
import meshplane.netlink.rtnl.VxlanInfo;

/**
 * The kernel VTEP of one network on one host: a VXLAN device with the network's VNI, UDP port,
 * the host's underlay address as local, learning off, ARP proxy on, no group (no multicast, no
 * flooding). As Docker does, it is created in the host's namespace, so its UDP socket lives
 * there on the underlay, then moved into the sandbox and attached to the bridge. A device whose
 * settings differ from the network's is replaced.
 */
public final class KernelVtepDevice {
  private KernelVtepDevice() {}

  /** The device's name: {@code mp-vx-<vni in hex>}, unique among the host's networks. */
  public static String name(OverlayNetwork net) {
    return String.format("mp-vx-%06x", net.vni());
  }

  /** Creates or repairs the device in {@code sandbox}. */
  public static void ensure(VtepHost host, OverlayNetwork net, NetNamespace sandbox, RtnlHandle inSandbox) {
    String name = name(net);
    Optional<Link> existing = inSandbox.links().get(name);
    if (existing.isPresent() && !matches(existing.get(), host, net)) {
      inSandbox.links().delete(name);
      existing = Optional.empty();
    }
    if (existing.isEmpty()) {
      try (NetNamespace hostNs = NetNamespace.open(host.namespace()); RtnlHandle h = RtnlHandle.open(hostNs)) {
        if (h.links().get(name).isPresent()) {
          h.links().delete(name); // left behind by an interrupted earlier attempt
        }
        h.links().add(new LinkSpec.Vxlan(name, net.vni(), net.port(), host.underlay(), false, 0,
            host.underlayDevice(), true));
        h.links().setMtu(name, net.mtu());
        h.links().moveTo(name, sandbox, null);
      }
    }
    Link dev = inSandbox.links().require(name);
    if (dev.mtu() != net.mtu()) {
      inSandbox.links().setMtu(name, net.mtu());
    }
    int bridge = inSandbox.links().require(OverlaySandbox.BRIDGE).index();
    if (dev.masterIndex() != bridge) {
      inSandbox.links().setMaster(name, OverlaySandbox.BRIDGE);
    }
    if (!dev.isUp()) {
      inSandbox.links().setUp(name);
    }
  }

  static boolean matches(Link dev, VtepHost host, OverlayNetwork net) {
    VxlanInfo v = dev.vxlan();
    return v != null && v.vni() == net.vni() && v.port() == net.port() && !v.learning() && v.proxy()
        && host.underlay().equals(v.local());
  }
}
