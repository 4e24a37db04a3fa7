package meshplane.ipvs;

import static meshplane.testkit.Ipvsadm.destination;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import meshplane.netlink.Errno;
import meshplane.netlink.KernelException;
import meshplane.netlink.NetNamespace;
import meshplane.testkit.Command;
import meshplane.testkit.FreshNamespaces;
import meshplane.testkit.Ipvsadm;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Every ipvs-ctl operation against a stock kernel with IPVS (the vm tier, under qemu), each test in
 * fresh namespaces, checked with {@code ipvsadm -Ln [--stats|--timeout|--thresholds]} run inside
 * the namespace. Where the kernel has no IPVS these tests fail: the vm tier exists to have one.
 */
@Tag("vm")
@ExtendWith(FreshNamespaces.class)
class IpvsVmTest {
  static final ServiceKey WEB = ServiceKey.tcp("10.0.0.2", 80);
  static final ServiceKey DNS = ServiceKey.udp("10.0.0.2", 53);
  static final ServiceKey V6 = new ServiceKey.ByAddress(Protocol.TCP, addr("fd00::2"), 443);
  static final ServiceKey MARK = ServiceKey.fwmark(0x100);

  static InetAddress addr(String ip) {
    try {
      return InetAddress.getByName(ip);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException(e);
    }
  }

  @BeforeEach
  void theKernelHasIpvs(NetNamespace ns) {
    IpvsAvailability a = Ipvs.availability(ns);
    assertTrue(a.available(), "the vm tier's kernel must have IPVS: " + a.reason());
    loUp(ns);
  }

  @Test
  void fwmarkServiceAddEditDelete(NetNamespace ns) {
    try (Ipvs ipvs = Ipvs.open(ns)) {
      ipvs.addService(IpvsService.of(MARK, "rr"));
      assertEquals(List.of("FWM 256 rr"), List.copyOf(list(ns).keySet()));
      ipvs.editService(IpvsService.of(MARK, "wrr").persistent(30));
      assertEquals(List.of("FWM 256 wrr persistent 30"), List.copyOf(list(ns).keySet()));
      assertEquals(IpvsService.of(MARK, "wrr").persistent(30), ipvs.service(MARK).orElseThrow().service());
      ipvs.editService(IpvsService.of(MARK, "rr"));
      assertEquals(List.of("FWM 256 rr"), List.copyOf(list(ns).keySet()), "flags are replaced, not added");
      ipvs.deleteService(MARK);
      assertEquals(Map.of(), list(ns));
      assertTrue(ipvs.service(MARK).isEmpty());
      KernelException gone = assertThrows(KernelException.class, () -> ipvs.deleteService(MARK));
      assertEquals("delete service fwmark 0x100 in netns " + ns.name() + " (no such service): ESRCH (No such process)",
          gone.getMessage());
    }
  }

  @Test
  void addressServicesTcpUdpAndIpv6(NetNamespace ns) {
    try (Ipvs ipvs = Ipvs.open(ns)) {
      ipvs.addService(IpvsService.of(WEB, "rr"));
      ipvs.addService(IpvsService.of(DNS, "wlc"));
      ipvs.addService(IpvsService.of(V6, "sh"));
      assertEquals(List.of("TCP 10.0.0.2:80 rr", "TCP [fd00::2]:443 sh", "UDP 10.0.0.2:53 wlc"),
          list(ns).keySet().stream().sorted().toList());
      ipvs.editService(IpvsService.of(WEB, "wlc").persistent(120));
      assertTrue(list(ns).containsKey("TCP 10.0.0.2:80 wlc persistent 120"), list(ns).keySet().toString());
      assertEquals(List.of(DNS, V6, WEB).stream().map(Object::toString).sorted().toList(),
          ipvs.services().stream().map(s -> s.service().key().toString()).sorted().toList());
      ipvs.deleteService(DNS);
      assertFalse(list(ns).keySet().stream().anyMatch(k -> k.startsWith("UDP")), list(ns).keySet().toString());
      KernelException twice = assertThrows(KernelException.class, () -> ipvs.addService(IpvsService.of(WEB, "rr")));
      assertEquals(Errno.EEXIST, twice.errno());
      KernelException sched = assertThrows(KernelException.class, () -> ipvs.addService(IpvsService.of(DNS, "xyz")));
      assertEquals("add service udp 10.0.0.2:53 in netns " + ns.name()
          + " (no scheduler or persistence engine module for \"xyz\"): ENOENT (No such file or directory)", sched.getMessage());
    }
  }

