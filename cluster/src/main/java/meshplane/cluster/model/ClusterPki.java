package meshplane.cluster.model;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The cluster's PKI as the managers replicate it: the root CA certificate and its key (PEM; the
 * key is in the Raft log and snapshots, which only managers hold, and never in an answer:
 * {@link #withoutKey}), and the nodes removed from the swarm, whose certificates are refused from
 * then on (SwarmKit's removed-node list: a certificate cannot be recalled, its holder can).
 */
public record ClusterPki(String rootCertificate, String rootKey, Set<String> removedNodes,
    @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
    RootRotation rotation) {
  public ClusterPki {
    if (rootCertificate == null || rootCertificate.isBlank()) {
      throw new IllegalArgumentException("rootCertificate: required");
    }
    removedNodes = removedNodes == null ? Set.of() : Set.copyOf(removedNodes);
  }

  /** No rotation under way. */
  public ClusterPki(String rootCertificate, String rootKey, Set<String> removedNodes) {
    this(rootCertificate, rootKey, removedNodes, null);
  }

  public boolean rotating() {
    return rotation != null;
  }

  /** The root certificates nodes trust now: the root, and the new one while rotating. */
  public List<String> trustedRoots() {
    return rotation == null ? List.of(rootCertificate) : List.of(rootCertificate, rotation.newRootCertificate());
  }

  /** The root that issues certificates now (PEM): the new one while rotating. */
  public String issuingCertificate() {
    return rotation == null ? rootCertificate : rotation.newRootCertificate();
  }

  /** The issuing root's key (PEM), null where the state was shown without it. */
  public String issuingKey() {
    return rotation == null ? rootKey : rotation.newRootKey();
  }

  /** A rotation to {@code r} begun. */
  public ClusterPki withRotation(RootRotation r) {
    return new ClusterPki(rootCertificate, rootKey, removedNodes, r);
  }

  /** The rotation done: the new root is the root. */
  public ClusterPki rotated() {
    return new ClusterPki(rotation.newRootCertificate(), rotation.newRootKey(), removedNodes, null);
  }

  public boolean removed(String nodeId) {
    return removedNodes.contains(nodeId);
  }

  /** With {@code nodeId} refused from now on. */
  public ClusterPki withRemoved(String nodeId) {
    Set<String> r = new TreeSet<>(removedNodes);
    r.add(nodeId);
    return new ClusterPki(rootCertificate, rootKey, r, rotation);
  }

  /** What may be shown: the root certificate and the removed nodes, no key. */
  public ClusterPki withoutKey() {
    return new ClusterPki(rootCertificate, null, removedNodes, rotation == null ? null : rotation.withoutKey());
  }

  @Override
  public String toString() {
    return "ClusterPki[root, key " + (rootKey == null ? "absent" : "held") + ", " + removedNodes.size() + " removed"
        + (rotation == null ? "" : ", rotating") + "]";
  }
}
