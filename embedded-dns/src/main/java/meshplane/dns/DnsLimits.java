package meshplane.dns;

import java.time.Duration;

/**
 * What one client, one task and all of them together may hold of the embedded DNS (docs/dns.md,
 * "Limits"). Every bound here is checked where the thing is taken, and every refusal is counted
 * in {@link DnsCounters}.
 *
 * @param tcpIdle a client's TCP connection with no whole query read for this long is closed
 *     (RFC 7766); a client that writes but does not read stops being read, so it idles out too
 * @param tcpPerNamespace client TCP connections open at once on one task namespace's listener;
 *     beyond, a new connection is closed at once ({@code tcpRefused})
 * @param tcpTotal client TCP connections open at once over every namespace; beyond, the same
 * @param inFlightPerConnection queries read on one TCP connection whose answers are not written
 *     yet; at the bound the connection is not read until one is answered (pipelining, RFC 7766 6.2.1)
 * @param writeHighWaterBytes answers queued for one TCP connection beyond this make it unwritable,
 *     and it is not read until the client has taken them down to half
 * @param pendingPerNamespace forwarded queries in flight from one namespace; beyond, SERVFAIL at
 *     once ({@code namespaceOverloaded}), so one task cannot take the forwarder's whole
 *     {@link DnsConfig#maxPending}
 * @param upstreamTcpPerUpstream pooled, pipelined TCP connections to one upstream resolver
 */
public record DnsLimits(Duration tcpIdle, int tcpPerNamespace, int tcpTotal, int inFlightPerConnection,
    int writeHighWaterBytes, int pendingPerNamespace, int upstreamTcpPerUpstream) {

  /** The defaults: see docs/dns.md for the worst case they allow. */
  public static final DnsLimits DEFAULTS = new DnsLimits(Duration.ofSeconds(10), 32, 512, 32, 64 * 1024, 1024, 4);

  public DnsLimits {
    if (tcpIdle.isNegative() || tcpIdle.isZero()) {
      throw new IllegalArgumentException("DNS tcpIdle " + tcpIdle + " must be positive");
    }
    positive("tcpPerNamespace", tcpPerNamespace);
    positive("tcpTotal", tcpTotal);
    positive("inFlightPerConnection", inFlightPerConnection);
    if (writeHighWaterBytes < 2) {
      throw new IllegalArgumentException("DNS writeHighWaterBytes " + writeHighWaterBytes + " must be at least 2");
    }
    positive("pendingPerNamespace", pendingPerNamespace);
    positive("upstreamTcpPerUpstream", upstreamTcpPerUpstream);
  }

  private static void positive(String field, int value) {
    if (value < 1) {
      throw new IllegalArgumentException("DNS " + field + " " + value + " must be at least 1");
    }
  }

  public DnsLimits withTcpIdle(Duration d) {
    return new DnsLimits(d, tcpPerNamespace, tcpTotal, inFlightPerConnection, writeHighWaterBytes, pendingPerNamespace,
        upstreamTcpPerUpstream);
  }

  public DnsLimits withTcpConnections(int perNamespace, int total) {
    return new DnsLimits(tcpIdle, perNamespace, total, inFlightPerConnection, writeHighWaterBytes, pendingPerNamespace,
        upstreamTcpPerUpstream);
  }

  public DnsLimits withInFlightPerConnection(int n) {
    return new DnsLimits(tcpIdle, tcpPerNamespace, tcpTotal, n, writeHighWaterBytes, pendingPerNamespace,
        upstreamTcpPerUpstream);
  }

  public DnsLimits withWriteHighWaterBytes(int n) {
    return new DnsLimits(tcpIdle, tcpPerNamespace, tcpTotal, inFlightPerConnection, n, pendingPerNamespace,
        upstreamTcpPerUpstream);
  }

  public DnsLimits withPendingPerNamespace(int n) {
    return new DnsLimits(tcpIdle, tcpPerNamespace, tcpTotal, inFlightPerConnection, writeHighWaterBytes, n,
        upstreamTcpPerUpstream);
  }

  public DnsLimits withUpstreamTcpPerUpstream(int n) {
    return new DnsLimits(tcpIdle, tcpPerNamespace, tcpTotal, inFlightPerConnection, writeHighWaterBytes,
        pendingPerNamespace, n);
  }
}
