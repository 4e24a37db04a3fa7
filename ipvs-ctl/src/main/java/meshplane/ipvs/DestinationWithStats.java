package meshplane.ipvs;

/**
 * A destination as the kernel reports it: its configuration, the connection counts ipvsadm -Ln
 * shows (ActiveConn, InActConn, and persistent templates), and its counters.
 */
public record DestinationWithStats(IpvsDestination destination, int activeConnections, int inactiveConnections,
    int persistentConnections, IpvsStats stats) {}
