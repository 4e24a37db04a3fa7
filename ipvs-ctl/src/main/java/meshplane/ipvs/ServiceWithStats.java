package meshplane.ipvs;

/** A service as the kernel reports it in a dump or GET_SERVICE: its configuration and counters. */
public record ServiceWithStats(IpvsService service, IpvsStats stats) {}
