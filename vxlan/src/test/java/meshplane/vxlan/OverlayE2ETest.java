package meshplane.vxlan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import meshplane.lab.HostCommand;
import meshplane.lab.Lab;
import meshplane.lab.LabHost;
import meshplane.netlink.IpPrefix;
import meshplane.netlink.MacAddress;
import meshplane.netlink.NetNamespace;
import meshplane.testkit.BridgeJson;
import meshplane.testkit.Command;
import meshplane.testkit.IpJson;
import meshplane.testkit.lab.LabExtension;
import meshplane.vxlan.driver.OverlayDriver;
import meshplane.nettyio.TransportChoice;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Three nodes, two overlay networks on the same subnet: node1 and node3 carry them with the
 * kernel VTEP, node2 with the userspace VTEP. Each node has one endpoint on each network:
 * red 10.10.0.1K, blue 10.10.0.2K on node K.
 */
@Tag("e2e")
class OverlayE2ETest {
  @RegisterExtension
  static final LabExtension LAB = new LabExtension(3);

  static final OverlayNetwork RED = OverlayNetwork.of("red", 4097, "10.10.0.0/24", "10.10.0.1");
  static final OverlayNetwork BLUE = OverlayNetwork.of("blue", 4098, "10.10.0.0/24", "10.10.0.1");
  static final Map<String, OverlayDriver> DRIVERS = new HashMap<>();
  static final Map<String, Endpoint> ENDPOINTS = new HashMap<>();

  static Lab lab() {
    return LAB.lab();
  }

  static VtepHost vtepHost(LabHost h) throws Exception {
    return new VtepHost(h.namespace(), (Inet4Address) InetAddress.getByName(h.underlayAddress()), "eth0");
  }

  static String ip(OverlayNetwork net, int node) {
    return "10.10.0." + ((net == RED ? 10 : 20) + node);
  }

  static Endpoint endpoint(OverlayNetwork net, int node) {
    return ENDPOINTS.get(net.id() + node);
  }

  @BeforeAll
  static void buildOverlays() throws Exception {
    for (int k = 1; k <= 3; k++) {
      LabHost h = lab().host("node" + k);
      VtepKind kind = k == 2 ? VtepKind.USERSPACE : VtepKind.KERNEL;
      OverlayDriver d = new OverlayDriver(vtepHost(h), kind, TransportChoice.AUTO);
      DRIVERS.put("node" + k, d);
      for (OverlayNetwork net : List.of(RED, BLUE)) {
        d.ensureNetwork(net);
        String ns = h.namespace() + "-" + net.id();
        NetNamespace.create(ns).close();
        String last = Integer.toHexString(Integer.parseInt(ip(net, k).substring(8)));
        Endpoint ep = new Endpoint(net.id() + k, net.id(), IpPrefix.parse(ip(net, k) + "/24"),
            MacAddress.parse("02:42:0a:0a:00:" + (last.length() == 1 ? "0" + last : last)), ns, "eth0");
        d.attach(ep);
        ENDPOINTS.put(net.id() + k, ep);
      }
    }
    for (int k = 1; k <= 3; k++) {
      for (OverlayNetwork net : List.of(RED, BLUE)) {
        DRIVERS.get("node" + k).setPeers(net.id(), remotePeers(net, k));
      }
    }
  }

  /** Every endpoint of {@code net} on a node other than {@code node}, behind its node's VTEP. */
  static List<Peer> remotePeers(OverlayNetwork net, int node) throws Exception {
    List<Peer> out = new ArrayList<>();
    for (int k = 1; k <= 3; k++) {
      if (k != node) {
        out.add(endpoint(net, k).asPeer(DRIVERS.get("node" + k).host().underlay()));
      }
    }
    return out;
  }

  @AfterAll
  static void stopUserspace() {
    DRIVERS.values().forEach(OverlayDriver::close);
  }

