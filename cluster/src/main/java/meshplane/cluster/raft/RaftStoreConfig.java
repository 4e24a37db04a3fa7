package meshplane.cluster.raft;

import java.nio.file.Path;
import java.util.List;

/**
 * How to start a {@link RaftStore}: where its log, metadata and snapshots live ({@code dataDir}),
 * its own Raft address {@code self} ({@code ip:port}), the group's first configuration
 * ({@code initialPeers}; empty to join an existing group and wait for its leader to add this
 * manager), the election timeout (a follower that hears no leader for this long, randomised up
 * to twice that, starts an election) and the snapshot period (0: no timed snapshots).
 */
public record RaftStoreConfig(Path dataDir, String self, List<String> initialPeers, int electionTimeoutMs,
    int snapshotIntervalSecs) {

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
  }

  /** The defaults: election timeout {@value #DEFAULT_ELECTION_TIMEOUT_MS} ms, a snapshot every {@value #DEFAULT_SNAPSHOT_INTERVAL_SECS} s. */
  public static RaftStoreConfig of(Path dataDir, String self, List<String> initialPeers) {
    return new RaftStoreConfig(dataDir, self, initialPeers, DEFAULT_ELECTION_TIMEOUT_MS, DEFAULT_SNAPSHOT_INTERVAL_SECS);
  }

  /** A manager starting a new swarm: a group of itself alone. */
  public static RaftStoreConfig founding(Path dataDir, String self) {
    return of(dataDir, self, List.of(self));
  }

  /** A manager joining a swarm: no configuration until the leader adds it. */
  public static RaftStoreConfig joining(Path dataDir, String self) {
    return of(dataDir, self, List.of());
  }
}
