package meshplane.pki;

import java.io.IOException;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Trusts a peer, client or server, only when its chain leads to the cluster's root (the JDK's
 * PKIX check, the root the only anchor) and its certificate's OU is {@code swarm-manager}: the
 * Raft port's rule, where a worker of the same cluster is nobody (SwarmKit's managers-only Raft).
 * A refusal names the peer's subject and the role it lacks; the TLS handshake then fails.
 */
public final class ManagerOnlyTrust extends X509ExtendedTrustManager {
  private final X509ExtendedTrustManager pkix;

  private ManagerOnlyTrust(X509ExtendedTrustManager pkix) {
    this.pkix = pkix;
  }

  /** Managers' certificates issued under {@code root}, and nothing else. */
  public static ManagerOnlyTrust of(X509Certificate root) {
    return of(java.util.List.of(root));
  }

  /** Managers' certificates issued under any of {@code roots} (the old and the new during a rotation). */
  public static ManagerOnlyTrust of(java.util.List<X509Certificate> roots) {
    try {
      return new ManagerOnlyTrust(RootTrust.pkix(roots));
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException("cannot build the managers-only trust of root " + roots.get(0).getSubjectX500Principal()
          + ": " + e.getMessage(), e);
    }
  }

  /** Throws unless {@code chain}'s leaf names a manager (its chain already checked). */
  static void requireManager(X509Certificate[] chain, String side) throws CertificateException {
    X509Certificate leaf = chain[0];
    CertRole role;
    try {
      role = NodeIdentity.of(leaf).role();
    } catch (IllegalArgumentException e) {
      throw new CertificateException(side + " certificate " + leaf.getSubjectX500Principal() + " names no node: "
          + e.getMessage(), e);
    }
    if (role != CertRole.MANAGER) {
      throw new CertificateException(side + " certificate " + leaf.getSubjectX500Principal() + " is a " + role.ou()
          + "'s; only " + CertRole.MANAGER.ou() + " certificates are accepted here");
    }
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
    pkix.checkClientTrusted(chain, authType);
    requireManager(chain, "client");
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
    pkix.checkClientTrusted(chain, authType, socket);
    requireManager(chain, "client");
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
    pkix.checkClientTrusted(chain, authType, engine);
    requireManager(chain, "client");
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
    pkix.checkServerTrusted(chain, authType);
    requireManager(chain, "server");
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
    pkix.checkServerTrusted(chain, authType, socket);
    requireManager(chain, "server");
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
    pkix.checkServerTrusted(chain, authType, engine);
    requireManager(chain, "server");
  }

  @Override
  public X509Certificate[] getAcceptedIssuers() {
    return pkix.getAcceptedIssuers();
  }
}
