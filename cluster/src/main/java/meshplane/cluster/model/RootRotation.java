package meshplane.cluster.model;

/**
 * A root rotation under way ({@code swarm ca --rotate}): the new root's certificate and key, and
 * the new root cross-signed by the old one. While it lasts the managers issue with the new root,
 * a certificate's chain carries the cross-signed one (so nodes that trust only the old root yet
 * accept it), and nodes trust both roots; once every node holds a certificate of the new root it
 * ends, and the new root is the only one.
 */
public record RootRotation(String newRootCertificate, String newRootKey, String crossSigned) {
  public RootRotation {
    if (newRootCertificate == null || crossSigned == null) {
      throw new IllegalArgumentException("newRootCertificate and crossSigned: required");
    }
  }

  public RootRotation withoutKey() {
    return new RootRotation(newRootCertificate, null, crossSigned);
  }

  @Override
  public String toString() {
    return "RootRotation[new root, key " + (newRootKey == null ? "absent" : "held") + "]";
  }
}
