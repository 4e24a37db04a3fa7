package meshplane.pki;

/**
 * What a certificate's OU says its holder is: a node in Swarm's two roles, or an administrator's
 * client (remote {@code meshctl -H tcp://...}), which may call the control routes but is no node:
 * it never passes where a node or a Raft peer is needed.
 */
public enum CertRole {
  MANAGER("swarm-manager"),
  WORKER("swarm-worker"),
  CLIENT("meshplane-client");

  private final String ou;

  CertRole(String ou) {
    this.ou = ou;
  }

  /** The organizational unit: {@code swarm-manager} or {@code swarm-worker}. */
  public String ou() {
    return ou;
  }

  /** The role of an OU; an unknown one is an error naming it. */
  public static CertRole ofOu(String ou) {
    for (CertRole r : values()) {
      if (r.ou.equals(ou)) {
        return r;
      }
    }
    throw new IllegalArgumentException("certificate OU \"" + ou + "\" is no role (swarm-manager, swarm-worker or meshplane-client)");
  }
}
