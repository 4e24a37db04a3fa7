package meshplane.dataplane;

import java.net.Inet4Address;
import java.util.Objects;
import java.util.Optional;
import meshplane.netlink.IpPrefix;

/**
 * An overlay network the node is on: {@code ingress} marks the routing mesh's network (one per
 * cluster). {@code lbAddress} is this node's address on the network for its load-balancer
 * sandbox ({@code lb_<id>}, or {@code ingress_sbox} on the ingress network); the control plane
 * allocates it per node, as Swarm does.
 */
public record NetworkSpec(String id, int vni, IpPrefix subnet, Inet4Address gateway, boolean ingress,
    Optional<Inet4Address> lbAddress) {

  public NetworkSpec {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(subnet, "subnet");
    Objects.requireNonNull(gateway, "gateway");
    Objects.requireNonNull(lbAddress, "lbAddress");
  }

  /** {@code lbAddress} as an interface address: the lb address with the subnet's prefix length. */
  public Optional<IpPrefix> lbInterfaceAddress() {
    return lbAddress.map(a -> new IpPrefix(a, subnet.length()));
  }
}
