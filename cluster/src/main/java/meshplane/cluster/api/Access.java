package meshplane.cluster.api;

import meshplane.pki.CertRole;

/**
 * Who may call a route. Every route has one ({@link Router#add}: {@link #MANAGER} unless said);
 * the server checks it before the handler runs and refuses with a 403 that names what is needed.
 */
public enum Access {
  /** Only root on the node's local socket: init, join, leave, unlock. */
  LOCAL("the node's local socket (as root)"),
  /** Anyone who reached the API, certificate or not: the CA's root and registering with a join token. */
  JOIN("nothing"),
  /** A node's certificate (swarm-manager or swarm-worker): the dispatcher's routes, a node speaking for itself. */
  NODE("a node certificate (swarm-worker or swarm-manager)"),
  /** A manager's identity: a swarm-manager or meshplane-client certificate, or the local socket. */
  MANAGER("a manager's identity (a swarm-manager or meshplane-client certificate, or the local socket)");

  private final String needs;

  Access(String needs) {
    this.needs = needs;
  }

  /** Whether {@code c} may call a route of this access. */
  public boolean admits(Caller c) {
    return switch (this) {
      case LOCAL -> c instanceof Caller.Local;
      case JOIN -> true;
      case NODE -> c instanceof Caller.Certified k && k.isNode();
      case MANAGER -> c instanceof Caller.Local || c instanceof Caller.Certified k
          && (k.is(CertRole.MANAGER) || k.is(CertRole.CLIENT));
    };
  }

  /** The 403 for {@code c} on {@code method path}. */
  public ApiFailure refusal(Caller c, String method, String path) {
    return new ApiFailure(403, method + " " + path + " needs " + needs + "; the caller is " + c.describe());
  }
}