  static HostCommand.Result in(Endpoint ep, String... argv) {
    return HostCommand.run(ep.namespace(), 30, List.of(argv));
  }

  static boolean pings(Endpoint from, String to) {
    return in(from, "ping", "-c", "2", "-i", "0.2", "-W", "2", to).ok();
  }

  /** A TCP echo over the overlay with socat: the server in {@code server}, the client in {@code client}. */
  static void tcpEcho(Endpoint client, Endpoint server, int port) throws Exception {
    Process srv = HostCommand.start(server.namespace(),
        new ProcessBuilder("socat", "TCP-LISTEN:" + port + ",reuseaddr", "EXEC:cat").redirectErrorStream(true));
    try {
      String text = "hello over " + client.id() + " to " + server.id();
      HostCommand.Result r = null;
      for (int attempt = 0; attempt < 20; attempt++) {
        r = in(client, "sh", "-c", "echo '" + text + "' | socat -T2 - TCP:" + server.address().address().getHostAddress() + ":" + port);
        if (r.ok() && r.output().contains(text)) {
          return;
        }
        Thread.sleep(100);
      }
      throw new AssertionError("TCP echo " + client.id() + " -> " + server.id() + ": " + r.output());
    } finally {
      srv.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
    }
  }

  @Test
  void kernelToKernelPingAndTcp() throws Exception {
    assertTrue(pings(endpoint(RED, 1), ip(RED, 3)));
    assertTrue(pings(endpoint(BLUE, 3), ip(BLUE, 1)));
    tcpEcho(endpoint(RED, 1), endpoint(RED, 3), 7001);
    tcpEcho(endpoint(BLUE, 3), endpoint(BLUE, 1), 7002);
  }

  @Test
  void kernelAndUserspaceInteroperateBothWays() throws Exception {
    assertTrue(pings(endpoint(RED, 1), ip(RED, 2)), "kernel node1 -> userspace node2");
    assertTrue(pings(endpoint(RED, 2), ip(RED, 1)), "userspace node2 -> kernel node1");
    assertTrue(pings(endpoint(BLUE, 2), ip(BLUE, 3)), "userspace node2 -> kernel node3 on blue");
    tcpEcho(endpoint(RED, 1), endpoint(RED, 2), 7003);
    tcpEcho(endpoint(RED, 2), endpoint(RED, 1), 7004);
    tcpEcho(endpoint(BLUE, 3), endpoint(BLUE, 2), 7005);
  }

  @Test
  void networksAreIsolatedEvenOnTheSameSubnet() {
    assertTrue(pings(endpoint(RED, 1), ip(RED, 3)), "control: red reaches red");
    assertFalse(pings(endpoint(RED, 1), ip(BLUE, 3)), "red on node1 must not reach blue on node3");
    assertFalse(pings(endpoint(RED, 1), ip(BLUE, 1)), "red on node1 must not reach blue on node1");
    assertFalse(pings(endpoint(BLUE, 2), ip(RED, 1)), "blue on node2 (userspace) must not reach red on node1");
    assertFalse(pings(endpoint(RED, 3), ip(BLUE, 2)), "red on node3 must not reach blue on node2 (userspace)");
  }

  @Test
  void theWireCarriesUdp4789WithTheVniAndTheInnerAddresses() throws Exception {
    LabHost node3 = lab().host("node3");
    Process dump = HostCommand.start(node3, new ProcessBuilder("tcpdump", "-i", "eth0", "-nn", "-l", "-c", "2",
        "udp dst port 4789").redirectErrorStream(true));
    try {
      Thread.sleep(700); // tcpdump has opened its socket
      in(endpoint(RED, 1), "ping", "-c", "3", "-i", "0.2", "-W", "2", ip(RED, 3));
      Command.Result r = Command.await(dump, List.of("tcpdump on node3"), 10);
      assertTrue(r.output().contains("198.18.0.1.") && r.output().contains("> 198.18.0.3.4789: VXLAN"), r.output());
      assertTrue(r.output().contains("vni 4097"), r.output());
      assertTrue(r.output().contains("10.10.0.11 > 10.10.0.13: ICMP echo request"), r.output());
    } finally {
      dump.destroyForcibly();
    }
  }

