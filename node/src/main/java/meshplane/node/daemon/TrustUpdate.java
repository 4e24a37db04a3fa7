package meshplane.node.daemon;

import com.fasterxml.jackson.databind.JsonNode;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import meshplane.cluster.api.ApiClient;
import meshplane.cluster.api.ApiException;
import meshplane.cluster.api.ApiTarget;
import meshplane.cluster.api.ClientTls;
import meshplane.cluster.assignment.Assignment;
import meshplane.cluster.assignment.TrustState;
import meshplane.cluster.model.NodeRole;
import meshplane.pki.CertRole;
import meshplane.pki.JoinToken;
import meshplane.pki.LiveCredentials;
import meshplane.pki.NodeCredentials;
import meshplane.pki.Pem;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A root rotation as the node sees it in its assignment ({@link TrustState}): when the root
 * that issues is not the one that issued the node's certificate, the node renews (and gets the
 * new root's certificate, the cross-signed root after it, and both roots to trust); when the
 * roots to trust are not the node's, it fetches them from a manager ({@code GET /v1/swarm/ca})
 * and trusts those (the old root dropped once the rotation is done). Each takes effect from the
 * next handshake: no open connection is dropped. Runs with the role changes, under the
 * membership's lock.
 */
final class TrustUpdate {
  private static final Logger LOG = LoggerFactory.getLogger(TrustUpdate.class);

  private final NodeMembership membership;

  TrustUpdate(NodeMembership membership) {
    this.membership = membership;
  }

  void apply(Assignment a) {
    TrustState t = a.trust();
    LiveCredentials live = membership.credentials();
    if (t == null || live == null || a.managers().isEmpty()) {
      return;
    }
    try {
      NodeCredentials now = live.credentials();
      if (!t.issuing().equals(issuer(now))) {
        LOG.info("the cluster's root is rotating: renewing this node's certificate with the new root");
        NodeRole role = now.identity().role() == CertRole.MANAGER ? NodeRole.MANAGER : NodeRole.WORKER;
        now = CertificateRenewal.renew(live, a.managers(), role);
        membership.renewed(now);
      }
      if (!digests(now.roots()).equals(Set.copyOf(t.trusted()))) {
        List<X509Certificate> roots = fetchRoots(live, a.managers(), Set.copyOf(t.trusted()));
        X509Certificate leaf = now.certificate();
        // the chain after the certificate is kept only while one of its roots still needs it
        List<X509Certificate> chain = now.withRoots(roots).issuerOf(leaf).isPresent() ? List.of(leaf) : now.chain();
        membership.renewed(new NodeCredentials(now.key(), chain, roots));
        LOG.info("trusting the cluster's roots {}", roots.stream().map(r -> r.getSubjectX500Principal().getName()).toList());
      }
    } catch (RuntimeException e) {
      LOG.warn("root rotation: cannot follow it yet (the next assignment tries again): {}", e.getMessage());
    }
  }

  /** The digest of the root among {@code c}'s that signed its certificate; null when none did (a new root's). */
  static String issuer(NodeCredentials c) {
    return c.issuerOf(c.certificate()).map(JoinToken::digest).orElse(null);
  }

  private static Set<String> digests(List<X509Certificate> roots) {
    return roots.stream().map(JoinToken::digest).collect(Collectors.toSet());
  }

  /** The roots a manager lists, those whose digests the assignment names; all of them or an error. */
  private static List<X509Certificate> fetchRoots(LiveCredentials live, List<String> managers, Set<String> wanted) {
    RuntimeException last = null;
    for (String m : managers) {
      try {
        JsonNode ca = new ApiClient(ApiTarget.parse(m, "manager"), ClientTls.of(live, CertRole.MANAGER), 3_000, 10_000)
            .get("/v1/swarm/ca");
        List<X509Certificate> roots = new ArrayList<>();
        ca.path("roots").forEach(r -> roots.add(Pem.certificate(r.asText(), "a root " + m + " sent")));
        roots.removeIf(r -> !wanted.contains(JoinToken.digest(r)));
        if (digests(roots).equals(wanted)) {
          return roots;
        }
        last = new IllegalStateException(m + " lists other roots than the assignment names");
      } catch (ApiException | IllegalArgumentException e) {
        last = new IllegalStateException(m + ": " + e.getMessage(), e);
      }
    }
    throw last != null ? last : new IllegalStateException("no manager known");
  }
}
