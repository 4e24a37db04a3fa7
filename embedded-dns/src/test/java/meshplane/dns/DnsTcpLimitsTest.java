package meshplane.dns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufAllocatorMetricProvider;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Type;

/**
 * The TCP limits of the whole server on loopback (real sockets, no root): connection caps per
 * listener and in total, the idle timeout, pipelined answers, and a client that writes without
 * reading. Each listener {@code listenHere} opens stands for one task namespace's.
 */
@Tag("unit")
class DnsTcpLimitsTest {
  private DnsServer server;
  private StubUpstream up;
  private final List<Socket> sockets = new ArrayList<>();

  private DnsServer start(DnsLimits limits, List<InetSocketAddress> upstreams) {
    DnsConfig c = DnsConfig.defaults(upstreams).withUpstreamTimeout(Duration.ofMillis(500)).withThreads(2).withLimits(limits).withTransport(System.getProperty("dnsTransport", "auto"));
    server = DnsServer.start(c, null);
    server.apply(DnsStates.valid("mpt-nonexistent", 100));
    return server;
  }

  private InetSocketAddress listen(String scope) {
    return server.listenHere(scope, new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
  }

  /** What Netty's default allocator (the one every channel writes with) holds now, direct and heap. */
  static long nettyMemory() {
    var m = ((ByteBufAllocatorMetricProvider) ByteBufAllocator.DEFAULT).metric();
    return m.usedDirectMemory() + m.usedHeapMemory();
  }

  @AfterEach
  void stop() throws Exception {
    for (Socket s : sockets) {
      s.close();
    }
    if (server != null) {
      server.close();
    }
    if (up != null) {
      up.close();
    }
  }

  private Socket connect(InetSocketAddress at) throws IOException {
    Socket s = new Socket();
    sockets.add(s);
    s.connect(at, 2000);
    s.setSoTimeout(3000);
    return s;
  }

  /**
   * Opens {@code n} connections to {@code at} and returns those the server kept; the server
   * accepts on several loops at once, so which ones it refuses is not known in advance.
   */
  private List<Socket> kept(InetSocketAddress at, int n, int refused) throws IOException {
    List<Socket> all = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      all.add(connect(at));
    }
    List<Socket> kept = DnsClient.keptByServer(all);
    assertEquals(n - refused, kept.size(), n + " connections to " + at + ": " + refused + " refused; " + server.counters());
    return kept;
  }

  @Test
  void connectionsAreCappedPerNamespaceAndInTotal() throws Exception {
    start(DnsLimits.DEFAULTS.withTcpConnections(3, 5), List.of());
    InetSocketAddress a = listen("mpt-nonexistent-a");
    InetSocketAddress b = listen("mpt-nonexistent-b");
    List<Socket> ofA = kept(a, 4, 1); // 3 per namespace
    for (Socket s : ofA) {
      DnsClient.writeFrame(s, DnsClient.query("web", Type.A, null).toWire());
      assertEquals(Rcode.NOERROR, DnsClient.readFrame(s).getRcode(), "a's three are served");
    }
    List<Socket> ofB = kept(b, 3, 1); // the total of 5: a holds 3
    DnsClient.writeFrame(ofB.get(0), DnsClient.query("db", Type.A, null).toWire());
    assertEquals(Rcode.NOERROR, DnsClient.readFrame(ofB.get(0)).getRcode());
    assertEquals(2, server.counters().snapshot().get("tcpRefused"));
    ofA.get(0).close();
    TimeUnit.MILLISECONDS.sleep(300);
    Socket again = kept(b, 1, 0).get(0);
    DnsClient.writeFrame(again, DnsClient.query("db", Type.A, null).toWire());
    assertEquals(Rcode.NOERROR, DnsClient.readFrame(again).getRcode(), "a place given back is taken by b");
  }

