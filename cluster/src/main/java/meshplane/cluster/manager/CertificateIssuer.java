package meshplane.cluster.manager;

import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
 * issue; while the root is being rotated the new root issues, and the certificate's chain carries
 * the new root cross-signed by the old one. A CA is kept until the state holds another.
 */
final class CertificateIssuer {
  /** What was issued: the certificate, what follows it in its chain, the roots to trust, the issuing root's digest. */
  record Issued(X509Certificate certificate, List<String> chain, List<String> roots, String rootDigest) {
    /** The answer's fields: {@code certificate}, {@code chain}, {@code roots} (PEM). */
    Map<String, Object> fields() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("certificate", Pem.write(certificate));
      m.put("chain", chain);
      m.put("roots", roots);
      return m;
    }
  }

  private volatile ClusterCa ca;

  /** A certificate for node {@code nodeId} in {@code role}, from {@code csrPem}. */
  Issued issue(ClusterState s, String csrPem, String nodeId, NodeRole role) {
    return issue(s, csrPem, new NodeIdentity(nodeId, role == NodeRole.MANAGER ? CertRole.MANAGER : CertRole.WORKER,
        s.clusterId()));
  }

  /** A certificate for {@code who}, from {@code csrPem}; a CSR that is missing or does not verify is a 400 naming "csr". */
  Issued issue(ClusterState s, String csrPem, NodeIdentity who) {
    if (csrPem == null || csrPem.isBlank()) {
      throw new InvalidRequestException("csr", "a certificate signing request (PEM) is required");
    }
    ClusterPki p = pki(s);
    X509Certificate cert;
    try {
      var csr = Pem.csr(csrPem, "the CSR");
      cert = issuing(p).issue(csr, who, s.settings().certExpiry());
    } catch (IllegalArgumentException e) {
      throw new InvalidRequestException("csr", e.getMessage());
    }
    List<String> chain = p.rotating() ? List.of(p.rotation().crossSigned()) : List.of();
    return new Issued(cert, chain, p.trustedRoots(), digest(p.issuingCertificate()));
  }

  /** The roots nodes trust now (PEM). */
  static List<String> roots(ClusterState s) {
    return new ArrayList<>(pki(s).trustedRoots());
  }

  /** The root certificate (PEM). */
  static String root(ClusterState s) {
    return pki(s).rootCertificate();
  }

  /** The digest of the root that issues now (the new one while rotating), as join tokens and assignments name it. */
  static String issuingDigest(ClusterState s) {
    ClusterPki p = pki(s);
    return digest(p.issuingCertificate());
  }

  static String digest(String rootPem) {
    return meshplane.cluster.assignment.Digests.of(rootPem);
  }

  /** The root's subject, for {@code node inspect}. */
  static String issuerSubject(ClusterState s) {
    if (s.pki() == null) {
      return null;
    }
    return Pem.certificate(s.pki().rootCertificate(), "the root CA").getSubjectX500Principal().getName();
  }

  /** The CA that issues now: the new root's while rotating. */
  private ClusterCa issuing(ClusterPki p) {
    String cert = p.issuingCertificate();
    String key = p.issuingKey();
    ClusterCa c = ca;
    if (c == null || !c.rootPem().equals(cert)) {
      if (key == null) {
        throw ApiFailure.unavailable("this manager holds no CA key");
      }
      c = ClusterCa.of(cert, key);
      ca = c;
    }
    return c;
  }

  /** The current root as a CA (to cross-sign a new root with). */
  static ClusterCa current(ClusterState s) {
    ClusterPki p = pki(s);
    if (p.rootKey() == null) {
      throw ApiFailure.unavailable("this manager holds no CA key");
    }
    return ClusterCa.of(p.rootCertificate(), p.rootKey());
  }

  static ClusterPki pki(ClusterState s) {
    ManagerContext.requireSwarm(s);
    if (s.pki() == null) {
      throw ApiFailure.unavailable("this swarm has no CA (it was made before meshplane had one): make it again");
    }
    return s.pki();
  }
}
