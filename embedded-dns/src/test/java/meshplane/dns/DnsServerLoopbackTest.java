package meshplane.dns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;
import meshplane.dataplane.Addresses;
import java.util.Optional;

/**
 * The whole server on loopback in the test's own namespace (no root needed, no traffic beyond
 * 127.0.0.1): real UDP and TCP sockets, a stub upstream on loopback.
 */
@Tag("unit")
class DnsServerLoopbackTest {
  private DnsServer server;
  private StubUpstream up1;
  private StubUpstream up2;

  private InetSocketAddress start(List<InetSocketAddress> upstreams, int bigTasks) {
    DnsConfig c = DnsConfig.defaults(upstreams).withUpstreamTimeout(Duration.ofMillis(300)).withThreads(2);
    server = DnsServer.start(c, null);
    server.apply(DnsStates.valid("mpt-nonexistent", bigTasks));
    return server.listenHere("mpt-nonexistent-a", new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
  }

  @AfterEach
  void stop() throws Exception {
    if (server != null) {
      server.close();
    }
    if (up1 != null) {
      up1.close();
    }
    if (up2 != null) {
      up2.close();
    }
  }

  private static Set<String> answers(Message m) {
    return m.getSection(Section.ANSWER).stream().map(Record::rdataToString).collect(Collectors.toSet());
  }

  @Test
  void answersLocalNamesOverUdpAndTcp() throws Exception {
    InetSocketAddress at = start(List.of(), 3);
    Message q = DnsClient.query("web", Type.A, null);
    for (Message r : List.of(DnsClient.udp(at, q), DnsClient.tcp(at, q))) {
      assertEquals(q.getHeader().getID(), r.getHeader().getID());
      assertTrue(r.getHeader().getFlag(Flags.AA));
      assertTrue(r.getHeader().getFlag(Flags.QR));
      assertEquals(Set.of("10.0.1.2"), answers(r));
      assertEquals(5, r.getSection(Section.ANSWER).get(0).getTTL());
    }
    Message aaaa = DnsClient.udp(at, DnsClient.query("web", Type.AAAA, null));
    assertEquals(Rcode.NOERROR, aaaa.getRcode(), "NODATA, not NXDOMAIN");
    assertEquals(0, aaaa.getSection(Section.ANSWER).size());
    Message nx = DnsClient.udp(at, DnsClient.query("99.1.0.10.in-addr.arpa", Type.PTR, null));
    assertEquals(Rcode.NXDOMAIN, nx.getRcode());
  }

  @Test
  void bigAnswersAreTruncatedOverUdpAndWholeOverTcp() throws Exception {
    InetSocketAddress at = start(List.of(), 100);
    Message plain = DnsClient.udp(at, DnsClient.query("tasks.big", Type.A, null));
    assertTrue(plain.getHeader().getFlag(Flags.TC), "TC set");
    assertTrue(plain.toWire().length <= 512);
    assertTrue(plain.getSection(Section.ANSWER).size() < 100);
    Message edns = DnsClient.udp(at, DnsClient.query("tasks.big", Type.A, 4096));
    assertFalse(edns.getHeader().getFlag(Flags.TC), "100 A records fit in a 4096-byte EDNS answer");
    assertEquals(100, edns.getSection(Section.ANSWER).size());
    Message tcp = DnsClient.tcp(at, DnsClient.query("tasks.big", Type.A, null));
    assertFalse(tcp.getHeader().getFlag(Flags.TC));
    assertEquals(100, tcp.getSection(Section.ANSWER).size());
    assertTrue(server.counters().snapshot().get("truncated") >= 1);
  }

  @Test
  void forwardsWithFailoverAndServfailWhenAllFail() throws Exception {
    up1 = new StubUpstream(StubUpstream.Mode.SILENT, "192.0.2.1");
    up2 = new StubUpstream(StubUpstream.Mode.ANSWER, "192.0.2.7");
    InetSocketAddress at = start(List.of(up1.address(), up2.address()), 3);
    Message r = DnsClient.udp(at, DnsClient.query("example.test", Type.A, null));
    assertEquals(Set.of("192.0.2.7"), answers(r));
    assertEquals(1, server.counters().snapshot().get("upstreamTimeouts"));
    long t0 = System.nanoTime();
    Message again = DnsClient.udp(at, DnsClient.query("example2.test", Type.A, null));
    assertEquals(Set.of("192.0.2.7"), answers(again));
    assertTrue(System.nanoTime() - t0 < 250_000_000L, "the upstream that answered is asked first next time");
    Message overTcp = DnsClient.tcp(at, DnsClient.query("example3.test", Type.A, null));
    assertEquals(Set.of("192.0.2.7"), answers(overTcp));
    assertEquals(1, up2.tcpQueries.get(), "a TCP client is forwarded over TCP");
    up2.mode(StubUpstream.Mode.SERVFAIL);
    Message fail = DnsClient.udp(at, DnsClient.query("example4.test", Type.A, null));
    assertEquals(Rcode.SERVFAIL, fail.getRcode());
    assertEquals(0, server.forwarder().inFlight());
  }

  @Test
  void forwardedAnswersTooBigForUdpComeTruncatedThenWholeOverTcp() throws Exception {
    up1 = new StubUpstream(StubUpstream.Mode.ANSWER, "192.0.2.7");
    InetSocketAddress at = start(List.of(up1.address()), 3);
    Message udp = DnsClient.udp(at, DnsClient.query("many.example.test", Type.A, null));
    assertTrue(udp.getHeader().getFlag(Flags.TC));
    Message tcp = DnsClient.tcp(at, DnsClient.query("many.example.test", Type.A, null));
    assertEquals(100, tcp.getSection(Section.ANSWER).size());
  }

  @Test
  void noUpstreamsMeansServfailAtOnce() throws Exception {
    InetSocketAddress at = start(List.of(), 3);
    assertEquals(Rcode.SERVFAIL, DnsClient.udp(at, DnsClient.query("example.test", Type.A, null)).getRcode());
  }

  @Test
  void recordsFollowTheDesiredState() throws Exception {
    InetSocketAddress at = start(List.of(), 3);
    assertEquals(Set.of("10.0.1.3", "10.0.1.4", "10.0.1.5"), answers(DnsClient.udp(at, DnsClient.query("tasks.web", Type.A, null))));
    var s = DnsStates.valid("mpt-nonexistent", 3);
    var web = s.services().get(0);
    var fewer = new meshplane.dataplane.ServiceSpec(web.name(), web.endpointMode(), web.mark(), web.vips(), web.ports(),
        List.of(web.backends().get(0), web.backends().get(1), new meshplane.dataplane.BackendSpec("web", Addresses.ipv4("10.0.1.9"), Optional.of("web.4.ddd"))));
    server.apply(new meshplane.dataplane.DataplaneState(s.node(), s.underlay(), s.networks(), s.endpoints(), s.peers(),
        List.of(fewer, s.services().get(1), s.services().get(2))));
    assertEquals(Set.of("10.0.1.3", "10.0.1.4", "10.0.1.9"), answers(DnsClient.udp(at, DnsClient.query("tasks.web", Type.A, null))));
    assertEquals(Set.of("10.0.1.9"), answers(DnsClient.udp(at, DnsClient.query("web.4.ddd", Type.A, null))));
    assertEquals(Rcode.SERVFAIL, DnsClient.udp(at, DnsClient.query("web.3.ccc", Type.A, null)).getRcode(),
        "the removed task's name is no longer local (forwarded; no upstream here)");
  }
}
