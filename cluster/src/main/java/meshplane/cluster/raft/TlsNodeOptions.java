package meshplane.cluster.raft;

import com.alipay.sofa.jraft.option.NodeOptions;
import meshplane.pki.LiveCredentials;

/**
 * A Raft node's options with its credentials: jraft hands this very object to the client it makes
 * for the node's peers (votes, appends, snapshots, readIndex), which {@link TlsRaftRpcFactory}
 * then makes mutual TLS.
 */
final class TlsNodeOptions extends NodeOptions implements RaftTlsOptions {
  private final LiveCredentials credentials;

  TlsNodeOptions(LiveCredentials credentials) {
    this.credentials = credentials;
  }

  @Override
  public LiveCredentials raftCredentials() {
    return credentials;
  }
}
