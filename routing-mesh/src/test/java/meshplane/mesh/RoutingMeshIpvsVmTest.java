package meshplane.mesh;

import meshplane.mesh.names.MeshNames;
import static meshplane.mesh.RoutingMeshE2ETest.BOTH;
import static meshplane.mesh.RoutingMeshE2ETest.spread;
import static meshplane.mesh.RoutingMeshE2ETest.tcpAnswer;
import static meshplane.mesh.RoutingMeshE2ETest.udpAnswer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
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
import meshplane.dataplane.ServiceSpec;
import meshplane.dataplane.DataplaneState;
import meshplane.netlink.NetNamespace;
import meshplane.testkit.Ipvsadm;
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
 * The routing mesh with the IPVS load balancer, in the same three-node lab and states as
 * {@link RoutingMeshE2ETest}, on the vm tier's stock kernel (under qemu). nf_tables marks the
 * flows (published port in ingress_sbox, VIP in lb_web) and IPVS balances them round robin over
 * firewall-mark services; every claim is witnessed with {@code ipvsadm -Ln [--stats]} inside the
 * sandbox namespaces and with {@code nft}, never read back through meshplane.
 */
@Tag("vm")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RoutingMeshIpvsVmTest {
  @RegisterExtension
  static final LabExtension LAB = new LabExtension(3);
  static final Map<Integer, MeshReconciler> MESH = new HashMap<>();
  static final List<Process> SERVERS = new ArrayList<>();
  static final int WEB_MARK = 0x101;

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

  static String ingressSbox(int node) {
    return MeshNames.ingressSandbox(lab().host("node" + node).namespace());
  }

  static String lbWeb(int node) {
    return MeshNames.lbSandbox(lab().host("node" + node).namespace(), "web");
  }

  static void applyAll(List<String> webTasks) {
    for (int k = 1; k <= 3; k++) {
      MESH.get(k).apply(MeshLabStates.state(lab(), k, webTasks));
    }
  }

  static LbMode auto(int node) {
    try (NetNamespace n = NetNamespace.open(lab().host("node" + node).namespace())) {
      return LbMode.AUTO.resolve(n);
    }
  }

  @BeforeAll
  static void build() throws Exception {
    // the reconcilers are built the way meshctl --lb auto builds them
    for (int k = 1; k <= 3; k++) {
      MESH.put(k, new MeshReconciler(vtepHost(k), auto(k)));
    }
    applyAll(BOTH);
    for (String task : BOTH) {
      SERVERS.add(HostCommand.start(ns(task), new ProcessBuilder("socat", "TCP-LISTEN:80,fork,reuseaddr",
          "SYSTEM:echo " + task + "; cat").redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)));
      SERVERS.add(HostCommand.start(ns(task), new ProcessBuilder("socat", "UDP-RECVFROM:53,fork",
          "SYSTEM:echo " + task).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)));
    }
    Thread.sleep(500);
  }

  @AfterAll
  static void stop() {
    SERVERS.forEach(Process::destroyForcibly);
    MESH.values().forEach(MeshReconciler::close);
  }

  @BeforeEach
  void baseline() {
    applyAll(BOTH);
  }

  @Test
  @Order(1)
  void autoPicksIpvsAndTheSandboxesHoldFwmarkServices() {
    for (int k = 1; k <= 3; k++) {
      assertEquals(LbMode.IPVS, auto(k), "--lb auto on node" + k);
      // ingress_sbox balances over the tasks' ingress addresses, lb_web over their web addresses; port 0 keeps the flow's
      assertEquals(Map.of("10.255.0.21:0", List.of("->", "10.255.0.21:0", "Masq", "1"),
              "10.255.0.31:0", List.of("->", "10.255.0.31:0", "Masq", "1")),
          configOnly(Ipvsadm.fwmarkDestinations(ingressSbox(k), WEB_MARK)), "node" + k + " ingress_sbox");
      assertEquals(Map.of("10.0.1.21:0", List.of("->", "10.0.1.21:0", "Masq", "1"),
              "10.0.1.31:0", List.of("->", "10.0.1.31:0", "Masq", "1")),
          configOnly(Ipvsadm.fwmarkDestinations(lbWeb(k), WEB_MARK)), "node" + k + " lb_web");
      assertTrue(Ipvsadm.list(lbWeb(k)).containsKey("FWM " + WEB_MARK + " rr"), "round robin");
      // the marks come from nf_tables; there are no backend maps (IPVS balances)
      String lbTable = HostCommand.run(lbWeb(k), 10, List.of("nft", "list", "table", "ip", "meshplane")).orThrow();
      assertTrue(lbTable.contains("10.0.1.2 : 0x00000101") && !lbTable.contains("backends"), lbTable);
      String ingressTable = HostCommand.run(ingressSbox(k), 10, List.of("nft", "list", "table", "ip", "meshplane")).orThrow();
      assertTrue(ingressTable.contains("tcp . 8080 : 0x00000101") && ingressTable.contains("tcp . 8080 : 172.18.0.2 . 80"),
          ingressTable);
    }
  }

  @Test
  @Order(2)
  void thePublishedPortIsBalancedRoundRobinByIpvsOnEveryNode() {
    String client = lab().client().namespace();
    for (int k = 1; k <= 3; k++) {
      Map<String, Long> before = settledConnections(ingressSbox(k), WEB_MARK);
      Map<String, Integer> seen = spread(client, "198.18.0." + k, 8080, 4);
      assertEquals(Map.of("weba", 2, "webb", 2), seen, "4 connections to node" + k + ":8080");
      assertEquals(Map.of("10.255.0.21:0", 2L, "10.255.0.31:0", 2L), newConnections(ingressSbox(k), before, 4),
          "ipvsadm --stats Conns in node" + k + "'s ingress_sbox");
    }
  }

  @Test
  @Order(3)
  void aUdpPublishedPortGoesThroughIpvs() {
    String client = lab().client().namespace();
    Map<String, Long> before = settledConnections(ingressSbox(1), WEB_MARK);
    for (int i = 0; i < 2; i++) {
      String answer = udpAnswer(client, "198.18.0.1", 5353);
      assertTrue(BOTH.contains(answer), "udp node1:5353 answered \"" + answer + "\"");
    }
    long total = newConnections(ingressSbox(1), before, 2).values().stream().mapToLong(Long::longValue).sum();
    assertEquals(2, total, "two UDP flows scheduled by IPVS");
  }

  @Test
  @Order(4)
  void theVipIsBalancedRoundRobinByIpvs() {
    for (String task : List.of("cli", "weba", "db1")) { // on node1, node2, node3
      String answer = tcpAnswer(ns(task), "10.0.1.2", 80);
      assertTrue(BOTH.contains(answer), task + " -> VIP 10.0.1.2:80 answered \"" + answer + "\"");
    }
    Map<String, Long> before = settledConnections(lbWeb(1), WEB_MARK);
    assertEquals(Map.of("weba", 3, "webb", 3), spread(ns("cli"), "10.0.1.2", 80, 6));
    assertEquals(Map.of("10.0.1.21:0", 3L, "10.0.1.31:0", 3L), newConnections(lbWeb(1), before, 6),
        "ipvsadm --stats Conns in node1's lb_web (cli is on node1)");
  }

  @Test
  @Order(5)
  void aRemovedBackendIsDrainedWithWeightZeroThenDeleted() throws Exception {
    List<Socket> held = new ArrayList<>();
    Map<String, Socket> byBackend = new HashMap<>();
    try (NetNamespace cli = NetNamespace.open(ns("cli"))) {
      for (int i = 0; i < 2; i++) {
        Socket s = cli.call(() -> {
          Socket x = new Socket();
          x.connect(new InetSocketAddress("10.0.1.2", 80), 5000);
          return x;
        });
        s.setSoTimeout(5000);
        held.add(s);
        byBackend.put(new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII)).readLine(), s);
      }
    }
    try {
      assertEquals(BOTH, byBackend.keySet().stream().sorted().toList(), "one held connection per backend");
      for (int k = 1; k <= 3; k++) {
        MESH.get(k).updateService(MeshLabStates.webService(List.of("weba")));
      }
      // drained, not deleted: weight 0, its established connection still counted active
      Map<String, List<String>> lb = Ipvsadm.fwmarkDestinations(lbWeb(1), WEB_MARK);
      assertEquals(List.of("->", "10.0.1.31:0", "Masq", "0", "1"), lb.get("10.0.1.31:0").subList(0, 5), "webb drained: " + lb);
      assertEquals("1", lb.get("10.0.1.21:0").get(3), "weba keeps weight 1");
      assertEquals("0", Ipvsadm.fwmarkDestinations(ingressSbox(1), WEB_MARK).get("10.255.0.31:0").get(3));

      assertEquals(Map.of("weba", 6), spread(ns("cli"), "10.0.1.2", 80, 6), "no new connection to the drained backend");
      assertEquals(Map.of("weba", 4), spread(lab().client().namespace(), "198.18.0.1", 8080, 4));
      Socket toRemoved = byBackend.get("webb");
      OutputStream o = toRemoved.getOutputStream();
      o.write("still here\n".getBytes(StandardCharsets.US_ASCII));
      o.flush();
      assertEquals("still here", new BufferedReader(new InputStreamReader(toRemoved.getInputStream(),
          StandardCharsets.US_ASCII)).readLine(), "the established connection to the drained backend still works");
    } finally {
      for (Socket s : held) {
        s.close();
      }
    }
    // once it has no active connection, a later reconcile deletes it
    for (int i = 0; i < 50 && !"0".equals(Ipvsadm.fwmarkDestinations(lbWeb(1), WEB_MARK).get("10.0.1.31:0").get(4)); i++) {
      Thread.sleep(200);
    }
    for (int k = 1; k <= 3; k++) {
      MESH.get(k).updateService(MeshLabStates.webService(List.of("weba")));
    }
    assertEquals(List.of("10.0.1.21:0"), List.copyOf(Ipvsadm.fwmarkDestinations(lbWeb(1), WEB_MARK).keySet()));
    assertEquals(List.of("10.255.0.21:0"), List.copyOf(Ipvsadm.fwmarkDestinations(ingressSbox(1), WEB_MARK).keySet()));
  }

  @Test
  @Order(6)
  void reapplyingChangesNothingAndARestartedProcessFindsItRight() {
    for (int k = 1; k <= 3; k++) {
      ApplyReport again = MESH.get(k).apply(MeshLabStates.state(lab(), k, BOTH));
      assertTrue(again.isEmpty(), "node" + k + ": " + again.changes());
    }
    for (int k = 1; k <= 3; k++) {
      MESH.get(k).close();
      try {
        MESH.put(k, new MeshReconciler(vtepHost(k), auto(k)));
      } catch (Exception e) {
        throw new AssertionError(e);
      }
      ApplyReport again = MESH.get(k).apply(MeshLabStates.state(lab(), k, BOTH));
      assertTrue(again.isEmpty(), "a new process finds node" + k + " right: " + again.changes());
    }
  }

  @Test
  @Order(7)
  void showAndDebugNetnsReadIpvsBack() throws Exception {
    DataplaneState desired = MeshLabStates.state(lab(), 1, BOTH);
    ServiceSpec want = desired.services().get(0);
    ServiceSpec seen = new ObservedState(vtepHost(1)).read().services().stream().filter(s -> s.name().equals("web"))
        .findFirst().orElseThrow(() -> new AssertionError("web is named by its services element"));
    assertEquals(new java.util.HashSet<>(want.backends()), new java.util.HashSet<>(seen.backends()), "backends from IPVS");
    assertEquals(new java.util.HashSet<>(want.ports()), new java.util.HashSet<>(seen.ports()), "targets from ingress-ports");
    assertEquals(want.vips(), seen.vips());
    String walk = String.join("\n", new NetnsWalk(vtepHost(1)).lines());
    assertTrue(walk.contains("load balancer: ipvs") && walk.contains("--lb auto here: auto -> ipvs"), walk);
    assertTrue(walk.contains("ipvs:   FWM 0x101 rr -> 10.0.1.21 (weight 1"), walk);
  }

  @Test
  @Order(8)
  void resetLeavesNothing() {
    for (int k = 1; k <= 3; k++) {
      LabHost node = lab().host("node" + k);
      MESH.get(k).reset();
      assertEquals(List.of(), NetNamespace.listWithPrefix(node.namespace() + "-"), "node" + k + "'s namespaces");
      assertEquals("", HostCommand.run(node, 10, List.of("nft", "list", "ruleset")).orThrow().strip());
      assertFalse(HostCommand.run(node, 10, List.of("ip", "-o", "link")).orThrow().contains("mp-gw"));
    }
  }

  /** Destination rows cut to address, method and weight (the counts change with traffic). */
  private static Map<String, List<String>> configOnly(Map<String, List<String>> rows) {
    Map<String, List<String>> out = new HashMap<>();
    rows.forEach((k, v) -> out.put(k, v.subList(0, 4)));
    return out;
  }

  /** ipvsadm's Conns per destination once unchanged for longer than one estimator period (2 s). */
  private static Map<String, Long> settledConnections(String namespace, int mark) {
    Map<String, Long> last = Ipvsadm.connections(namespace, mark);
    long since = System.nanoTime();
    for (long deadline = since + 15_000_000_000L; System.nanoTime() < deadline; ) {
      try {
        Thread.sleep(500);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
      Map<String, Long> now = Ipvsadm.connections(namespace, mark);
      if (!now.equals(last)) {
        last = now;
        since = System.nanoTime();
      } else if (System.nanoTime() - since > 2_500_000_000L) {
        break;
      }
    }
    return last;
  }

  /**
   * The connections scheduled per destination since {@code before}, as ipvsadm reports them once
   * they add up to {@code expected} or 10 s have passed: the kernel's counters reach ipvsadm
   * through the rate estimator, which copies them every 2 s.
   */
  private static Map<String, Long> newConnections(String namespace, Map<String, Long> before, long expected) {
    Map<String, Long> d = Map.of();
    for (long deadline = System.nanoTime() + 10_000_000_000L; System.nanoTime() < deadline; ) {
      d = delta(before, Ipvsadm.connections(namespace, WEB_MARK));
      if (d.values().stream().mapToLong(Long::longValue).sum() >= expected) {
        return d;
      }
      try {
        Thread.sleep(500);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    return d;
  }

  private static Map<String, Long> delta(Map<String, Long> before, Map<String, Long> after) {
    Map<String, Long> out = new HashMap<>();
    after.forEach((k, v) -> {
      long d = v - before.getOrDefault(k, 0L);
      if (d != 0) {
        out.put(k, d);
      }
    });
    return out;
  }
}
