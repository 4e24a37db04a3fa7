package meshplane.cluster.model;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * Cluster-wide settings fixed at {@code swarm init}: the agents' heartbeat period (a node that
 * misses three is down), the range automatic published ports come from, and how long a node
 * certificate is valid ({@code --cert-expiry}; 0 in an entry written before there was one: the
 * default).
 */
public record ClusterSettings(long heartbeatMillis, int autoPortFirst, int autoPortLast,
    @JsonInclude(JsonInclude.Include.NON_NULL) Long certExpiryMillis) {
  /** A node certificate's default life, as Swarm's: 90 days. */
  public static final long DEFAULT_CERT_EXPIRY_MILLIS = 90L * 24 * 3600 * 1000;
  public static final ClusterSettings DEFAULT = new ClusterSettings(5_000, 30000, 32767, null);

  /** A node certificate's life: {@code certExpiryMillis}, or the default when the settings name none. */
  public java.time.Duration certExpiry() {
    return java.time.Duration.ofMillis(certExpiryMillis == null ? DEFAULT_CERT_EXPIRY_MILLIS : certExpiryMillis);
  }

  public ClusterSettings(long heartbeatMillis, int autoPortFirst, int autoPortLast) {
    this(heartbeatMillis, autoPortFirst, autoPortLast, null);
  }

  public ClusterSettings withCertExpiryMillis(long millis) {
    return new ClusterSettings(heartbeatMillis, autoPortFirst, autoPortLast, millis);
  }
}