  @Test
  void dfPacketsUpToTheMtuPassAndLargerOnesFailCleanly() {
    for (int node : new int[] {2, 3}) {
      HostCommand.Result fits = in(endpoint(RED, 1), "ping", "-M", "do", "-s", "1422", "-c", "2", "-i", "0.2", "-W", "2", ip(RED, node));
      assertTrue(fits.ok() && fits.output().contains("1430 bytes from"), "1422-byte payload to node" + node + ": " + fits.output());
      HostCommand.Result big = in(endpoint(RED, 1), "ping", "-M", "do", "-s", "1423", "-c", "1", "-W", "2", ip(RED, node));
      assertFalse(big.ok());
      assertTrue(big.output().contains("message too long, mtu=1450"), big.output());
    }
  }

  @Test
  void theKernelVtepIsProgrammedAsDockerDoes() throws Exception {
    String sandbox = lab().host("node1").namespace() + "-ov-red";
    JsonNode link = IpJson.ip(sandbox, "link", "show", "mp-vx-001001").get(0);
    JsonNode data = link.path("linkinfo").path("info_data");
    assertEquals(4097, data.path("id").asInt());
    assertEquals(4789, data.path("port").asInt());
    assertEquals("198.18.0.1", data.path("local").asText());
    assertFalse(data.path("learning").asBoolean(true));
    assertTrue(data.path("proxy").asBoolean(false));
    assertTrue(data.path("group").isMissingNode() && data.path("remote").isMissingNode(), "no multicast group, no default remote");
    assertEquals(1450, link.path("mtu").asInt());
    assertEquals("mp-br0", link.path("master").asText());

    JsonNode fdb = BridgeJson.fdb(sandbox, "dev", "mp-vx-001001");
    Map<String, String> dst = new HashMap<>();
    for (JsonNode e : fdb) {
      if (e.has("dst")) {
        dst.put(e.path("mac").asText(), e.path("dst").asText());
      }
    }
    assertEquals(Map.of(endpoint(RED, 2).mac().toString(), "198.18.0.2", endpoint(RED, 3).mac().toString(), "198.18.0.3"), dst,
        "exactly one static entry per remote endpoint, no flooding entry: " + fdb);
    String neigh = Command.run("ip", "-n", sandbox, "neigh", "show", "dev", "mp-vx-001001").orThrow();
    assertTrue(neigh.contains(ip(RED, 2) + " lladdr " + endpoint(RED, 2).mac() + " PERMANENT"), neigh);
    assertTrue(neigh.contains(ip(RED, 3) + " lladdr " + endpoint(RED, 3).mac() + " PERMANENT"), neigh);
    String eth0 = Command.run("ip", "-n", endpoint(RED, 1).namespace(), "-br", "addr", "show", "eth0").orThrow();
    assertTrue(eth0.contains("10.10.0.11/24"), eth0);
  }

  /** What identifies the sandbox's links and their settings, without the bridge's running timers. */
  static List<String> linkIdentity(String ns) throws Exception {
    List<String> out = new ArrayList<>();
    for (JsonNode l : IpJson.ip(ns, "link", "show")) {
      JsonNode kind = l.path("linkinfo").path("info_kind");
      out.add(l.path("ifindex").asInt() + " " + l.path("ifname").asText() + " mtu " + l.path("mtu").asInt()
          + " master " + l.path("master").asText("-") + " " + l.path("address").asText() + " " + l.path("flags")
          + " " + kind.asText() + (kind.asText().equals("vxlan") ? " " + l.path("linkinfo").path("info_data") : ""));
    }
    return out;
  }

