package meshplane.cluster.model;

/**
 * Cluster-wide settings fixed at {@code swarm init}: the agents' heartbeat period (a node that
 * misses three is down), and the range automatic published ports come from.
 */
public record ClusterSettings(long heartbeatMillis, int autoPortFirst, int autoPortLast) {
  public static final ClusterSettings DEFAULT = new ClusterSettings(5_000, 30000, 32767);
}
