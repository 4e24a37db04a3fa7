package meshplane.mesh.sandbox;

import meshplane.mesh.names.MeshNames;
import meshplane.netlink.IpPrefix;
import meshplane.netlink.rtnl.AddressEntry;
import meshplane.netlink.rtnl.Link;
import meshplane.netlink.rtnl.LinkSpec;
import meshplane.netlink.rtnl.RtnlHandle;

/**
 * The node's gateway bridge ({@code mp-gwbr}, 172.18.0.1/16), Swarm's {@code docker_gwbridge}:
 * it joins the node's namespace to {@code ingress_sbox}, so the node can DNAT published ports to
 * the sandbox and the sandbox's replies route back through the node.
 */
public final class GatewayBridge {
  private GatewayBridge() {}

  /** Creates or repairs the bridge and its address in the node's namespace. */
  public static void ensure(RtnlHandle node) {
    meshplane.netlink.BridgeNetfilter.off(node.namespace()); // mp-gwbr filters nothing at layer 2
    Link bridge = node.links().get(MeshNames.GW_BRIDGE).orElseGet(() -> node.links().add(new LinkSpec.Bridge(MeshNames.GW_BRIDGE)));
    IpPrefix address = IpPrefix.parse(MeshNames.GW_ADDRESS + "/16");
    boolean has = node.addresses().list(MeshNames.GW_BRIDGE).stream().map(AddressEntry::prefix).anyMatch(address::equals);
    if (!has) {
      node.addresses().replace(MeshNames.GW_BRIDGE, address);
    }
    if (!bridge.isUp()) {
      node.links().setUp(MeshNames.GW_BRIDGE);
    }
  }

  /** Deletes the bridge (its ports stay, detached); nothing if it is not there. */
  public static boolean remove(RtnlHandle node) {
    if (node.links().get(MeshNames.GW_BRIDGE).isEmpty()) {
      return false;
    }
    node.links().delete(MeshNames.GW_BRIDGE);
    return true;
  }
}
