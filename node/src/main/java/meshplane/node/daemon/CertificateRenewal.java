package meshplane.node.daemon;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import meshplane.cluster.api.ApiFailure;
import meshplane.cluster.api.ClientTls;
import meshplane.cluster.model.NodeRole;
import meshplane.pki.CertRole;
import meshplane.pki.LiveCredentials;
import meshplane.pki.NodeCredentials;
import meshplane.pki.NodeKey;
import meshplane.pki.Pem;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A new certificate for this node from a manager ({@code POST /v1/swarm/renew}, with the current
 * certificate): a new key made here, its CSR sent, the certificate the managers issue for the
 * role the state gives the node. Done when the role changes (promote, demote) and, by
 * {@link RenewalSchedule}, before the certificate expires.
 */
final class CertificateRenewal {
  private static final Logger LOG = LoggerFactory.getLogger(CertificateRenewal.class);

  private CertificateRenewal() {}

  /** The renewed credentials, from the first of {@code managers} that answers; the role they carry is {@code expected}. */
  static NodeCredentials renew(LiveCredentials current, List<String> managers, NodeRole expected) {
    NodeKey key = NodeKey.generate();
    ClientTls tls = ClientTls.of(current, CertRole.MANAGER);
    RuntimeException last = null;
    for (String m : managers) {
      try {
        JsonNode a = ManagerRequests.post(tls, m, "/v1/swarm/renew", Map.of("csr", Pem.write(key.csr())));
        NodeCredentials next = JoinProtocol.credentialsFrom(a, key, current.credentials().roots(),
            current.identity().nodeId(), expected);
        LOG.info("certificate renewed by {}: {} until {}", m, next.identity().role().ou(),
            next.certificate().getNotAfter().toInstant());
        return next;
      } catch (RuntimeException e) {
        last = e;
        LOG.warn("renewing the certificate with {}: {}", m, e.getMessage());
      }
    }
    throw last != null ? last : ApiFailure.unavailable("no manager known to renew the certificate with");
  }
}
