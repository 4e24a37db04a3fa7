package meshplane.cluster.manager;

import java.security.cert.X509Certificate;
import meshplane.cluster.api.ApiFailure;
import meshplane.cluster.model.ClusterPki;
import meshplane.cluster.model.ClusterState;
import meshplane.cluster.model.InvalidRequestException;
import meshplane.cluster.model.NodeRole;
import meshplane.pki.CertRole;
import meshplane.pki.ClusterCa;
import meshplane.pki.NodeIdentity;
import meshplane.pki.Pem;

/**
 * The managers' certificate authority at work: a node's certificate from its CSR, with the
 * identity the state gives it (id, role, cluster: never what the CSR asks for) and the cluster's
 * certificate life. The CA is read from the replicated state, so whichever manager leads can
 * issue; it is kept until the state holds another root.
 */
final class CertificateIssuer {
  private volatile ClusterCa ca;

  /** A certificate for node {@code nodeId} in {@code role}, from {@code csrPem}. */
  X509Certificate issue(ClusterState s, String csrPem, String nodeId, NodeRole role) {
    return issue(s, csrPem, new NodeIdentity(nodeId, role == NodeRole.MANAGER ? CertRole.MANAGER : CertRole.WORKER,
        s.clusterId()));
  }

  /** A certificate for {@code who}, from {@code csrPem}; a CSR that is missing or does not verify is a 400 naming "csr". */
  X509Certificate issue(ClusterState s, String csrPem, NodeIdentity who) {
    if (csrPem == null || csrPem.isBlank()) {
      throw new InvalidRequestException("csr", "a certificate signing request (PEM) is required");
    }
    try {
      var csr = Pem.csr(csrPem, "the CSR");
      return ca(s).issue(csr, who, s.settings().certExpiry());
    } catch (IllegalArgumentException e) {
      throw new InvalidRequestException("csr", e.getMessage());
    }
  }

  /** The root's subject, for {@code node inspect}. */
  static String issuerSubject(ClusterState s) {
    if (s.pki() == null) {
      return null;
    }
    return Pem.certificate(s.pki().rootCertificate(), "the root CA").getSubjectX500Principal().getName();
  }

  /** The root certificate (PEM). */
  static String root(ClusterState s) {
    return pki(s).rootCertificate();
  }

  private ClusterCa ca(ClusterState s) {
    ClusterPki p = pki(s);
    ClusterCa c = ca;
    if (c == null || !c.rootPem().equals(p.rootCertificate())) {
      if (p.rootKey() == null) {
        throw ApiFailure.unavailable("this manager holds no CA key");
      }
      c = ClusterCa.of(p.rootCertificate(), p.rootKey());
      ca = c;
    }
    return c;
  }

  private static ClusterPki pki(ClusterState s) {
    ManagerContext.requireSwarm(s);
    if (s.pki() == null) {
      throw ApiFailure.unavailable("this swarm has no CA (it was made before meshplane had one): make it again");
    }
    return s.pki();
  }
}
