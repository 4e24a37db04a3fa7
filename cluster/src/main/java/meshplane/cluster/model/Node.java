package meshplane.cluster.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.Map;
import java.util.TreeMap;

/**
 * A cluster member. {@code addr} is its underlay (advertise) address: the API listens on
 * {@code addr:apiPort}, a manager's Raft on {@code addr:raftPort}, and it is the VTEP other nodes
 * send VXLAN to. {@code cpus} (in millicores) and {@code memory} (bytes) are what it offers to
 * reservations. Its JSON also carries {@code manager} ({@link #isManager}, derived from the role):
 * written for readers, ignored when read back, so the strict log codec reads it.
 */
@JsonIgnoreProperties(value = "manager", allowGetters = true)
public record Node(String id, String hostname, NodeRole role, Availability availability,
    Map<String, String> labels, String addr, int apiPort, int raftPort, NodeStatus status,
    long cpus, long memory, long createdAt) {
  public Node {
    labels = labels == null ? Map.of() : Map.copyOf(new TreeMap<>(labels));
  }

  public boolean isManager() {
    return role == NodeRole.MANAGER;
  }

  public Node withRole(NodeRole r) {
    return new Node(id, hostname, r, availability, labels, addr, apiPort, raftPort, status, cpus, memory, createdAt);
  }

  public Node withAvailability(Availability a) {
    return new Node(id, hostname, role, a, labels, addr, apiPort, raftPort, status, cpus, memory, createdAt);
  }

  public Node withLabels(Map<String, String> l) {
    return new Node(id, hostname, role, availability, l, addr, apiPort, raftPort, status, cpus, memory, createdAt);
  }

  public Node withStatus(NodeStatus s) {
    return new Node(id, hostname, role, availability, labels, addr, apiPort, raftPort, s, cpus, memory, createdAt);
  }

  /** {@code addr:apiPort}, where agents and meshctl reach this node's API. */
  public String apiAddress() {
    return addr + ":" + apiPort;
  }

  /** {@code addr:raftPort}, this manager's Raft peer id. */
  public String raftAddress() {
    return addr + ":" + raftPort;
  }
}
