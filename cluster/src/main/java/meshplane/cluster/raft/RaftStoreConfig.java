package meshplane.cluster.raft;

import java.nio.file.Path;
import java.util.List;
import meshplane.pki.CertRole;
import meshplane.pki.LiveCredentials;
import meshplane.pki.NodeCredentials;

/**
 * How to start a {@link RaftStore}: where its log, metadata and snapshots live ({@code dataDir}),
 * its own Raft address {@code self} ({@code ip:port}), the group's first configuration
 * ({@code initialPeers}; empty to join an existing group and wait for its leader to add this
 * manager), the election timeout (a follower that hears no leader for this long, randomised up
 * to twice that, starts an election), the snapshot period (0: no timed snapshots), and the
 * manager's {@code credentials}: the Raft port is mutual TLS 1.3 with them, both ways, and takes
 * only managers' certificates of their root, so they must be a manager's; a renewed certificate
 * is presented from the next connection on.
 */
public record RaftStoreConfig(Path dataDir, String self, List<String> initialPeers, int electionTimeoutMs,
    int snapshotIntervalSecs, LiveCredentials credentials) {

  /** Fast failover for a lab: a dead leader is replaced within about 1.2-2.4 s plus a vote. */
  public static final int DEFAULT_ELECTION_TIMEOUT_MS = 1200;
  /** A snapshot a minute; each one lets jraft drop the log before the previous snapshot. */
  public static final int DEFAULT_SNAPSHOT_INTERVAL_SECS = 60;

  public RaftStoreConfig {
    if (dataDir == null) {
      throw new IllegalArgumentException("dataDir: required");
    }
    RaftPeers.parse("self", self);
    initialPeers = initialPeers == null ? List.of() : List.copyOf(initialPeers);
    for (String p : initialPeers) {
      RaftPeers.parse("initialPeers", p);
    }
    if (electionTimeoutMs < 100) {
      throw new IllegalArgumentException("electionTimeoutMs: " + electionTimeoutMs + " is below 100 ms");
    }
    if (snapshotIntervalSecs < 0) {
      throw new IllegalArgumentException("snapshotIntervalSecs: " + snapshotIntervalSecs + " is negative");
    }
    if (credentials == null) {
      throw new IllegalArgumentException("credentials: required (the Raft port is mutual TLS)");
    }
    CertRole role = credentials.identity().role();
    if (role != CertRole.MANAGER) {
      throw new IllegalArgumentException("credentials: the certificate of " + credentials.credentials().certificate()
          .getSubjectX500Principal() + " is a " + role.ou() + "'s; Raft takes a " + CertRole.MANAGER.ou() + " one");
    }
  }

  /** The defaults: election timeout {@value #DEFAULT_ELECTION_TIMEOUT_MS} ms, a snapshot every {@value #DEFAULT_SNAPSHOT_INTERVAL_SECS} s. */
  public static RaftStoreConfig of(Path dataDir, String self, List<String> initialPeers, LiveCredentials credentials) {
    return new RaftStoreConfig(dataDir, self, initialPeers, DEFAULT_ELECTION_TIMEOUT_MS, DEFAULT_SNAPSHOT_INTERVAL_SECS,
        credentials);
  }

  /** With fixed credentials (a test's, a benchmark's). */
  public static RaftStoreConfig of(Path dataDir, String self, List<String> initialPeers, NodeCredentials credentials) {
    return of(dataDir, self, initialPeers, credentials == null ? null : new LiveCredentials(credentials));
  }

  /** A manager starting a new swarm, with the node's current credentials (renewed in place). */
  public static RaftStoreConfig founding(Path dataDir, String self, LiveCredentials credentials) {
    return of(dataDir, self, List.of(self), credentials);
  }

  /** A manager joining a swarm, with the node's current credentials (renewed in place). */
  public static RaftStoreConfig joining(Path dataDir, String self, LiveCredentials credentials) {
    return of(dataDir, self, List.of(), credentials);
  }

  /** A manager starting a new swarm: a group of itself alone. */
  public static RaftStoreConfig founding(Path dataDir, String self, NodeCredentials credentials) {
    return of(dataDir, self, List.of(self), credentials);
  }

  /** A manager joining a swarm: no configuration until the leader adds it. */
  public static RaftStoreConfig joining(Path dataDir, String self, NodeCredentials credentials) {
    return of(dataDir, self, List.of(), credentials);
  }
}
