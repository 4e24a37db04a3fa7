package meshplane.cluster.model;

import java.util.Map;
import java.util.TreeMap;

/**
 * An overlay network, as {@code docker network create -d overlay} makes it. {@code id} is the
 * data plane's id (the name when it is 1-12 of [a-z0-9], else {@code n<vni>}), so a node's
 * sandboxes are {@code <ns>-ov-<id>} and {@code lb_<id>}. {@code lbAddresses} maps node id to that
 * node's address on the network (its {@code lb_<id>} or {@code ingress_sbox}), allocated as nodes
 * join, as Swarm allocates a load-balancer endpoint per node.
 */
public record Network(String id, String name, int vni, String subnet, String gateway, boolean ingress,
    Map<String, String> lbAddresses, long createdAt) {
  public Network {
    lbAddresses = lbAddresses == null ? Map.of() : Map.copyOf(new TreeMap<>(lbAddresses));
  }

  public Network withLbAddresses(Map<String, String> m) {
    return new Network(id, name, vni, subnet, gateway, ingress, m, createdAt);
  }
}
