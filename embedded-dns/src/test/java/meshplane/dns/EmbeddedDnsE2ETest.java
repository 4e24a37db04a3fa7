package meshplane.dns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import meshplane.lab.HostCommand;
import meshplane.dataplane.BackendSpec;
import meshplane.dataplane.DataplaneState;
import meshplane.dataplane.ServiceSpec;
import meshplane.netlink.NetNamespace;
import meshplane.testkit.lab.LabExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import meshplane.dataplane.Addresses;
import java.util.Optional;

/**
 * The embedded DNS on a one-node lab, asked by real clients from inside task namespaces: dig
 * (UDP, +tcp), the glibc resolver ({@code getent hosts}, through a resolv.conf naming
 * 127.0.0.11, bind-mounted by {@code ip netns exec} as Docker does) and busybox nslookup. The
 * forwarder leaves from node1's namespace; its upstreams are a dead address on the lab underlay
 * and dnsmasq on the lab's client host, so nothing leaves the lab.
 */
@Tag("e2e")
class EmbeddedDnsE2ETest {
  @RegisterExtension static final LabExtension LAB = new LabExtension(1);
  private static DnsServer server;
  private static Process dnsmasq;
  private static String prefix;
  private static String nsA;
  private static String nsB;

  @BeforeAll
  static void start() throws Exception {
    String node = LAB.lab().host("node1").namespace();
    prefix = node;
    nsA = prefix + "-a";
    nsB = prefix + "-b";
    NetNamespace.create(nsA).close();
    NetNamespace.create(nsB).close();
    for (String ns : List.of(nsA, nsB)) {
      Path dir = Path.of("/etc/netns", ns);
      Files.createDirectories(dir);
      Files.writeString(dir.resolve("resolv.conf"), "nameserver 127.0.0.11\noptions timeout:2 attempts:1\n");
    }
    dnsmasq = LabDnsmasq.start(LAB.lab().client());
    Thread.sleep(300);
    List<InetSocketAddress> upstreams = List.of(new InetSocketAddress(InetAddress.getByName("198.18.0.77"), 53),
        new InetSocketAddress(InetAddress.getByName(LAB.lab().client().underlayAddress()), 53));
    DnsConfig c = DnsConfig.defaults(upstreams).withUpstreamTimeout(Duration.ofMillis(500));
    try (NetNamespace nodeNs = NetNamespace.open(node)) {
      server = DnsServer.start(c, nodeNs);
    }
    DnsApplyReport r = server.apply(DnsStates.valid(prefix, 100));
    assertEquals(List.of(nsA, nsB), r.opened(), r.toString());
  }

  @AfterAll
  static void stop() throws IOException {
    if (server != null) {
      server.close();
    }
    if (dnsmasq != null) {
      dnsmasq.destroy();
    }
    for (String ns : new String[] {nsA, nsB}) {
      if (ns != null) {
        Files.deleteIfExists(Path.of("/etc/netns", ns, "resolv.conf"));
        Files.deleteIfExists(Path.of("/etc/netns", ns));
      }
    }
  }

  private static String in(String ns, String... argv) {
    return HostCommand.run(ns, 20, List.of(argv)).orThrow();
  }

  @Test
  void digOverUdpAndTcp() {
    assertEquals(Set.of("10.0.1.2"), DigAnswers.of(in(nsA, "dig", "+short", "@127.0.0.11", "web")));
    assertEquals(Set.of("10.0.1.2"), DigAnswers.of(in(nsA, "dig", "+short", "+tcp", "@127.0.0.11", "web")));
    assertEquals(Set.of("10.0.1.3", "10.0.1.4", "10.0.1.5"), DigAnswers.of(in(nsA, "dig", "+short", "@127.0.0.11", "tasks.web")));
    assertEquals(Set.of("10.0.1.4"), DigAnswers.of(in(nsA, "dig", "+short", "@127.0.0.11", "web.2.bbb")));
    assertEquals(Set.of("10.0.1.3"), DigAnswers.of(in(nsB, "dig", "+short", "@127.0.0.11", "-q", "a")));
    assertEquals(Set.of("web."), DigAnswers.of(in(nsA, "dig", "+short", "@127.0.0.11", "-x", "10.0.1.2")));
    assertEquals(Set.of("0 10 80 web."), DigAnswers.of(in(nsA, "dig", "+short", "@127.0.0.11", "SRV", "_tcp.web")));
  }

