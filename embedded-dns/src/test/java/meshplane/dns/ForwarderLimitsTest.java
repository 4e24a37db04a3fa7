package meshplane.dns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Type;

/**
 * The forwarder's bounds on loopback (real sockets, a stub upstream, no root): upstream TCP
 * connections reused, and one namespace's share of the queries in flight.
 */
@Tag("unit")
class ForwarderLimitsTest {
  private DnsServer server;
  private StubUpstream up;

  @AfterEach
  void stop() throws Exception {
    if (server != null) {
      server.close();
    }
    if (up != null) {
      up.close();
    }
  }

  private InetSocketAddress start(DnsConfig c, String scope) {
    server = DnsServer.start(c, null);
    server.apply(DnsStates.valid("mpt-nonexistent", 3));
    return listen(scope);
  }

  private InetSocketAddress listen(String scope) {
    return server.listenHere(scope, new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
  }

  @Test
  void tcpQueriesForwardedOnAFewReusedUpstreamConnections() throws Exception {
    up = new StubUpstream(StubUpstream.Mode.ANSWER, "192.0.2.7");
    // clients' connections are not what is bounded here: room for all of them
    InetSocketAddress at = start(DnsConfig.defaults(List.of(up.address())).withThreads(2)
        .withLimits(DnsLimits.DEFAULTS.withTcpConnections(256, 256)), "mpt-nonexistent-a");
    List<CompletableFuture<Message>> asked = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      int n = i;
      asked.add(CompletableFuture.supplyAsync(() -> {
        try {
          return DnsClient.tcp(at, DnsClient.query("host" + n + ".example.test", Type.A, null));
        } catch (java.io.IOException e) {
          throw new IllegalStateException(e);
        }
      }));
    }
    for (CompletableFuture<Message> f : asked) {
      Message r = f.get(20, TimeUnit.SECONDS);
      assertEquals(Rcode.NOERROR, r.getRcode());
      assertEquals("192.0.2.7", r.getSection(org.xbill.DNS.Section.ANSWER).get(0).rdataToString());
    }
    assertEquals(200, up.tcpQueries.get(), "every TCP client's query went upstream over TCP");
    int limit = DnsLimits.DEFAULTS.upstreamTcpPerUpstream();
    assertTrue(up.tcpConnections.get() <= limit, "on at most " + limit + " connections, not one each: " + up.tcpConnections.get());
    assertEquals(up.tcpConnections.get(), server.counters().snapshot().get("upstreamTcpConnections").intValue());
    assertTrue(server.forwarder().tcpConnections(up.address()) >= 1, "kept open for the next queries");
  }

  @Test
  void oneNamespaceTakesOnlyItsShareOfTheQueriesInFlight() throws Exception {
    up = new StubUpstream(StubUpstream.Mode.ANSWER, "192.0.2.7");
    DnsConfig c = new DnsConfig(5, List.of(up.address()), Duration.ofSeconds(3), 40, "auto",
        DnsConfig.DOCKER_ADDRESS, 2, DnsLimits.DEFAULTS.withPendingPerNamespace(10));
    InetSocketAddress a = start(c, "mpt-nonexistent-a");
    InetSocketAddress b = listen("mpt-nonexistent-b");
    // a asks 60 names the upstream never answers: only 10 may wait, the rest get SERVFAIL at once
    List<CompletableFuture<Integer>> flood = new ArrayList<>();
    for (int i = 0; i < 60; i++) {
      int n = i;
      flood.add(CompletableFuture.supplyAsync(() -> {
        try {
          return new Message(DnsClient.udpRaw(a, DnsClient.query("silent" + n + ".example.test", Type.A, null).toWire(), 6000)).getRcode();
        } catch (java.io.IOException e) {
          return -1;
        }
      }));
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
    while (server.counters().snapshot().get("namespaceOverloaded") < 50 && System.nanoTime() < deadline) {
      TimeUnit.MILLISECONDS.sleep(10);
    }
    assertEquals(50, server.counters().snapshot().get("namespaceOverloaded"), "a's 50 beyond its 10: refused at once");
    assertEquals(10, server.forwarder().inFlight());
    long t0 = System.nanoTime();
    Message fromB = DnsClient.udp(b, DnsClient.query("www.example.test", Type.A, null));
    long ms = (System.nanoTime() - t0) / 1_000_000;
    assertEquals(Rcode.NOERROR, fromB.getRcode(), "b is answered while a's share waits");
    assertTrue(ms < 1000, "at once: " + ms + " ms");
    assertEquals(0, server.counters().snapshot().get("overloaded"), "the forwarder's whole bound (40) was never reached");
    long servfails = flood.stream().map(CompletableFuture::join).filter(r -> r == Rcode.SERVFAIL).count();
    assertEquals(60, servfails, "a's 50 at once, its 10 after the upstream timed out");
  }
}
