package meshplane.dns;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * What the server did with every packet it read, summed over all namespaces. Every packet read
 * lands in exactly one of: answered locally, forwarded, FORMERR, NOTIMP, dropped; forwarded ones
 * then end as an upstream answer, a SERVFAIL or a refusal for overload (the forwarder's
 * whole bound, or the asking namespace's share). Connections refused or closed by a limit are
 * counted too.
 */
public final class DnsCounters {
  final LongAdder received = new LongAdder();
  final LongAdder local = new LongAdder();
  final LongAdder nxdomain = new LongAdder();
  final LongAdder nodata = new LongAdder();
  final LongAdder forwarded = new LongAdder();
  final LongAdder formerr = new LongAdder();
  final LongAdder notimp = new LongAdder();
  final LongAdder dropped = new LongAdder();
  final LongAdder truncated = new LongAdder();
  final LongAdder upstreamAnswers = new LongAdder();
  final LongAdder upstreamTimeouts = new LongAdder();
  final LongAdder upstreamFailovers = new LongAdder();
  final LongAdder servfail = new LongAdder();
  final LongAdder overloaded = new LongAdder();
  /** Forwarded queries refused (SERVFAIL at once) because their namespace had its whole share in flight. */
  final LongAdder namespaceOverloaded = new LongAdder();
  /** Client TCP connections closed at accept: their namespace's or the total bound was reached. */
  final LongAdder tcpRefused = new LongAdder();
  /** Client TCP connections closed for reading no whole query within the idle timeout. */
  final LongAdder tcpIdleClosed = new LongAdder();
  /** TCP connections opened to upstreams (pooled and reused, so far fewer than TCP queries forwarded). */
  final LongAdder upstreamTcpConnections = new LongAdder();
  /** TCP queries sent again to the same upstream because it closed their connection (after answering others). */
  final LongAdder upstreamTcpResent = new LongAdder();

  public long received() {
    return received.sum();
  }

  public long formerr() {
    return formerr.sum();
  }

  public long dropped() {
    return dropped.sum();
  }

  /** Every counter by name, in a fixed order, for logs and {@code meshctl dns serve}. */
  public Map<String, Long> snapshot() {
    Map<String, Long> m = new LinkedHashMap<>();
    m.put("received", received.sum());
    m.put("local", local.sum());
    m.put("nxdomain", nxdomain.sum());
    m.put("nodata", nodata.sum());
    m.put("forwarded", forwarded.sum());
    m.put("formerr", formerr.sum());
    m.put("notimp", notimp.sum());
    m.put("dropped", dropped.sum());
    m.put("truncated", truncated.sum());
    m.put("upstreamAnswers", upstreamAnswers.sum());
    m.put("upstreamTimeouts", upstreamTimeouts.sum());
    m.put("upstreamFailovers", upstreamFailovers.sum());
    m.put("servfail", servfail.sum());
    m.put("overloaded", overloaded.sum());
    m.put("namespaceOverloaded", namespaceOverloaded.sum());
    m.put("tcpRefused", tcpRefused.sum());
    m.put("tcpIdleClosed", tcpIdleClosed.sum());
    m.put("upstreamTcpConnections", upstreamTcpConnections.sum());
    m.put("upstreamTcpResent", upstreamTcpResent.sum());
    return m;
  }

  @Override
  public String toString() {
    return snapshot().toString();
  }
}
