package meshplane.ipvs;

/**
 * Counters of a service or destination, from IPVS_SVC_ATTR_STATS64 / IPVS_DEST_ATTR_STATS64
 * (every counter u64) or, on kernels before 4.1, the older STATS nest (u32 counters and rates,
 * u64 byte counts). Rates are the kernel's estimates per second; byte rates are bytes/s.
 */
public record IpvsStats(long connections, long packetsIn, long packetsOut, long bytesIn, long bytesOut,
    long connectionsPerSecond, long packetsInPerSecond, long packetsOutPerSecond, long bytesInPerSecond,
    long bytesOutPerSecond) {

  public static final IpvsStats ZERO = new IpvsStats(0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
}
