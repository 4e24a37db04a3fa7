package meshplane.cluster.raft;

import com.alipay.sofa.jraft.option.CliOptions;
import meshplane.pki.NodeCredentials;

/** jraft CLI options whose client speaks mutual TLS with {@code credentials} (see {@link TlsRaftRpcFactory}). */
final class TlsCliOptions extends CliOptions implements RaftTlsOptions {
  private final meshplane.pki.LiveCredentials credentials;

  TlsCliOptions(NodeCredentials credentials) {
    this.credentials = new meshplane.pki.LiveCredentials(credentials);
  }

  @Override
  public meshplane.pki.LiveCredentials raftCredentials() {
    return credentials;
  }
}
