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
 * {@code certificateNotAfter} is when the certificate the managers last issued it expires (epoch
 * ms; absent for a node of a build before the cluster PKI): what {@code node inspect} shows; and
 * {@code certificateRoot} the digest of the root that issued it (a root rotation ends when every
 * node's is the new root's).
 */
@JsonIgnoreProperties(value = "manager", allowGetters = true)
public record Node(String id, String hostname, NodeRole role, Availability availability,
    Map<String, String> labels, String addr, int apiPort, int raftPort, NodeStatus status,
    long cpus, long memory, long createdAt,
    @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
    Long certificateNotAfter,
    @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
    String certificateRoot) {
  public Node {
    labels = labels == null ? Map.of() : Map.copyOf(new TreeMap<>(labels));
  }

  /** A node no certificate was issued to yet. */
  public Node(String id, String hostname, NodeRole role, Availability availability, Map<String, String> labels, String addr,
      int apiPort, int raftPort, NodeStatus status, long cpus, long memory, long createdAt) {
    this(id, hostname, role, availability, labels, addr, apiPort, raftPort, status, cpus, memory, createdAt, null, null);
  }

  /** Issued a certificate valid until {@code notAfter} (epoch ms) by the root whose digest is {@code rootDigest}. */
  public Node withCertificate(long notAfter, String rootDigest) {
    return new Node(id, hostname, role, availability, labels, addr, apiPort, raftPort, status, cpus, memory, createdAt, notAfter,
        rootDigest);
  }

  public boolean isManager() {
    return role == NodeRole.MANAGER;
  }

  public Node withRole(NodeRole r) {
    return new Node(id, hostname, r, availability, labels, addr, apiPort, raftPort, status, cpus, memory, createdAt, certificateNotAfter, certificateRoot);
  }

  public Node withAvailability(Availability a) {
    return new Node(id, hostname, role, a, labels, addr, apiPort, raftPort, status, cpus, memory, createdAt, certificateNotAfter, certificateRoot);
  }

  public Node withLabels(Map<String, String> l) {
    return new Node(id, hostname, role, availability, l, addr, apiPort, raftPort, status, cpus, memory, createdAt, certificateNotAfter, certificateRoot);
  }

  public Node withStatus(NodeStatus s) {
    return new Node(id, hostname, role, availability, labels, addr, apiPort, raftPort, s, cpus, memory, createdAt, certificateNotAfter, certificateRoot);
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
