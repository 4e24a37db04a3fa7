package meshplane.cluster.api;

import java.util.Set;
import meshplane.cluster.model.ClusterPki;
import meshplane.cluster.model.JoinTokens;
import meshplane.pki.CertRole;
import meshplane.pki.ClusterCa;
import meshplane.pki.JoinToken;
import meshplane.pki.LiveCredentials;
import meshplane.pki.NodeIdentity;

/** A real cluster CA for tests: its state, tokens naming its root, and credentials it issued. */
public final class TestPki {
  public final String clusterId;
  public final ClusterCa ca = ClusterCa.create();
  public final JoinTokens tokens = new JoinTokens(JoinToken.generate(ca.root()).text(), JoinToken.generate(ca.root()).text());

  public TestPki(String clusterId) {
    this.clusterId = clusterId;
  }

  public ClusterPki pki() {
    return new ClusterPki(ca.rootPem(), ca.keyPem(), Set.of());
  }

  public LiveCredentials credentials(String nodeId, CertRole role) {
    return new LiveCredentials(ca.credentialsFor(new NodeIdentity(nodeId, role, clusterId), ClusterCa.NODE_VALIDITY));
  }

  /** A client of {@code target} as {@code nodeId} in {@code role}, to a manager. */
  public ApiClient client(ApiTarget target, String nodeId, CertRole role) {
    return new ApiClient(target, ClientTls.of(credentials(nodeId, role), CertRole.MANAGER));
  }
}
