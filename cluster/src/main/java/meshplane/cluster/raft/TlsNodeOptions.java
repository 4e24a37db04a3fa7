package meshplane.cluster.raft;

import com.alipay.sofa.jraft.option.NodeOptions;
import meshplane.pki.NodeCredentials;

/**
 * A Raft node's options with its credentials: jraft hands this very object to the client it makes
 * for the node's peers (votes, appends, snapshots, readIndex), which {@link TlsRaftRpcFactory}
 * then makes mutual TLS.
 */
final class TlsNodeOptions extends NodeOptions implements RaftTlsOptions {
  private final NodeCredentials credentials;

  TlsNodeOptions(NodeCredentials credentials) {
    this.credentials = credentials;
  }

  @Override
  public NodeCredentials raftCredentials() {
    return credentials;
  }
}