  @Test
  void runningAgainChangesNothing() throws Exception {
    String sandbox = lab().host("node1").namespace() + "-ov-red";
    List<String> before = linkIdentity(sandbox);
    String fdbBefore = Command.run("bridge", "-n", sandbox, "fdb", "show", "dev", "mp-vx-001001").orThrow();
    OverlayDriver d = DRIVERS.get("node1");
    d.ensureNetwork(RED);
    d.attach(endpoint(RED, 1));
    assertTrue(d.setPeers("red", remotePeers(RED, 1)).isEmpty());
    assertEquals(before, linkIdentity(sandbox));
    assertEquals(fdbBefore, Command.run("bridge", "-n", sandbox, "fdb", "show", "dev", "mp-vx-001001").orThrow());

    // A fresh driver (a restarted agent) reads the kernel and finds nothing to do either.
    try (OverlayDriver restarted = new OverlayDriver(d.host(), VtepKind.KERNEL, TransportChoice.AUTO)) {
      restarted.ensureNetwork(RED);
      assertTrue(restarted.setPeers("red", remotePeers(RED, 1)).isEmpty());
    }
    assertEquals(before, linkIdentity(sandbox));
  }

  @Test
  void peersAreRemovedAndRepointedIncrementally() throws Exception {
    OverlayDriver node1 = DRIVERS.get("node1");
    String sandbox = lab().host("node1").namespace() + "-ov-red";
    Peer red3 = endpoint(RED, 3).asPeer(DRIVERS.get("node3").host().underlay());
    Peer red2 = endpoint(RED, 2).asPeer(DRIVERS.get("node2").host().underlay());
    try {
      // Removed: red3 is no longer reachable from node1; red2 still is.
      assertEquals(List.of(new PeerChange.Remove(red3)), node1.setPeers("red", List.of(red2)));
      assertFalse(pings(endpoint(RED, 1), ip(RED, 3)));
      assertTrue(pings(endpoint(RED, 1), ip(RED, 2)));

      // Re-pointed to the wrong host: the FDB entry moves, only that one.
      Peer wrong = new Peer("red", red3.ip(), red3.mac(), DRIVERS.get("node2").host().underlay());
      node1.setPeers("red", List.of(red2, wrong));
      String fdb = Command.run("bridge", "-n", sandbox, "fdb", "show", "dev", "mp-vx-001001").orThrow();
      assertTrue(fdb.contains(red3.mac() + " dst 198.18.0.2"), fdb);
      assertTrue(fdb.contains(red2.mac() + " dst 198.18.0.2"), fdb);
      assertFalse(pings(endpoint(RED, 1), ip(RED, 3)), "node2 has no such endpoint");

      // Re-pointed back: reachable again.
      assertEquals(List.of(new PeerChange.Repoint(wrong, red3)), node1.setPeers("red", List.of(red2, red3)));
      assertTrue(pings(endpoint(RED, 1), ip(RED, 3)));

      // The same on the userspace VTEP.
      OverlayDriver node2 = DRIVERS.get("node2");
      Peer red1 = endpoint(RED, 1).asPeer(DRIVERS.get("node1").host().underlay());
      node2.setPeers("red", List.of(red3));
      assertFalse(pings(endpoint(RED, 2), ip(RED, 1)));
      node2.setPeers("red", List.of(red1, red3));
      assertTrue(pings(endpoint(RED, 2), ip(RED, 1)));
    } finally {
      node1.setPeers("red", remotePeers(RED, 1));
      DRIVERS.get("node2").setPeers("red", remotePeers(RED, 2));
    }
  }