  @Test
  void destinationsWithWeightsMethodsAndThresholds(NetNamespace ns) {
    IpvsDestination masq = IpvsDestination.masquerade("10.0.1.5", 8080, 1);
    IpvsDestination heavy = IpvsDestination.masquerade("10.0.1.6", 8080, 3);
    IpvsDestination routed = new IpvsDestination(addr("10.0.1.7"), 80, ForwardingMethod.ROUTE, 2, 0, 0);
    IpvsDestination tunneled = new IpvsDestination(addr("10.0.1.8"), 80, ForwardingMethod.TUNNEL, 1, 0, 0);
    try (Ipvs ipvs = Ipvs.open(ns)) {
      ipvs.addService(IpvsService.of(WEB, "wrr"));
      ipvs.addService(IpvsService.of(MARK, "rr"));
      for (IpvsDestination d : List.of(masq, heavy, routed, tunneled)) {
        ipvs.addDestination(WEB, d);
      }
      ipvs.addDestination(MARK, IpvsDestination.masquerade("10.0.1.5", 0, 1));
      var l = list(ns);
      assertEquals(List.of("->", "10.0.1.5:8080", "Masq", "1", "0", "0"), destination(l, "TCP 10.0.0.2:80", "10.0.1.5:8080"));
      assertEquals(List.of("->", "10.0.1.6:8080", "Masq", "3", "0", "0"), destination(l, "TCP 10.0.0.2:80", "10.0.1.6:8080"));
      assertEquals(List.of("->", "10.0.1.7:80", "Route", "2", "0", "0"), destination(l, "TCP 10.0.0.2:80", "10.0.1.7:80"));
      assertEquals(List.of("->", "10.0.1.8:80", "Tunnel", "1", "0", "0"), destination(l, "TCP 10.0.0.2:80", "10.0.1.8:80"));
      assertEquals(List.of("->", "10.0.1.5:0", "Masq", "1", "0", "0"), destination(l, "FWM 256", "10.0.1.5:0"));
      assertEquals(List.of(masq, heavy, routed, tunneled).stream().map(Object::toString).sorted().toList(),
          ipvs.destinations(WEB).stream().map(d -> d.destination().toString()).sorted().toList());

      ipvs.editDestination(WEB, heavy.withWeight(0));
      IpvsDestination edited = new IpvsDestination(addr("10.0.1.5"), 8080, ForwardingMethod.MASQUERADE, 5, 100, 10);
      ipvs.editDestination(WEB, edited);
      l = list(ns);
      assertEquals("0", destination(l, "TCP 10.0.0.2:80", "10.0.1.6:8080").get(3), "drained");
      assertEquals("5", destination(l, "TCP 10.0.0.2:80", "10.0.1.5:8080").get(3));
      // -> RemoteAddress:Port Uthreshold Lthreshold ActiveConn InActConn
      assertEquals(List.of("->", "10.0.1.5:8080", "100", "10", "0", "0"),
          destination(list(ns, "--thresholds"), "TCP 10.0.0.2:80", "10.0.1.5:8080"));
      assertEquals(edited, ipvs.destinations(WEB).stream().map(DestinationWithStats::destination)
          .filter(d -> d.address().equals(addr("10.0.1.5"))).findFirst().orElseThrow());

      ipvs.deleteDestination(WEB, addr("10.0.1.7"), 80);
      assertFalse(Ipvsadm.rows(list(ns), "TCP 10.0.0.2:80").stream().anyMatch(r -> r.get(1).equals("10.0.1.7:80")));
      assertEquals(3, ipvs.destinations(WEB).size());
      KernelException missing = assertThrows(KernelException.class, () -> ipvs.deleteDestination(WEB, addr("10.0.1.7"), 80));
      assertEquals("delete destination 10.0.1.7:80 of tcp 10.0.0.2:80 in netns " + ns.name()
          + " (the service has no such destination): ENOENT (No such file or directory)", missing.getMessage());
      KernelException dup = assertThrows(KernelException.class, () -> ipvs.addDestination(WEB, masq));
      assertEquals(Errno.EEXIST, dup.errno());
      KernelException noService = assertThrows(KernelException.class, () -> ipvs.addDestination(DNS, masq));
      assertEquals(Errno.ESRCH, noService.errno());
    }
  }

  @Test
  void aDestinationNeedsALocalRoutingTable(FreshNamespaces.Namespaces namespaces) {
    NetNamespace bare = namespaces.create(NetNamespace.class); // lo down: no local table, so nothing is unicast
    try (Ipvs ipvs = Ipvs.open(bare)) {
      ipvs.addService(IpvsService.of(WEB, "rr"));
      KernelException e = assertThrows(KernelException.class,
          () -> ipvs.addDestination(WEB, IpvsDestination.masquerade("10.0.1.5", 8080, 1)));
      assertEquals(Errno.EINVAL, e.errno());
      assertTrue(e.getMessage().contains("bring lo up"), e.getMessage());
    }
  }

