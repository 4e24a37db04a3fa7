package meshplane.dns;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;

/**
 * How the embedded DNS runs (docs/dns.md).
 *
 * @param ttl TTL of every local answer, seconds; {@value #DEFAULT_TTL} by default, so a client's
 *     cache forgets a removed task within seconds of the reconcile that removed it (Docker: 600)
 * @param upstreams the node's resolvers, tried in turn (see {@link ResolvConf})
 * @param upstreamTimeout how long one upstream gets before the next is tried
 * @param maxPending forwarded queries in flight at once; beyond, SERVFAIL at once (Docker drops
 *     beyond 1024)
 * @param transport {@code auto}, {@code io_uring} or {@code epoll}
 * @param listen the address every namespace's listener binds (127.0.0.11:53)
 * @param threads event-loop threads serving every namespace's sockets
 * @param limits what one TCP client, one task namespace and all of them may hold ({@link DnsLimits})
 */
public record DnsConfig(long ttl, List<InetSocketAddress> upstreams, Duration upstreamTimeout, int maxPending,
    String transport, InetSocketAddress listen, int threads, DnsLimits limits) {
  public static final long DEFAULT_TTL = 5;
  public static final InetSocketAddress DOCKER_ADDRESS =
      new InetSocketAddress(addr127011(), 53);

  public DnsConfig {
    if (ttl < 0 || ttl > 2_147_483_647L) {
      throw new IllegalArgumentException("DNS ttl " + ttl + " must be between 0 and 2147483647 seconds");
    }
    upstreams = List.copyOf(upstreams);
    if (upstreamTimeout.isNegative() || upstreamTimeout.isZero()) {
      throw new IllegalArgumentException("DNS upstream timeout " + upstreamTimeout + " must be positive");
    }
    if (maxPending < 1 || maxPending > 60000) {
      throw new IllegalArgumentException("DNS maxPending " + maxPending + " must be between 1 and 60000 (16-bit ids)");
    }
    java.util.Objects.requireNonNull(limits, "DNS limits");
    if (threads < 1) {
      throw new IllegalArgumentException("DNS threads " + threads + " must be at least 1");
    }
  }

  /** The defaults, with these upstreams. */
  public static DnsConfig defaults(List<InetSocketAddress> upstreams) {
    return new DnsConfig(DEFAULT_TTL, upstreams, Duration.ofSeconds(1), 16384, "auto", DOCKER_ADDRESS,
        Math.max(1, Runtime.getRuntime().availableProcessors()), DnsLimits.DEFAULTS);
  }

  public DnsConfig withTtl(long t) {
    return new DnsConfig(t, upstreams, upstreamTimeout, maxPending, transport, listen, threads, limits);
  }

  public DnsConfig withListen(InetSocketAddress l) {
    return new DnsConfig(ttl, upstreams, upstreamTimeout, maxPending, transport, l, threads, limits);
  }

  public DnsConfig withUpstreamTimeout(Duration d) {
    return new DnsConfig(ttl, upstreams, d, maxPending, transport, listen, threads, limits);
  }

  public DnsConfig withTransport(String t) {
    return new DnsConfig(ttl, upstreams, upstreamTimeout, maxPending, t, listen, threads, limits);
  }

  public DnsConfig withThreads(int n) {
    return new DnsConfig(ttl, upstreams, upstreamTimeout, maxPending, transport, listen, n, limits);
  }

  public DnsConfig withLimits(DnsLimits l) {
    return new DnsConfig(ttl, upstreams, upstreamTimeout, maxPending, transport, listen, threads, l);
  }

  private static InetAddress addr127011() {
    try {
      return InetAddress.getByAddress(new byte[] {127, 0, 0, 11});
    } catch (java.net.UnknownHostException e) {
      throw new IllegalStateException(e);
    }
  }
}
