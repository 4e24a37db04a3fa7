package meshplane.vxlan;

import java.util.Optional;
import meshplane.netlink.NetNamespace;
import meshplane.netlink.rtnl.AddressEntry;
import meshplane.netlink.rtnl.Link;
import meshplane.netlink.rtnl.LinkSpec;
import meshplane.netlink.rtnl.RtnlHandle;

/**
 * Attaches an endpoint to its network's sandbox: a veth pair whose sandbox end
 * ({@code mp-v<id>}) is a port of the bridge and whose other end is {@code eth0} (or ethN) in
 * the task's namespace with the endpoint's address, MAC and the network's MTU. An attachment
 * that is already right is left alone; a wrong one is rebuilt.
 */
public final class EndpointPort {
  private EndpointPort() {}

  /** Creates or repairs the endpoint's veth pair. */
  public static void attach(OverlayNetwork net, Endpoint ep, RtnlHandle inSandbox) {
    try (NetNamespace task = NetNamespace.open(ep.namespace()); RtnlHandle t = RtnlHandle.open(task)) {
      Optional<Link> port = inSandbox.links().get(ep.sandboxPort());
      Optional<Link> inner = t.links().get(ep.interfaceName());
      boolean paired = port.isPresent() && inner.isPresent() && port.get().peerIndex() == inner.get().index();
      if (!paired) {
        if (port.isPresent()) {
          inSandbox.links().delete(ep.sandboxPort());
        }
        if (t.links().get(ep.interfaceName()).isPresent()) {
          t.links().delete(ep.interfaceName());
        }
        inSandbox.links().add(new LinkSpec.Veth(ep.sandboxPort(), ep.interfaceName(), task));
      }
      configureSandboxEnd(net, ep, inSandbox);
      configureTaskEnd(net, ep, t);
    }
  }

  private static void configureSandboxEnd(OverlayNetwork net, Endpoint ep, RtnlHandle s) {
    Link port = s.links().require(ep.sandboxPort());
    if (port.mtu() != net.mtu()) {
      s.links().setMtu(ep.sandboxPort(), net.mtu());
    }
    if (port.masterIndex() != s.links().require(OverlaySandbox.BRIDGE).index()) {
      s.links().setMaster(ep.sandboxPort(), OverlaySandbox.BRIDGE);
    }
    if (!port.isUp()) {
      s.links().setUp(ep.sandboxPort());
    }
  }

  private static void configureTaskEnd(OverlayNetwork net, Endpoint ep, RtnlHandle t) {
    String ifName = ep.interfaceName();
    t.links().setUp("lo");
    Link inner = t.links().require(ifName);
    if (!ep.mac().equals(inner.mac())) {
      if (inner.isUp()) {
        t.links().setDown(ifName);
      }
      t.links().setMac(ifName, ep.mac());
    }
    if (inner.mtu() != net.mtu()) {
      t.links().setMtu(ifName, net.mtu());
    }
    for (AddressEntry a : t.addresses().list(ifName)) {
      // a wrong address of the endpoint's own prefix length goes; host routes (/32) added by
      // others stay: the routing mesh's lb_ sandboxes hold their VIPs that way
      if (a.isIpv4() && a.prefix().length() == ep.address().length() && !a.prefix().equals(ep.address())) {
        t.addresses().delete(ifName, a.prefix());
      }
    }
    if (t.addresses().list(ifName).stream().noneMatch(a -> a.prefix().equals(ep.address()))) {
      t.addresses().add(ifName, ep.address());
    }
    t.links().setUp(ifName);
  }

  /** Removes the endpoint's veth pair (its task end goes with it); nothing if it is not there. */
  public static boolean detach(Endpoint ep, RtnlHandle inSandbox) {
    if (inSandbox.links().get(ep.sandboxPort()).isEmpty()) {
      return false;
    }
    inSandbox.links().delete(ep.sandboxPort());
    return true;
  }
}
