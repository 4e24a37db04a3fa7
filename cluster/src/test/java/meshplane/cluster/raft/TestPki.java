package meshplane.cluster.raft;

import java.security.cert.X509Certificate;
import meshplane.pki.CertRole;
import meshplane.pki.ClusterCa;
import meshplane.pki.NodeCredentials;
import meshplane.pki.NodeIdentity;
import meshplane.pki.NodeKey;

/**
 * A cluster CA for tests and credentials it issues. Stores that talk to each other must hold
 * managers' certificates of one CA: {@link #SHARED} is the JVM's, for tests that do not care
 * which; a test about another cluster makes its own with {@link #create}.
 */
public final class TestPki {
  /** The CA of the tests' one cluster. */
  public static final TestPki SHARED = create();
  private static final String CLUSTER = "testcluster";

  private final ClusterCa ca;

  private TestPki(ClusterCa ca) {
    this.ca = ca;
  }

  public static TestPki create() {
    return new TestPki(ClusterCa.create());
  }

  public ClusterCa ca() {
    return ca;
  }

  /** A manager's credentials, node id {@code nodeId}. */
  public NodeCredentials manager(String nodeId) {
    return issue(nodeId, CertRole.MANAGER);
  }

  /** A worker's credentials, node id {@code nodeId}. */
  public NodeCredentials worker(String nodeId) {
    return issue(nodeId, CertRole.WORKER);
  }

  private NodeCredentials issue(String nodeId, CertRole role) {
    NodeKey k = NodeKey.generate();
    X509Certificate cert = ca.issue(k.csr(), new NodeIdentity(nodeId, role, CLUSTER), ClusterCa.NODE_VALIDITY);
    return new NodeCredentials(k.privateKey(), cert, ca.root());
  }
}
