package meshplane.node.daemon;

import meshplane.pki.CertRole;
import meshplane.pki.ClusterCa;
import meshplane.pki.NodeCredentials;
import meshplane.pki.NodeIdentity;
import meshplane.pki.NodeKey;

/**
 * Until the daemon has the cluster's PKI (swarm init making the CA, join over CSR; issue 13), the
 * manager credentials its Raft store needs: a manager certificate from a CA made in this daemon's
 * process, so one daemon's managers trust only themselves. A one-manager swarm runs; managers of
 * different daemons refuse each other's Raft handshake, so a manager join across daemons does not
 * replicate until this is replaced by the node's real credentials.
 */
final class StandInRaftCredentials {
  private static final ClusterCa DAEMON_LOCAL_CA = ClusterCa.create();

  private StandInRaftCredentials() {}

  static NodeCredentials manager(String nodeId, String clusterId) {
    NodeKey k = NodeKey.generate();
    return new NodeCredentials(k.privateKey(), DAEMON_LOCAL_CA.issue(k.csr(),
        new NodeIdentity(nodeId, CertRole.MANAGER, clusterId), ClusterCa.NODE_VALIDITY), DAEMON_LOCAL_CA.root());
  }
}