  @Test
  void timeoutsRoundTrip(NetNamespace ns) {
    try (Ipvs ipvs = Ipvs.open(ns)) {
      ipvs.setTimeouts(new IpvsTimeouts(901, 121, 301));
      String out = in(ns, "ipvsadm", "-Ln", "--timeout").orThrow();
      assertTrue(out.contains("Timeout (tcp tcpfin udp): 901 121 301"), out);
      assertEquals(new IpvsTimeouts(901, 121, 301), ipvs.timeouts());
      ipvs.setTimeouts(new IpvsTimeouts(0, 0, 45)); // 0 leaves a timeout as it is
      out = in(ns, "ipvsadm", "-Ln", "--timeout").orThrow();
      assertTrue(out.contains("Timeout (tcp tcpfin udp): 901 121 45"), out);
      assertEquals(new IpvsTimeouts(901, 121, 45), ipvs.timeouts());
    }
  }

  @Test
  void flushEmptiesOnlyItsOwnNamespace(NetNamespace ns, FreshNamespaces.Namespaces namespaces) {
    NetNamespace other = namespaces.create(NetNamespace.class);
    loUp(other);
    try (Ipvs ipvs = Ipvs.open(ns); Ipvs ipvs2 = Ipvs.open(other)) {
      ipvs.addService(IpvsService.of(WEB, "rr"));
      ipvs.addService(IpvsService.of(MARK, "rr"));
      ipvs.addDestination(MARK, IpvsDestination.masquerade("10.0.1.5", 0, 1));
      ipvs2.addService(IpvsService.of(WEB, "rr"));
      assertEquals(2, list(ns).size());
      ipvs.flush();
      assertEquals(Map.of(), list(ns));
      assertEquals(List.of(), ipvs.services());
      assertEquals(List.of("TCP 10.0.0.2:80 rr"), List.copyOf(list(other).keySet()), "IPVS is per namespace");
    }
  }

  /**
   * Real traffic: client -- lb -- backend over two veth pairs; lb balances tcp 10.9.1.2:80 (by
   * address) and tcp 10.9.1.2:81 (by a mark an nf_tables rule sets) to the backend by NAT. The
   * counters meshplane reads equal ipvsadm's, and a held connection shows as active in both.
   */
  @Test
  void statsOfRealConnectionsMatchIpvsadm(NetNamespace lb, FreshNamespaces.Namespaces namespaces) throws Exception {
    NetNamespace client = namespaces.create(NetNamespace.class);
    NetNamespace backend = namespaces.create(NetNamespace.class);
    wire(client, "10.9.1.1", lb, "10.9.1.2");
    wire(lb, "10.9.2.1", backend, "10.9.2.2");
    in(backend, "ip", "route", "add", "default", "via", "10.9.2.1").orThrow();
    in(lb, "sysctl", "-qw", "net.ipv4.ip_forward=1").orThrow();
    in(lb, "nft", "add table ip t; add chain ip t pre { type filter hook prerouting priority mangle; };"
        + " add rule ip t pre ip daddr 10.9.1.2 tcp dport 81 meta mark set 0x100").orThrow();
    ServiceKey byAddress = ServiceKey.tcp("10.9.1.2", 80);
    List<Process> servers = new ArrayList<>();
    try (Ipvs ipvs = Ipvs.open(lb)) {
      ipvs.addService(IpvsService.of(byAddress, "rr"));
      ipvs.addDestination(byAddress, IpvsDestination.masquerade("10.9.2.2", 8080, 1));
      ipvs.addService(IpvsService.of(MARK, "rr"));
      ipvs.addDestination(MARK, IpvsDestination.masquerade("10.9.2.2", 0, 1)); // port 0: the flow's own
      for (int port : new int[] {8080, 81}) {
        servers.add(new ProcessBuilder("ip", "netns", "exec", backend.name(), "socat", "TCP-LISTEN:" + port + ",fork,reuseaddr",
            "SYSTEM:echo backend" + port + "; cat").redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .start());
      }
      waitForListener(backend, 8080);
      waitForListener(backend, 81);
      for (int i = 0; i < 3; i++) {
        assertEquals("backend8080", ask(client, "10.9.1.2", 80));
      }
      assertEquals("backend81", ask(client, "10.9.1.2", 81), "the nf_tables mark selects the fwmark service");

      // Prot LocalAddress:Port Conns InPkts OutPkts InBytes OutBytes, once the closing packets are counted
      var stats = settled(lb);
      IpvsStats s = ipvs.service(byAddress).orElseThrow().stats();
      assertEquals(List.of("TCP", "10.9.1.2:80", "3", Long.toString(s.packetsIn()), Long.toString(s.packetsOut()),
          Long.toString(s.bytesIn()), Long.toString(s.bytesOut())), serviceLine(stats, "TCP 10.9.1.2:80"));
      assertTrue(s.packetsIn() >= 9 && s.bytesOut() > 0, s.toString());
      IpvsStats d = ipvs.destinations(byAddress).get(0).stats();
      assertEquals(List.of("->", "10.9.2.2:8080", "3", Long.toString(d.packetsIn()), Long.toString(d.packetsOut()),
          Long.toString(d.bytesIn()), Long.toString(d.bytesOut())), destination(stats, "TCP 10.9.1.2:80", "10.9.2.2:8080"));
      assertEquals("1", serviceLine(stats, "FWM 256").get(2), "ipvsadm's Conns of the fwmark service: " + stats);
      assertEquals(1, ipvs.service(MARK).orElseThrow().stats().connections(), "fwmark service: " + ipvs.service(MARK));

      Process held = new ProcessBuilder("ip", "netns", "exec", client.name(), "socat", "-T30", "-", "TCP:10.9.1.2:80")
          .redirectErrorStream(true).start();
      try {
        byte[] greeting = new byte[11];
        assertEquals(11, held.getInputStream().readNBytes(greeting, 0, 11), "backend8080 through the held connection");
        assertEquals(1, ipvs.destinations(byAddress).get(0).activeConnections());
        // -> RemoteAddress:Port Forward Weight ActiveConn InActConn
        assertEquals("1", destination(list(lb), "TCP 10.9.1.2:80", "10.9.2.2:8080").get(4), "ActiveConn");
      } finally {
        held.destroyForcibly().waitFor();
      }
    } finally {
      for (Process p : servers) {
        p.destroyForcibly().waitFor();
      }
    }
  }

