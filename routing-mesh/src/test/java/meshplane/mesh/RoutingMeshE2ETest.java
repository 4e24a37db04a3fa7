package meshplane.mesh;

import meshplane.mesh.names.MeshNames;
import meshplane.dataplane.EndpointMode;
import meshplane.dataplane.Addresses;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import meshplane.lab.HostCommand;
import meshplane.lab.Lab;
import meshplane.lab.LabHost;
import meshplane.mesh.lb.LbMode;
import meshplane.dataplane.DataplaneState;
import meshplane.dataplane.InvalidStateException;
import meshplane.dataplane.NetworkSpec;
import meshplane.dataplane.ServiceSpec;
import meshplane.netlink.NetNamespace;
import meshplane.testkit.IpJson;
import meshplane.testkit.NftJson;
import meshplane.testkit.lab.LabExtension;
import meshplane.vxlan.VtepHost;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The routing mesh in a three-node lab with a client, nf_tables load balancer: service web has
 * tasks on node2 and node3 only and publishes tcp 8080 and udp 5353; node1 has no task of it.
 * Each test starts from the full state applied on every node (idempotent, so cheap).
 */
@Tag("e2e")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RoutingMeshE2ETest {
  @RegisterExtension
  static final LabExtension LAB = new LabExtension(3);
  static final Map<Integer, MeshReconciler> MESH = new HashMap<>();
  static final List<Process> SERVERS = new ArrayList<>();
  static final List<DatagramSocket> UDP = new ArrayList<>();
  static final List<String> BOTH = List.of("weba", "webb");

  static Lab lab() {
    return LAB.lab();
  }

  static VtepHost vtepHost(int node) throws Exception {
    LabHost h = lab().host("node" + node);
    return new VtepHost(h.namespace(), (Inet4Address) InetAddress.getByName(h.underlayAddress()), "eth0");
  }

  static String ns(String task) {
    return MeshLabStates.TASKS.stream().filter(t -> t.id().equals(task))
        .map(t -> MeshLabStates.taskNamespace(lab(), t)).findFirst().orElseThrow();
  }

  static void applyAll(List<String> webTasks) {
    for (int k = 1; k <= 3; k++) {
      MESH.get(k).apply(MeshLabStates.state(lab(), k, webTasks));
    }
  }

  @BeforeAll
  static void build() throws Exception {
    for (int k = 1; k <= 3; k++) {
      MESH.put(k, new MeshReconciler(vtepHost(k), LbMode.NFTABLES));
    }
    applyAll(BOTH);
    for (String task : BOTH) {
      SERVERS.add(HostCommand.start(ns(task), new ProcessBuilder("socat", "TCP-LISTEN:80,fork,reuseaddr",
          "SYSTEM:echo " + task + "; cat").redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)));
      UDP.add(udpResponder(ns(task), task));
    }
    Thread.sleep(300);
  }

  /**
   * A UDP server on port 53 of the task's namespace answering every datagram with the task's
   * name: a socket opened inside the namespace, served by a daemon thread (socat's
   * UDP-RECVFROM fork server was seen to drop datagrams while an earlier child still held its socket).
   */
  static DatagramSocket udpResponder(String namespace, String task) throws Exception {
    return udpResponder(namespace, 53, task);
  }

  /** The same on {@code port}, answering {@code name}. */
  static DatagramSocket udpResponder(String namespace, int port, String name) throws Exception {
    DatagramSocket socket;
    try (NetNamespace n = NetNamespace.open(namespace)) {
      socket = n.call(() -> new DatagramSocket(port));
    }
    return answerWith(socket, name);
  }

  /** Answers every datagram {@code socket} receives with {@code name}, from a daemon thread, until it is closed. */
  static DatagramSocket answerWith(DatagramSocket socket, String name) {
    Thread t = new Thread(() -> {
      byte[] buf = new byte[512];
      byte[] answer = (name + "\n").getBytes(StandardCharsets.US_ASCII);
      while (!socket.isClosed()) {
        try {
          DatagramPacket p = new DatagramPacket(buf, buf.length);
          socket.receive(p);
          socket.send(new DatagramPacket(answer, answer.length, p.getSocketAddress()));
        } catch (java.io.IOException e) {
          return; // closed
        }
      }
    }, "udp-" + name);
    t.setDaemon(true);
    t.start();
    return socket;
  }

  @AfterAll
  static void stop() {
    UDP.forEach(DatagramSocket::close);
    SERVERS.forEach(Process::destroyForcibly);
    MESH.values().forEach(MeshReconciler::close);
  }

  @BeforeEach
  void baseline() {
    applyAll(BOTH);
  }

  /** The first line a TCP server answers at {@code address:port}, asked from namespace {@code from}. */
  static String tcpAnswer(String from, String address, int port) {
    HostCommand.Result r = HostCommand.run(from, 10, List.of("sh", "-c", "echo x | socat -t3 -T3 - TCP:" + address + ":" + port));
    return r.ok() ? r.output().lines().findFirst().orElse("") : "failed: " + r.output().strip();
  }

  static String udpAnswer(String from, String address, int port) {
    HostCommand.Result r = HostCommand.run(from, 10, List.of("sh", "-c", "echo x | socat -t3 -T3 - UDP:" + address + ":" + port));
    return r.ok() ? r.output().lines().findFirst().orElse("") : "failed: " + r.output().strip();
  }

  static Map<String, Integer> spread(String from, String address, int port, int connections) {
    Map<String, Integer> seen = new HashMap<>();
    for (int i = 0; i < connections; i++) {
      seen.merge(tcpAnswer(from, address, port), 1, Integer::sum);
    }
    return seen;
  }

  @Test
  @Order(1)
  void thePublishedPortAnswersOnEveryNodeIncludingOneWithoutATask() {
    String client = lab().client().namespace();
    for (int k = 1; k <= 3; k++) {
      String answer = tcpAnswer(client, "198.18.0." + k, 8080);
      assertTrue(BOTH.contains(answer), "node" + k + ":8080 answered \"" + answer + "\"");
    }
  }

  @Test
  @Order(2)
  void connectionsAreSpreadRoundRobinOverTheBackends() {
    Map<String, Integer> seen = spread(lab().client().namespace(), "198.18.0.1", 8080, 10);
    assertEquals(Map.of("weba", 5, "webb", 5), seen, "10 connections through node1 (no local task)");
  }

  @Test
  @Order(3)
  void aUdpPublishedPortWorks() {
    String client = lab().client().namespace();
    Map<String, Integer> seen = new HashMap<>();
    for (int round = 0; round < 4; round++) {
      for (int k = 1; k <= 3; k++) {
        String answer = udpAnswer(client, "198.18.0." + k, 5353);
        assertTrue(BOTH.contains(answer), "udp node" + k + ":5353 answered \"" + answer + "\" (round " + round + ")");
        seen.merge(answer, 1, Integer::sum);
      }
    }
    assertEquals(2, seen.size(), "both backends answer UDP: " + seen);
  }

  @Test
  @Order(4)
  void theVipAnswersAndPingsFromEndpointsOnEveryNode() {
    for (String task : List.of("cli", "weba", "db1")) { // on node1, node2, node3
      String answer = tcpAnswer(ns(task), "10.0.1.2", 80);
      assertTrue(BOTH.contains(answer), task + " -> VIP 10.0.1.2:80 answered \"" + answer + "\"");
      HostCommand.Result ping = HostCommand.run(ns(task), 10, List.of("ping", "-c", "2", "-i", "0.2", "-W", "2", "10.0.1.2"));
      assertTrue(ping.ok(), task + " pings the VIP: " + ping.output());
    }
    Map<String, Integer> seen = spread(ns("cli"), "10.0.1.2", 80, 6);
    assertEquals(Map.of("weba", 3, "webb", 3), seen);
  }

  @Test
  @Order(5)
  void aDnsrrServiceGetsNoVip() throws Exception {
    String lb = MeshNames.lbSandbox(lab().host("node3").namespace(), "web");
    JsonNode routes = IpJson.ip(lb, "route", "show", "table", "local", "type", "local", "proto", "static");
    List<String> vips = new ArrayList<>();
    for (JsonNode r : routes) {
      vips.add(r.get("dst").asText());
    }
    assertEquals(List.of("10.0.1.2"), vips, "only web's VIP is held by lb_web (a local route)");
    String ruleset = NftJson.list(lb, "table", "ip", "meshplane").toString();
    assertTrue(ruleset.contains("\"web\"") && !ruleset.contains("\"db\""), "web is dispatched (its element's comment), db is not: " + ruleset);
  }

  @Test
  @Order(6)
  void aRemovedBackendGetsNoNewConnectionsWhileEstablishedOnesFinish() throws Exception {
    // hold a connection to each backend through the VIP, from cli's namespace
    List<Socket> held = new ArrayList<>();
    Map<String, Socket> byBackend = new HashMap<>();
    try (NetNamespace cli = NetNamespace.open(ns("cli"))) {
      for (int i = 0; i < 2; i++) {
        Socket s = cli.call(() -> {
          Socket x = new Socket();
          x.connect(new InetSocketAddress("10.0.1.2", 80), 3000);
          return x;
        });
        s.setSoTimeout(3000);
        held.add(s);
        byBackend.put(new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII)).readLine(), s);
      }
    }
    try {
      assertEquals(2, byBackend.size(), "two connections, one per backend: " + byBackend.keySet());
      for (int k = 1; k <= 3; k++) {
        MESH.get(k).updateService(MeshLabStates.webService(List.of("weba")));
      }
      Map<String, Integer> seen = spread(ns("cli"), "10.0.1.2", 80, 6);
      assertEquals(Map.of("weba", 6), seen, "new connections avoid the removed backend");
      Map<String, Integer> published = spread(lab().client().namespace(), "198.18.0.1", 8080, 4);
      assertEquals(Map.of("weba", 4), published);
      Socket toRemoved = byBackend.get("webb");
      OutputStream o = toRemoved.getOutputStream();
      o.write("still here\n".getBytes(StandardCharsets.US_ASCII));
      o.flush();
      String echo = new BufferedReader(new InputStreamReader(toRemoved.getInputStream(), StandardCharsets.US_ASCII)).readLine();
      assertEquals("still here", echo, "the established connection to the removed backend still works");
    } finally {
      for (Socket s : held) {
        s.close();
      }
    }
  }

  @Test
  @Order(7)
  void reapplyingChangesNothingAndShowReadsTheStateBack() throws Exception {
    for (int k = 1; k <= 3; k++) {
      ApplyReport again = MESH.get(k).apply(MeshLabStates.state(lab(), k, BOTH));
      assertTrue(again.isEmpty(), "node" + k + ": " + again.changes());
    }
    DataplaneState desired = MeshLabStates.state(lab(), 1, BOTH);
    DataplaneState seen = new ObservedState(vtepHost(1)).read();
    assertEquals(desired.networks().stream().sorted(java.util.Comparator.comparing(NetworkSpec::id)).toList(), seen.networks());
    assertEquals(new java.util.HashSet<>(desired.peers()), new java.util.HashSet<>(seen.peers()));
    ServiceSpec web = seen.services().stream().filter(s -> s.name().equals("web")).findFirst().orElseThrow();
    ServiceSpec want = desired.services().get(0);
    assertEquals(want.mark(), web.mark());
    assertEquals(want.vips(), web.vips());
    assertEquals(new java.util.HashSet<>(want.ports()), new java.util.HashSet<>(web.ports()));
    assertEquals(new java.util.HashSet<>(want.backends()), new java.util.HashSet<>(web.backends()));
  }

  @Test
  @Order(8)
  void aRestartedProcessPicksUpTheKernelStateWithoutBreakingLiveConnections() throws Exception {
    Socket s;
    try (NetNamespace cli = NetNamespace.open(ns("cli"))) {
      s = cli.call(() -> {
        Socket x = new Socket();
        x.connect(new InetSocketAddress("10.0.1.2", 80), 3000);
        return x;
      });
    }
    try (s) {
      s.setSoTimeout(3000);
      BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII));
      String backend = in.readLine();
      for (int k = 1; k <= 3; k++) {
        MESH.get(k).close();
        MESH.put(k, new MeshReconciler(vtepHost(k), LbMode.NFTABLES));
        ApplyReport again = MESH.get(k).apply(MeshLabStates.state(lab(), k, BOTH));
        assertTrue(again.isEmpty(), "a new process finds node" + k + " right: " + again.changes());
      }
      s.getOutputStream().write("after restart\n".getBytes(StandardCharsets.US_ASCII));
      assertEquals("after restart", in.readLine(), "connection to " + backend + " survived");
    }
  }

  @Test
  @Order(9)
  void badStateIsRefusedWholeAndChangesNothing() {
    String lb = MeshNames.lbSandbox(lab().host("node1").namespace(), "web");
    String before = HostCommand.run(lb, 10, List.of("nft", "list", "ruleset")).orThrow();
    DataplaneState good = MeshLabStates.state(lab(), 1, BOTH);
    ServiceSpec outside = new ServiceSpec("web", EndpointMode.VIP, 0x101, Map.of("web", Addresses.ipv4("10.9.9.9")), good.services().get(0).ports(),
        good.services().get(0).backends());
    DataplaneState bad = new DataplaneState(good.node(), good.underlay(), good.networks(), good.endpoints(), good.peers(),
        List.of(outside, good.services().get(1)));
    InvalidStateException e = assertThrows(InvalidStateException.class, () -> MESH.get(1).apply(bad));
    assertTrue(e.getMessage().contains("services[0].vips.web"), e.getMessage());
    assertEquals(before, HostCommand.run(lb, 10, List.of("nft", "list", "ruleset")).orThrow());
  }

  @Test
  @Order(10)
  void aNetworkLeftAndJoinedAgainGetsItsLbSandboxBackWithItsTable() {
    // as a node whose last task on a network goes: the network, lb_web with it; then a task comes back
    DataplaneState full = MeshLabStates.state(lab(), 1, BOTH);
    DataplaneState noWeb = new DataplaneState(full.node(), full.underlay(),
        full.networks().stream().filter(NetworkSpec::ingress).toList(),
        full.endpoints().stream().filter(e -> !e.network().equals("web")).toList(),
        full.peers().stream().filter(p -> !p.network().equals("web")).toList(),
        full.services().stream().filter(x -> !x.ports().isEmpty())
            .map(x -> new ServiceSpec(x.name(), x.endpointMode(), x.mark(), Map.of(), x.ports(), x.backendsOn("ingress"))).toList());
    String lb = MeshNames.lbSandbox(lab().host("node1").namespace(), "web");
    MESH.get(1).apply(noWeb);
    assertFalse(NetNamespace.exists(lb), lb + " goes with the network");
    MESH.get(1).apply(full);
    String table = HostCommand.run(lb, 10, List.of("nft", "list", "table", "ip", MeshNames.TABLE)).orThrow();
    assertTrue(table.contains("10.0.1.2"), "the new " + lb + " has its table, VIP mark included: " + table);
    String answer = tcpAnswer(ns("cli"), "10.0.1.2", 80);
    assertTrue(BOTH.contains(answer), "cli -> VIP 10.0.1.2:80 answered \"" + answer + "\"");
  }

  @Test
  @Order(11)
  void aPublishedPortDoesNotTakeTheNodesOwnConnectionsToOtherHosts() throws Exception {
    // a server on the published ports in the client namespace, a host that is not a node
    String client = lab().client().namespace();
    String clientIp = lab().client().underlayAddress();
    Process tcp = HostCommand.start(client, new ProcessBuilder("socat", "TCP-LISTEN:8080,fork,reuseaddr",
        "SYSTEM:echo client; cat").redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD));
    DatagramSocket udp = udpResponder(client, 5353, "client");
    // a resolver on the node's loopback, as systemd-resolved's 127.0.0.53, on a published port
    DatagramSocket resolver;
    try (NetNamespace n = NetNamespace.open(lab().host("node1").namespace())) {
      resolver = n.call(() -> new DatagramSocket(new InetSocketAddress("127.0.0.53", 5353)));
    }
    answerWith(resolver, "resolver");
    try {
      Thread.sleep(300);
      assertEquals("resolver", udpAnswer(lab().host("node1").namespace(), "127.0.0.53", 5353),
          "node1 -> its loopback 127.0.0.53:5353/udp reaches its own resolver");
      for (int k = 1; k <= 3; k++) {
        String node = lab().host("node" + k).namespace();
        assertEquals("client", tcpAnswer(node, clientIp, 8080), "node" + k + " -> " + clientIp + ":8080 reaches that host");
        assertEquals("client", udpAnswer(node, clientIp, 5353), "node" + k + " -> " + clientIp + ":5353/udp reaches that host");
        String own = tcpAnswer(node, "198.18.0." + k, 8080);
        assertTrue(BOTH.contains(own), "node" + k + " -> its own address :8080 is the published port: \"" + own + "\"");
        String fromClient = tcpAnswer(client, "198.18.0." + k, 8080);
        assertTrue(BOTH.contains(fromClient), "client -> node" + k + ":8080 is the published port: \"" + fromClient + "\"");
      }
    } finally {
      resolver.close();
      udp.close();
      tcp.destroyForcibly();
    }
    JsonNode ruleset = NftJson.ruleset(lab().host("node1").namespace());
    for (String chain : List.of("prerouting", "output")) {
      JsonNode rule = rule(ruleset, chain, "ingress");
      String exprs = rule.get("expr").toString();
      assertTrue(exprs.contains("{\"match\":{\"op\":\"==\",\"left\":{\"fib\":{\"result\":\"type\",\"flags\":[\"daddr\"]}},\"right\":\"local\"}}"),
          chain + ": fib daddr type local before the dnat: " + exprs);
    }
  }

  /** The rule of {@code chain} in table meshplane whose comment is {@code id}, from {@code nft -j}. */
  static JsonNode rule(JsonNode ruleset, String chain, String id) {
    for (JsonNode n : ruleset) {
      JsonNode r = n.get("rule");
      if (r != null && r.get("table").asText().equals(MeshNames.TABLE) && r.get("chain").asText().equals(chain)
          && id.equals(r.path("comment").asText())) {
        return r;
      }
    }
    throw new AssertionError("no rule " + id + " in chain " + chain + ": " + ruleset);
  }

  /** The packets counted by rule {@code id} of {@code chain} in the node's table (0 when there is no such rule). */
  static long counted(String namespace, String chain, String id) {
    JsonNode ruleset = NftJson.ruleset(namespace);
    boolean present = false;
    for (JsonNode n : ruleset) {
      present |= n.has("rule") && n.get("rule").get("chain").asText().equals(chain) && id.equals(n.get("rule").path("comment").asText());
    }
    if (!present) {
      return 0;
    }
    for (JsonNode e : rule(ruleset, chain, id).get("expr")) {
      if (e.has("counter")) {
        return e.get("counter").get("packets").asLong();
      }
    }
    throw new AssertionError("rule " + id + " of " + chain + " in " + namespace + " has no counter");
  }

  @Test
  @Order(12)
  void vxlanFromAHostThatIsNoPeerIsDroppedAndCountedWhilePeersStillFlow() throws Exception {
    // the attacker: the client namespace (no VTEP of any peer) sends to node1's VXLAN port frames
    // for network web (vni 4097) addressed to task cli (10.0.1.11), and malformed datagrams
    String node1 = lab().host("node1").namespace();
    String sandbox = vtepHost(1).sandboxNamespace("web");
    String vxlanDevice = String.format("mp-vx-%06x", 4097);
    byte[] frame = meshplane.testkit.VxlanDatagrams.udpFrame(4097, MeshLabStates.mac("10.0.1.11").toString(),
        "02:42:0a:00:01:63", "10.0.1.99", "10.0.1.11", 7777, "forged".getBytes(StandardCharsets.US_ASCII));
    List<byte[]> sent = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      sent.add(frame);
    }
    for (int i = 0; i < 5; i++) {
      sent.addAll(meshplane.testkit.VxlanDatagrams.malformed(frame, 0x99));
    }
    DatagramSocket listener;
    try (NetNamespace cli = NetNamespace.open(ns("cli"))) {
      listener = cli.call(() -> new DatagramSocket(7777));
    }
    try (listener) {
      listener.setSoTimeout(1500);
      long droppedBefore = counted(node1, "raw-prerouting", "vxlan-peers");
      long rxBefore = rxPackets(sandbox, vxlanDevice);
      try (NetNamespace client = NetNamespace.open(lab().client().namespace())) {
        client.run(() -> {
          try (DatagramSocket s = new DatagramSocket()) {
            for (byte[] d : sent) {
              s.send(new DatagramPacket(d, d.length, new InetSocketAddress("198.18.0.1", 4789)));
            }
          }
        });
      }
      assertThrows(java.net.SocketTimeoutException.class, () -> listener.receive(new DatagramPacket(new byte[64], 64)),
          "no forged datagram reaches task cli");
      assertEquals(rxBefore, rxPackets(sandbox, vxlanDevice), "node1's VXLAN device took in nothing (ip -j -s link)");
      long dropped = counted(node1, "raw-prerouting", "vxlan-peers") - droppedBefore;
      assertEquals(sent.size(), dropped, "every datagram from the non-peer counted and dropped (nft -j counter)");
      // the peers' own traffic on the same port: cli (node1) to db1 (node3) and to weba (node2)
      for (String to : List.of("10.0.1.32", "10.0.1.21")) {
        HostCommand.Result ping = HostCommand.run(ns("cli"), 10, List.of("ping", "-c", "2", "-i", "0.2", "-W", "2", to));
        assertTrue(ping.ok(), "cli pings " + to + " over VXLAN from a peer: " + ping.output());
      }
      assertTrue(rxPackets(sandbox, vxlanDevice) > rxBefore, "the peers' replies came in on the VXLAN device");
      assertEquals(dropped, counted(node1, "raw-prerouting", "vxlan-peers") - droppedBefore, "peers are not counted");
    }
    JsonNode peers = NftJson.list(node1, "set", "ip", MeshNames.TABLE, meshplane.mesh.lb.LbTables.OVERLAY_PEERS);
    assertTrue(peers.toString().contains("\"198.18.0.2\"") && peers.toString().contains("\"198.18.0.3\"")
        && !peers.toString().contains("198.18.0.200"), "the set is node1's peers' VTEPs: " + peers);
  }

  /** {@code rx_packets} of {@code device} in {@code namespace}, from {@code ip -j -s link}. */
  static long rxPackets(String namespace, String device) {
    return IpJson.ip(namespace, "-s", "link", "show", "dev", device).get(0).get("stats64").get("rx").get("packets").asLong();
  }

  @Test
  @Order(99)
  void resetLeavesNothing() throws Exception {
    for (int k = 1; k <= 3; k++) {
      LabHost node = lab().host("node" + k);
      MESH.get(k).reset();
      assertEquals(List.of(), NetNamespace.listWithPrefix(node.namespace() + "-"), "node" + k + "'s namespaces");
      assertEquals("", HostCommand.run(node, 10, List.of("nft", "list", "ruleset")).orThrow().strip());
      String links = HostCommand.run(node, 10, List.of("ip", "-o", "link")).orThrow();
      assertFalse(links.contains("mp-gw"), links);
    }
  }
}
