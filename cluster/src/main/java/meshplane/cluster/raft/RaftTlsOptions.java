package meshplane.cluster.raft;

import meshplane.pki.LiveCredentials;

/**
 * jraft options (a {@code NodeOptions}, a {@code CliOptions}) that carry the credentials of the
 * client jraft makes from them: {@link TlsRaftRpcFactory} reads them when jraft creates the client.
 */
interface RaftTlsOptions {
  LiveCredentials raftCredentials();
}