  /** Sends, from the client namespace to node2's VXLAN port, {@code forged} copies of {@code frame}, then {@code malformed}. */
  static void attack(byte[] frame, int forged, List<byte[]> malformed) {
    try (NetNamespace client = NetNamespace.open(lab().client().namespace())) {
      client.run(() -> {
        try (java.net.DatagramSocket s = new java.net.DatagramSocket()) {
          java.net.InetSocketAddress node2 = new java.net.InetSocketAddress(lab().host("node2").underlayAddress(), 4789);
          for (int i = 0; i < forged; i++) {
            s.send(new java.net.DatagramPacket(frame, frame.length, node2));
          }
          for (byte[] d : malformed) {
            s.send(new java.net.DatagramPacket(d, d.length, node2));
          }
        }
      });
    }
  }

  @Test
  void theUserspaceVtepDropsAndCountsWhatANonPeerSendsAndMalformedDatagrams() throws Exception {
    // the attacker: the client namespace (198.18.0.200, no peer's VTEP) sends node2's userspace
    // VTEP frames for red (vni 4097) addressed to red2's endpoint, and malformed datagrams
    Endpoint red2 = endpoint(RED, 2);
    byte[] frame = meshplane.testkit.VxlanDatagrams.udpFrame(RED.vni(), red2.mac().toString(), "02:42:0a:0a:00:63",
        "10.10.0.99", ip(RED, 2), 7777, "forged".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    int forged = 20;
    List<byte[]> malformed = meshplane.testkit.VxlanDatagrams.malformed(frame, 0x99);
    meshplane.vxlan.userspace.UserspaceVtep vtep = DRIVERS.get("node2").userspace().orElseThrow();
    java.net.DatagramSocket listener;
    try (NetNamespace ns = NetNamespace.open(red2.namespace())) {
      listener = ns.call(() -> new java.net.DatagramSocket(7777));
    }
    try (listener) {
      listener.setSoTimeout(1500);
      meshplane.vxlan.userspace.VtepCounters before = vtep.counters();
      // the independent witness: tcpdump on red2's eth0 for the forged frames' source MAC
      Process dump = HostCommand.start(red2.namespace(), new ProcessBuilder("timeout", "4", "tcpdump", "-i", "eth0", "-nn",
          "-l", "ether src 02:42:0a:0a:00:63").redirectErrorStream(true));
      Command.Result seen;
      try {
        Thread.sleep(700); // tcpdump has opened its socket
        attack(frame, forged, malformed);
        org.junit.jupiter.api.Assertions.assertThrows(java.net.SocketTimeoutException.class,
            () -> listener.receive(new java.net.DatagramPacket(new byte[64], 64)), "no forged datagram reaches red2");
        seen = Command.await(dump, List.of("tcpdump in " + red2.namespace()), 10);
      } finally {
        dump.destroyForcibly();
      }
      assertTrue(seen.output().contains("0 packets captured"), "red2's eth0 saw no forged frame: " + seen.output());
      meshplane.vxlan.userspace.VtepCounters after = vtep.counters();
      assertEquals(forged, after.droppedNotPeer() - before.droppedNotPeer(), after.toString());
      assertEquals(3, after.droppedMalformed() - before.droppedMalformed(), "short, header only, no I flag: " + after);
      assertEquals(1, after.droppedForeignVni() - before.droppedForeignVni(), after.toString());
      assertEquals(before.rxFramesToTap(), after.rxFramesToTap(), after.toString());
      // the peers' own traffic: kernel node1 and node3 to userspace node2, and back
      assertTrue(pings(endpoint(RED, 1), ip(RED, 2)), "kernel node1 -> userspace node2 after the attack");
      assertTrue(pings(endpoint(RED, 3), ip(RED, 2)), "kernel node3 -> userspace node2 after the attack");
      meshplane.vxlan.userspace.VtepCounters end = vtep.counters();
      assertTrue(end.rxFramesToTap() > after.rxFramesToTap(), end.toString());
      assertEquals(after.droppedNotPeer(), end.droppedNotPeer(), "peers are not dropped: " + end);
      System.out.println("userspace VTEP after the attack and the pings: " + end);
    }
  }
}
