package meshplane.mesh.sandbox;

import java.net.InetAddress;
import java.util.Optional;
import meshplane.mesh.names.MeshNames;
import meshplane.netlink.IpPrefix;
import meshplane.netlink.NetNamespace;
import meshplane.netlink.rtnl.AddressEntry;
import meshplane.netlink.rtnl.Link;
import meshplane.netlink.rtnl.LinkSpec;
import meshplane.netlink.rtnl.Route;
import meshplane.netlink.rtnl.Rtnl;
import meshplane.netlink.rtnl.RtnlHandle;

/**
 * {@code ingress_sbox}'s leg on the gateway bridge: a veth whose node end
 * ({@code mp-gwingress}) is a port of {@code mp-gwbr} and whose sandbox end is {@code eth1} with
 * 172.18.0.2/16 and the default route via 172.18.0.1, so replies to clients leave through the
 * node, which undoes its DNAT.
 */
public final class IngressGateway {
  private IngressGateway() {}

  public static void ensure(RtnlHandle node, NetNamespace sandbox) {
    try (RtnlHandle s = RtnlHandle.open(sandbox)) {
      Optional<Link> port = node.links().get(MeshNames.GW_INGRESS_PORT);
      Optional<Link> inner = s.links().get(MeshNames.SANDBOX_GW_IFACE);
      boolean paired = port.isPresent() && inner.isPresent() && port.get().peerIndex() == inner.get().index();
      if (!paired) {
        if (port.isPresent()) {
          node.links().delete(MeshNames.GW_INGRESS_PORT);
        }
        if (s.links().get(MeshNames.SANDBOX_GW_IFACE).isPresent()) {
          s.links().delete(MeshNames.SANDBOX_GW_IFACE);
        }
        node.links().add(new LinkSpec.Veth(MeshNames.GW_INGRESS_PORT, MeshNames.SANDBOX_GW_IFACE, sandbox));
      }
      Link nodeEnd = node.links().require(MeshNames.GW_INGRESS_PORT);
      if (nodeEnd.masterIndex() != node.links().require(MeshNames.GW_BRIDGE).index()) {
        node.links().setMaster(MeshNames.GW_INGRESS_PORT, MeshNames.GW_BRIDGE);
      }
      if (!nodeEnd.isUp()) {
        node.links().setUp(MeshNames.GW_INGRESS_PORT);
      }
      IpPrefix address = IpPrefix.parse(MeshNames.INGRESS_SBOX_GW_ADDRESS + "/16");
      if (s.addresses().list(MeshNames.SANDBOX_GW_IFACE).stream().map(AddressEntry::prefix).noneMatch(address::equals)) {
        s.addresses().replace(MeshNames.SANDBOX_GW_IFACE, address);
      }
      s.links().setUp(MeshNames.SANDBOX_GW_IFACE);
      InetAddress gw = IpPrefix.literal(MeshNames.GW_ADDRESS, "gateway");
      boolean routed = s.routes().list(Rtnl.AF_INET).stream().anyMatch(r -> r.isDefault() && gw.equals(r.gateway()));
      if (!routed) {
        s.routes().replace(Route.defaultVia(gw));
      }
    }
  }

  /** Removes the node's end of the veth (the sandbox end goes with it). */
  public static boolean remove(RtnlHandle node) {
    if (node.links().get(MeshNames.GW_INGRESS_PORT).isEmpty()) {
      return false;
    }
    node.links().delete(MeshNames.GW_INGRESS_PORT);
    return true;
  }
}