  @Test
  void aSilentConnectionIsClosedAfterTheIdleTimeout() throws Exception {
    start(DnsLimits.DEFAULTS.withTcpIdle(Duration.ofMillis(300)), List.of());
    Socket s = connect(listen("mpt-nonexistent-a"));
    s.setSoTimeout(3000);
    long t0 = System.nanoTime();
    assertEquals(-1, s.getInputStream().read(), "closed by the server");
    long ms = (System.nanoTime() - t0) / 1_000_000;
    assertTrue(ms >= 250 && ms < 2000, "closed after about 300 ms: " + ms);
    assertEquals(1, server.counters().snapshot().get("tcpIdleClosed"));
  }

  @Test
  void pipelinedQueriesOnOneConnectionAreAllAnswered() throws Exception {
    up = new StubUpstream(StubUpstream.Mode.ANSWER, "192.0.2.7");
    start(DnsLimits.DEFAULTS.withInFlightPerConnection(8), List.of(up.address()));
    Socket s = connect(listen("mpt-nonexistent-a"));
    int n = 2000;
    Set<Integer> asked = new HashSet<>();
    CompletableFuture<Set<Integer>> answered = CompletableFuture.supplyAsync(() -> {
      Set<Integer> ids = new HashSet<>();
      try {
        for (int i = 0; i < n; i++) {
          Message r = DnsClient.readFrame(s);
          assertEquals(Rcode.NOERROR, r.getRcode(), r.toString());
          ids.add(r.getHeader().getID());
        }
      } catch (IOException e) {
        throw new IllegalStateException("after " + ids.size() + " answers: " + e, e);
      }
      return ids;
    });
    // one write of all of them: local names and forwarded ones (answered out of order) mixed
    java.io.ByteArrayOutputStream all = new java.io.ByteArrayOutputStream();
    DataOutputStream o = new DataOutputStream(all);
    for (int i = 0; i < n; i++) {
      Message q = DnsClient.query(i % 2 == 0 ? "web" : "host" + i + ".example.test", Type.A, null);
      q.getHeader().setID(i);
      asked.add(i);
      byte[] w = q.toWire();
      o.writeShort(w.length);
      o.write(w);
    }
    s.getOutputStream().write(all.toByteArray());
    assertEquals(asked, answered.get(20, TimeUnit.SECONDS), "every query answered once");
    assertTrue(up.tcpQueries.get() >= n / 2);
  }

  @Test
  void aClientThatWritesWithoutReadingIsNotReadAndTheDaemonHoldsLittle() throws Exception {
    start(DnsLimits.DEFAULTS, List.of());
    Socket s = new Socket();
    sockets.add(s);
    s.setReceiveBufferSize(4096); // the client takes little into its own buffer
    s.connect(listen("mpt-nonexistent-a"), 2000);
    int n = 20_000; // tasks.big over TCP: 100 records, about 1.6 KB each answer, so 32 MB unread
    byte[] wire = DnsClient.query("tasks.big", Type.A, null).toWire();
    java.io.ByteArrayOutputStream all = new java.io.ByteArrayOutputStream();
    DataOutputStream o = new DataOutputStream(all);
    for (int i = 0; i < n; i++) {
      o.writeShort(wire.length);
      o.write(wire);
    }
    long direct0 = nettyMemory();
    CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
      try {
        s.getOutputStream().write(all.toByteArray()); // blocks once the server stops reading
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
    });
    TimeUnit.SECONDS.sleep(2);
    long readWhileStuck = server.counters().received();
    TimeUnit.MILLISECONDS.sleep(500);
    assertEquals(readWhileStuck, server.counters().received(), "the server stopped reading the connection");
    assertTrue(readWhileStuck < n / 2, "only what the kernel's buffers take was answered: " + readWhileStuck);
    long held = nettyMemory() - direct0;
    System.out.printf("unread client: %d of %d queries read while it did not read; answers held by the daemon: %d KiB%n",
        readWhileStuck, n, held / 1024);
    assertTrue(held < 8L << 20, "answers held for it stay bounded (not 32 MB): " + held);
    InputStream in = s.getInputStream();
    DataInputStream din = new DataInputStream(in);
    for (int i = 0; i < n; i++) {
      byte[] r = new byte[din.readUnsignedShort()];
      din.readFully(r);
    }
    writer.get(10, TimeUnit.SECONDS);
    assertEquals(n, server.counters().received(), "once the client reads, all are answered");
  }
}
