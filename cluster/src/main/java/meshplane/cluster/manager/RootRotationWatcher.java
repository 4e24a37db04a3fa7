package meshplane.cluster.manager;

import meshplane.cluster.model.ClusterPki;
import meshplane.cluster.model.ClusterState;
import meshplane.cluster.model.Command;
import meshplane.cluster.model.JoinTokens;
import meshplane.cluster.raft.RaftStore;
import meshplane.pki.JoinToken;
import meshplane.pki.Pem;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ends a root rotation on the leader: once every node's certificate is the new root's, the new
 * root becomes the only one (the old one and the cross-signed certificate go) and the join
 * tokens name it, their secrets kept. Checked on each state applied; the write decides again on
 * the latest state, so two checks write it once.
 */
final class RootRotationWatcher {
  private static final Logger LOG = LoggerFactory.getLogger(RootRotationWatcher.class);

  private final RaftStore store;
  private final LeaderWriter writer;

  RootRotationWatcher(RaftStore store, LeaderWriter writer) {
    this.store = store;
    this.writer = writer;
  }

  void changed(ClusterState s) {
    if (store.isLeader() && done(s)) {
      writer.write(st -> done(st) ? finish(st) : null);
    }
  }

  static boolean done(ClusterState s) {
    if (s.pki() == null || !s.pki().rotating() || s.nodes().isEmpty()) {
      return false;
    }
    String next = CertificateIssuer.issuingDigest(s);
    return s.nodes().values().stream().allMatch(n -> next.equals(n.certificateRoot()));
  }

  private static Command finish(ClusterState s) {
    ClusterPki done = s.pki().rotated();
    var root = Pem.certificate(done.rootCertificate(), "the new root");
    JoinTokens tokens = new JoinTokens(JoinToken.parse(s.tokens().worker()).forRoot(root).text(),
        JoinToken.parse(s.tokens().manager()).forRoot(root).text());
    LOG.info("root rotation done: every node holds a certificate of {}", root.getSubjectX500Principal());
    return new Command.PutPki(done, tokens);
  }
}
