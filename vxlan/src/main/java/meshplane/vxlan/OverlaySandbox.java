package meshplane.vxlan;

import meshplane.netlink.NetNamespace;
import meshplane.netlink.rtnl.AddressEntry;
import meshplane.netlink.rtnl.Link;
import meshplane.netlink.rtnl.LinkSpec;
import meshplane.netlink.rtnl.RtnlHandle;

/**
 * A network's sandbox on one host, as Docker's overlay driver builds it: a namespace holding a
 * bridge ({@code mp-br0}, with the network's gateway address and MTU) to which the VTEP port
 * (VXLAN device or TAP) and every local endpoint are attached. {@link #ensure} creates what is
 * missing and leaves what is right alone; {@link #remove} deletes the namespace, and with it
 * the bridge, the VTEP port and the sandbox ends of the endpoints.
 */
public final class OverlaySandbox {
  /** The bridge inside every sandbox. */
  public static final String BRIDGE = "mp-br0";

  private OverlaySandbox() {}

  /** Makes sure the sandbox namespace and its bridge exist as {@code net} wants; returns the namespace. */
  public static NetNamespace ensure(VtepHost host, OverlayNetwork net) {
    String name = host.sandboxNamespace(net.id());
    NetNamespace ns = NetNamespace.exists(name) ? NetNamespace.open(name) : NetNamespace.create(name);
    try (RtnlHandle h = RtnlHandle.open(ns)) {
      h.links().setUp("lo");
      meshplane.netlink.BridgeNetfilter.off(ns); // the sandbox bridge filters nothing: no netfilter per bridged frame
      Link bridge = h.links().get(BRIDGE).orElseGet(() -> h.links().add(new LinkSpec.Bridge(BRIDGE)));
      if (bridge.mtu() != net.mtu()) {
        h.links().setMtu(BRIDGE, net.mtu());
      }
      boolean hasGateway = h.addresses().list(BRIDGE).stream()
          .map(AddressEntry::prefix).anyMatch(p -> p.equals(net.gatewayPrefix()));
      if (!hasGateway) {
        h.addresses().replace(BRIDGE, net.gatewayPrefix());
      }
      if (!bridge.isUp()) {
        h.links().setUp(BRIDGE);
      }
    } catch (RuntimeException e) {
      ns.close();
      throw e;
    }
    return ns;
  }

  /** Deletes the sandbox of {@code networkId} on {@code host}; nothing happens if there is none. */
  public static boolean remove(VtepHost host, String networkId) {
    String name = host.sandboxNamespace(networkId);
    boolean was = NetNamespace.exists(name);
    NetNamespace.delete(name); // also the bare file a create killed halfway left
    return was;
  }
}
