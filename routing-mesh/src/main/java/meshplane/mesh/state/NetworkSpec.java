package meshplane.mesh.state;

/**
 * An overlay network the node is on: {@code ingress} marks the routing mesh's network (one per
 * cluster). {@code lbAddress} is this node's address on the network for its load-balancer
 * sandbox ({@code lb_<id>}, or {@code ingress_sbox} on the ingress network); the control plane
 * allocates it per node, as Swarm does.
 */
public record NetworkSpec(String id, int vni, String subnet, String gateway, boolean ingress, String lbAddress) {}
