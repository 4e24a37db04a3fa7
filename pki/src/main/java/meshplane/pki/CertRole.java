package meshplane.pki;

/** A node's role as its certificate's OU says it, Swarm's names. */
public enum CertRole {
  MANAGER("swarm-manager"),
  WORKER("swarm-worker");

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
    throw new IllegalArgumentException("certificate OU \"" + ou + "\" is no role (swarm-manager or swarm-worker)");
  }
}
