package meshplane.mesh.names;

import java.net.Inet4Address;
import java.net.InetAddress;
import meshplane.netlink.MacAddress;

/**
 * The names of everything the routing mesh creates on a node whose namespace is {@code node}:
 * Swarm's sandboxes ({@code ingress_sbox}, {@code lb_<network>}) as namespaces named after the
 * node, the gateway bridge standing in for {@code docker_gwbridge}, and meshplane's nf_tables
 * table. Every namespace of a node starts with {@code <node>-}, so a reset finds them all.
 */
public final class MeshNames {
  /** meshplane's nf_tables table in every namespace it programs (family ip). */
  public static final String TABLE = "meshplane";
  /** The gateway bridge in the node's namespace, Swarm's {@code docker_gwbridge}. */
  public static final String GW_BRIDGE = "mp-gwbr";
  /** The node's end of the veth to {@code ingress_sbox}, a port of {@link #GW_BRIDGE}. */
  public static final String GW_INGRESS_PORT = "mp-gwingress";
  /** The gateway bridge's subnet, Docker's default for docker_gwbridge. */
  public static final String GW_SUBNET = "172.18.0.0/16";
  public static final String GW_ADDRESS = "172.18.0.1";
  /** {@code ingress_sbox}'s address on the gateway bridge: the node DNATs published ports to it. */
  public static final String INGRESS_SBOX_GW_ADDRESS = "172.18.0.2";
  /** Interface names inside the load-balancer sandboxes: eth0 on the overlay, eth1 on the gateway bridge. */
  public static final String SANDBOX_OVERLAY_IFACE = "eth0";
  public static final String SANDBOX_GW_IFACE = "eth1";
  /** The endpoint id of a load-balancer sandbox on its network (its sandbox port is {@code mp-vlb}). */
  public static final String LB_ENDPOINT_ID = "lb";

  private MeshNames() {}

  public static String ingressSandbox(String node) {
    return node + "-ingress_sbox";
  }

  public static String lbSandbox(String node, String network) {
    return node + "-lb_" + network;
  }

  /** The prefix every namespace the mesh creates for {@code node} starts with. */
  public static String nodePrefix(String node) {
    return node + "-";
  }

  /**
   * The MAC of a load-balancer sandbox's address, derived from the address as Docker derives
   * container MACs ({@code 02:42} and the four address bytes), so other nodes know it as a peer.
   */
  public static MacAddress lbMac(InetAddress address) {
    if (!(address instanceof Inet4Address)) {
      throw new IllegalArgumentException("load-balancer address " + address + " must be IPv4");
    }
    byte[] a = address.getAddress();
    return MacAddress.parse(String.format("02:42:%02x:%02x:%02x:%02x", a[0], a[1], a[2], a[3]));
  }


}
