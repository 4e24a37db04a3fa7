package meshplane.dns;

import meshplane.nettyio.TransportChoice;
import meshplane.nettyio.NettyTransport;
import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import meshplane.dataplane.DataplaneState;
import meshplane.netlink.NetNamespace;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's embedded DNS: one process serving every local task namespace (docs/dns.md).
 *
 * <p>{@link #apply} takes the node's desired state: it builds the new {@link RecordTable}, swaps
 * it in (every query after that sees the new records), opens a listener in each namespace that
 * now has an endpoint and closes those of namespaces that no longer do. Questions that are not
 * local go to the {@link Forwarder}, whose sockets live in the forwarding namespace (the node's).
 */
public final class DnsServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(DnsServer.class);

  private final DnsConfig config;
  private final NettyTransport transport;
  private final DnsCounters counters = new DnsCounters();
  private final EventLoopGroup group;
  private final Forwarder forwarder;
  private final ServerContext context;
  private volatile RecordTable table = RecordTable.empty();
  private final Map<String, NamespaceListener> listeners = new HashMap<>();
  private final List<NamespaceListener> extra = new ArrayList<>();

  private DnsServer(DnsConfig config, NetNamespace forwardNs) {
    this.config = config;
    this.transport = NettyTransport.select(TransportChoice.parse(config.transport(), "DNS transport"), "embedded DNS");
    this.group = transport.newGroup(config.threads(), new DefaultThreadFactory("dns", true));
    EventLoopGroup fwdGroup = transport.newGroup(1, forwardThreads(forwardNs));
    try {
      this.forwarder = new Forwarder(config, counters, transport, fwdGroup);
    } catch (RuntimeException e) {
      fwdGroup.shutdownGracefully(0, 1, TimeUnit.SECONDS);
      group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
      throw e;
    }
    this.context = new ServerContext(() -> table, new QueryHandler(config.ttl(), counters), forwarder, counters,
        config.limits(), new Semaphore(config.limits().tcpTotal()));
  }

  /**
   * Starts the server with no listener yet. {@code forwardNs} is the namespace upstream queries
   * leave from (the node's); null means the calling process's own.
   */
  public static DnsServer start(DnsConfig config, NetNamespace forwardNs) {
    quietLeakDetection();
    return new DnsServer(config, forwardNs);
  }

  /**
   * Netty's buffer leak detection (sampling, on by default) costs every datagram a wrapper and
   * touch calls: in bench-dns, 0.96 x dnsmasq's qps with it, 1.02 x without (median of 5 and 8
   * alternating rounds). Off unless {@code -Dio.netty.leakDetection.level} asks for it.
   */
  private static void quietLeakDetection() {
    if (System.getProperty("io.netty.leakDetection.level") == null) {
      io.netty.util.ResourceLeakDetector.setLevel(io.netty.util.ResourceLeakDetector.Level.DISABLED);
    }
  }

  private static ThreadFactory forwardThreads(NetNamespace ns) {
    if (ns == null) {
      return new DefaultThreadFactory("dns-forward", true);
    }
    AtomicInteger n = new AtomicInteger();
    return r -> ns.newThread("dns-forward-" + ns.name() + "-" + n.incrementAndGet(), r);
  }

  /** Serves {@code state} from now on; see the class comment. Never throws for one namespace. */
  public synchronized DnsApplyReport apply(DataplaneState state) {
    RecordTable next = RecordTable.from(state);
    table = next;
    List<String> opened = new ArrayList<>();
    List<String> closed = new ArrayList<>();
    Map<String, String> failed = new TreeMap<>();
    for (String ns : new ArrayList<>(listeners.keySet())) {
      if (!next.namespaces().contains(ns)) {
        listeners.remove(ns).close();
        closed.add(ns);
      }
    }
    for (String ns : next.namespaces()) {
      if (listeners.containsKey(ns)) {
        continue;
      }
      try {
        listeners.put(ns, NamespaceListener.open(ns, config.listen(), transport, group, context));
        opened.add(ns);
      } catch (RuntimeException e) {
        failed.put(ns, e.getMessage());
        LOG.warn("embedded DNS: no listener in netns {}: {}", ns, e.getMessage());
      }
    }
    return new DnsApplyReport(next.size(), opened, closed, failed);
  }

  /**
   * Also listens at {@code address} in the calling thread's namespace, answering as if asked from
   * {@code scopeNamespace} (tests, benchmarks, loopback fuzzing); port 0 picks a free port.
   * Returns the bound address.
   */
  public synchronized InetSocketAddress listenHere(String scopeNamespace, InetSocketAddress address) {
    try {
      NamespaceListener l = NamespaceListener.bindHere(scopeNamespace, address, transport, group, context);
      extra.add(l);
      return l.address();
    } catch (Exception e) {
      throw new IllegalStateException("embedded DNS: listen on " + address + " for " + scopeNamespace + ": " + e.getMessage(), e);
    }
  }

  public DnsCounters counters() {
    return counters;
  }

  /** The transport chosen: io_uring or epoll. */
  public String transport() {
    return transport.name();
  }

  /** The namespaces being served now. */
  public synchronized List<String> namespaces() {
    return new ArrayList<>(new TreeMap<>(listeners).keySet());
  }

  /** The current records, for tests. */
  RecordTable table() {
    return table;
  }

  Forwarder forwarder() {
    return forwarder;
  }

  /** Counters and listeners, for a status line. */
  public synchronized Map<String, Object> status() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("transport", transport.name());
    m.put("namespaces", namespaces());
    m.putAll(counters.snapshot());
    return m;
  }

  @Override
  public synchronized void close() {
    listeners.values().forEach(NamespaceListener::close);
    listeners.clear();
    extra.forEach(NamespaceListener::close);
    extra.clear();
    forwarder.close();
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5000);
  }
}
