package meshplane.cluster.api;

import java.util.Set;
import meshplane.cluster.model.ClusterPki;
import meshplane.cluster.model.JoinTokens;
import meshplane.pki.CertRole;
import meshplane.pki.ClusterCa;
import meshplane.pki.JoinToken;
import meshplane.pki.LiveCredentials;
import meshplane.pki.NodeCredentials;
import meshplane.pki.NodeIdentity;

/**
 * A real cluster CA for tests: its replicated state, join tokens naming its root, and
 * credentials it issues. Stores and managers that talk to each other must hold certificates of
 * one CA: {@link #SHARED} is the JVM's, for tests that do not care which; a test about another
 * cluster makes its own with {@link #create}.
 */
public final class TestPki {
  /** The CA of the tests' one cluster, {@code testcluster}. */
  public static final TestPki SHARED = create();

  public final String clusterId;
  public final ClusterCa ca = ClusterCa.create();
  public final JoinTokens tokens = new JoinTokens(JoinToken.generate(ca.root()).text(), JoinToken.generate(ca.root()).text());

  public TestPki(String clusterId) {
    this.clusterId = clusterId;
  }

  public static TestPki create() {
    return new TestPki("testcluster");
  }

  public ClusterCa ca() {
    return ca;
  }

  /** The CA as the managers replicate it. */
  public ClusterPki pki() {
    return new ClusterPki(ca.rootPem(), ca.keyPem(), Set.of());
  }

  /** A manager's credentials, node id {@code nodeId}. */
  public NodeCredentials manager(String nodeId) {
    return issue(nodeId, CertRole.MANAGER);
  }

  /** A worker's credentials, node id {@code nodeId}. */
  public NodeCredentials worker(String nodeId) {
    return issue(nodeId, CertRole.WORKER);
  }

  public NodeCredentials issue(String nodeId, CertRole role) {
    return ca.credentialsFor(new NodeIdentity(nodeId, role, clusterId), ClusterCa.NODE_VALIDITY);
  }

  public LiveCredentials credentials(String nodeId, CertRole role) {
    return new LiveCredentials(issue(nodeId, role));
  }

  /** A client of {@code target} as {@code nodeId} in {@code role}, to a manager. */
  public ApiClient client(ApiTarget target, String nodeId, CertRole role) {
    return new ApiClient(target, ClientTls.of(credentials(nodeId, role), CertRole.MANAGER));
  }
}