  /**
   * {@code ipvsadm -Ln --stats} once it has stopped changing. The kernel (6.1) reports counters
   * that its estimator copies from per-CPU counters every 2 s, and closing packets still count,
   * so the listing must stay the same for longer than one estimator period.
   */
  private static Map<String, List<List<String>>> settled(NetNamespace ns) throws InterruptedException {
    Map<String, List<List<String>>> before = list(ns, "--stats");
    long since = System.nanoTime();
    for (long deadline = since + 30_000_000_000L; System.nanoTime() < deadline; ) {
      Thread.sleep(500);
      Map<String, List<List<String>>> now = list(ns, "--stats");
      if (!now.equals(before)) {
        before = now;
        since = System.nanoTime();
      } else if (System.nanoTime() - since > 3_000_000_000L) {
        return now;
      }
    }
    throw new AssertionError("IPVS counters still moving after 30 s: " + before);
  }

  private static List<String> serviceLine(Map<String, List<List<String>>> listing, String prefix) {
    return listing.keySet().stream().filter(k -> k.startsWith(prefix + " ")).findFirst()
        .map(k -> List.of(k.split(" "))).orElseThrow(() -> new AssertionError("no " + prefix + " in " + listing.keySet()));
  }

  /** A veth pair from {@code a} to {@code b}, a /24 address on each end, both up. */
  private static void wire(NetNamespace a, String addrA, NetNamespace b, String addrB) {
    String name = "v" + Integer.toHexString((a.name() + b.name()).hashCode() & 0xfffff);
    in(a, "ip", "link", "add", name, "type", "veth", "peer", "name", name + "p", "netns", b.name()).orThrow();
    in(a, "ip", "addr", "add", addrA + "/24", "dev", name).orThrow();
    in(a, "ip", "link", "set", name, "up").orThrow();
    in(b, "ip", "addr", "add", addrB + "/24", "dev", name + "p").orThrow();
    in(b, "ip", "link", "set", name + "p", "up").orThrow();
  }

  private static void waitForListener(NetNamespace ns, int port) throws InterruptedException {
    for (int i = 0; i < 100; i++) {
      if (in(ns, "ss", "-Hltn", "sport = :" + port).output().contains(":" + port)) {
        return;
      }
      Thread.sleep(100);
    }
    throw new AssertionError("nothing listens on " + port + " in " + ns.name());
  }

  private static String ask(NetNamespace from, String address, int port) {
    Command.Result r = in(from, "sh", "-c", "echo x | socat -T5 - TCP:" + address + ":" + port);
    return r.ok() ? r.output().lines().findFirst().orElse("") : "failed: " + r.output().strip();
  }

  /** The witness: {@code ipvsadm -Ln EXTRA...} inside {@code ns}, parsed by testkit's {@link Ipvsadm}. */
  private static Map<String, List<List<String>>> list(NetNamespace ns, String... extra) {
    return Ipvsadm.list(ns.name(), extra);
  }

  /** {@code argv} run inside {@code ns} ({@code ip netns exec}), bounded to 30 s. */
  private static Command.Result in(NetNamespace ns, String... argv) {
    return Command.inNamespace(ns.name(), 30, argv);
  }

  /** Brings lo up: IPVS refuses destinations while a namespace has no local routing table. */
  private static void loUp(NetNamespace ns) {
    in(ns, "ip", "link", "set", "lo", "up").orThrow();
  }
}