  @Test
  void aaaaOfAServiceIsNoDataNotNxdomain() {
    String out = in(nsA, "dig", "@127.0.0.11", "AAAA", "web");
    assertTrue(out.contains("status: NOERROR") && out.contains("ANSWER: 0"), out);
    String nx = in(nsA, "dig", "@127.0.0.11", "-x", "10.0.1.99");
    assertTrue(nx.contains("status: NXDOMAIN"), nx);
  }

  @Test
  void answersAreScopedToTheAskersNetworks() {
    assertEquals(Set.of("10.0.2.3", "10.0.2.4"), DigAnswers.of(in(nsB, "dig", "+short", "@127.0.0.11", "db")));
    String fromA = in(nsA, "dig", "@127.0.0.11", "db");
    assertFalse(fromA.contains("10.0.2."), "a is not on network db: " + fromA);
  }

  @Test
  void bigAnswerTruncatedOverUdpThenWholeOverTcp() {
    String udp = in(nsA, "dig", "+noedns", "+ignore", "@127.0.0.11", "tasks.big");
    assertTrue(udp.contains(" tc"), udp);
    assertEquals(100, DigAnswers.of(in(nsA, "dig", "+short", "+noedns", "@127.0.0.11", "tasks.big")).size(),
        "dig retries over TCP on TC and gets all 100");
  }

  @Test
  void glibcResolverThroughResolvConf() {
    String out = HostCommand.run(nsA, 20, List.of("ip", "netns", "exec", nsA, "getent", "hosts", "web")).orThrow();
    assertTrue(out.startsWith("10.0.1.2"), out);
    String task = HostCommand.run(nsA, 20, List.of("ip", "netns", "exec", nsA, "getent", "hosts", "web.3.ccc")).orThrow();
    assertTrue(task.contains("10.0.1.5"), task);
  }

  @Test
  void busyboxNslookup() {
    String out = in(nsB, "busybox", "nslookup", "db", "127.0.0.11");
    assertTrue(out.contains("10.0.2.3") && out.contains("10.0.2.4"), out);
  }

  @Test
  void forwardsPastADeadUpstream() {
    assertEquals(Set.of("192.0.2.7"), DigAnswers.of(in(nsA, "dig", "+short", "+tries=1", "+time=3", "@127.0.0.11", "www.example.test")));
    assertEquals(Set.of("192.0.2.7"), DigAnswers.of(in(nsA, "dig", "+short", "+tcp", "+tries=1", "+time=3", "@127.0.0.11", "ftp.example.test")));
    assertTrue(server.counters().snapshot().get("upstreamAnswers") >= 2);
  }

  @Test
  void recordsFollowTheStateAtOnce() throws Exception {
    DataplaneState s = DnsStates.valid(prefix, 100);
    ServiceSpec web = s.services().get(0);
    List<BackendSpec> be = new ArrayList<>(web.backends().subList(0, 2));
    be.add(new BackendSpec("web", Addresses.ipv4("10.0.1.9"), Optional.of("web.4.ddd")));
    List<ServiceSpec> svcs = new ArrayList<>(s.services());
    svcs.set(0, new ServiceSpec(web.name(), web.endpointMode(), web.mark(), web.vips(), web.ports(), be));
    try {
      server.apply(new DataplaneState(s.node(), s.underlay(), s.networks(), s.endpoints(), s.peers(), svcs));
      assertEquals(Set.of("10.0.1.3", "10.0.1.4", "10.0.1.9"), DigAnswers.of(in(nsA, "dig", "+short", "@127.0.0.11", "tasks.web")));
      assertEquals(Set.of("10.0.1.9"), DigAnswers.of(in(nsA, "dig", "+short", "@127.0.0.11", "web.4.ddd")));
    } finally {
      server.apply(s);
    }
  }

  @Test
  void aNamespaceLeavingTheStateLosesItsListener() throws Exception {
    DataplaneState s = DnsStates.valid(prefix, 100);
    try {
      DnsApplyReport r = server.apply(new DataplaneState(s.node(), s.underlay(), s.networks(),
          s.endpoints().subList(0, 1), s.peers(), s.services()));
      assertEquals(List.of(nsB), r.closed());
      HostCommand.Result dig = HostCommand.run(nsB, 20, List.of("dig", "+tries=1", "+time=1", "@127.0.0.11", "web"));
      assertFalse(dig.ok(), dig.output());
    } finally {
      assertEquals(List.of(nsB), server.apply(s).opened());
    }
    TimeUnit.MILLISECONDS.sleep(1);
  }
}
