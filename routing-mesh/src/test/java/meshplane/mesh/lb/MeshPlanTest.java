package meshplane.mesh.lb;

import meshplane.dataplane.EndpointMode;
import meshplane.dataplane.PublishMode;
import meshplane.dataplane.Protocol;
import java.util.Optional;
import meshplane.netlink.IpPrefix;
import meshplane.dataplane.Addresses;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import meshplane.dataplane.BackendSpec;
import meshplane.dataplane.DataplaneState;
import meshplane.dataplane.NetworkSpec;
import meshplane.dataplane.PortSpec;
import meshplane.dataplane.ServiceSpec;
import meshplane.nft.Datum;
import meshplane.nft.Expr;
import meshplane.nft.RuleSpec;
import meshplane.nft.SetElement;
import meshplane.nft.SetSpec;
import meshplane.nft.TableSpec;
import meshplane.nft.Verdict;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("unit")
class MeshPlanTest {
  static final NetworkSpec INGRESS = new NetworkSpec("ingress", 4096, IpPrefix.parse("10.255.0.0/16"), Addresses.ipv4("10.255.0.1"), true, Optional.of(Addresses.ipv4("10.255.0.2")));
  static final NetworkSpec WEB = new NetworkSpec("web", 4097, IpPrefix.parse("10.0.1.0/24"), Addresses.ipv4("10.0.1.1"), false, Optional.of(Addresses.ipv4("10.0.1.250")));
  static final ServiceSpec WEBSVC = new ServiceSpec("web", EndpointMode.VIP, 257, Map.of("web", Addresses.ipv4("10.0.1.2")),
      List.of(new PortSpec(Protocol.TCP, 8080, 80, PublishMode.INGRESS), new PortSpec(Protocol.UDP, 5353, 53, PublishMode.INGRESS)),
      List.of(new BackendSpec("web", Addresses.ipv4("10.0.1.4")), new BackendSpec("web", Addresses.ipv4("10.0.1.3")),
          new BackendSpec("ingress", Addresses.ipv4("10.255.0.7")), new BackendSpec("ingress", Addresses.ipv4("10.255.0.6"))));
  static final ServiceSpec DNSRR = new ServiceSpec("db", EndpointMode.DNSRR, 258, Map.of(), List.of(),
      List.of(new BackendSpec("web", Addresses.ipv4("10.0.1.9"))));

  static DataplaneState state(ServiceSpec... services) {
    return new DataplaneState("node1", Addresses.ipv4("198.18.0.1"), List.of(INGRESS, WEB), List.of(), List.of(), List.of(services));
  }

  static SetSpec set(TableSpec t, String name) {
    return t.sets().stream().filter(s -> s.name().equals(name)).findFirst().orElseThrow();
  }

  static List<RuleSpec> rules(TableSpec t, String chain) {
    return t.rules().stream().filter(r -> r.chain().equals(chain)).toList();
  }

  @Test
  void everyNamespaceOfTheNodeGetsItsTable() {
    Map<String, TableSpec> t = new MeshPlan("mp-lab-node1", state(WEBSVC)).tables();
    assertEquals(List.of("mp-lab-node1", "mp-lab-node1-ingress_sbox", "mp-lab-node1-lb_web"), List.copyOf(t.keySet()));
  }

  @Test
  void theNodePublishesEachIngressPortToIngressSbox() {
    TableSpec node = new MeshPlan("n", state(WEBSVC)).tables().get("n");
    assertEquals(List.of(SetElement.key(Datum.of(new byte[] {6, 0, 0, 0, 0x1f, (byte) 0x90, 0, 0})),
        SetElement.key(Datum.of(new byte[] {17, 0, 0, 0, 0x14, (byte) 0xe9, 0, 0}))), set(node, LbTables.PUBLISHED).elements());
    RuleSpec dnat = rules(node, "prerouting").get(0);
    assertTrue(dnat.exprs().contains(new Expr.Immediate(1, Datum.ipv4("172.18.0.2"))), dnat.toString());
  }

  @Test
  void ingressSboxBalancesOverTheIngressBackendsOnTheTargetPort() {
    TableSpec sbox = new MeshPlan("n", state(WEBSVC)).tables().get("n-ingress_sbox");
    List<SetElement> be = set(sbox, "ingress-backends").elements();
    assertEquals(4, be.size(), "2 ports x 2 backends on the ingress network");
    assertTrue(be.contains(SetElement.map(Datum.concat(Datum.host32(257), Datum.u8(6), Datum.be16(8080), Datum.host32(0)),
        Datum.concat(Datum.ipv4("10.255.0.6"), Datum.be16(80)))), be.toString());
    assertEquals(List.of(SetElement.map(Datum.host32(257), Datum.host32(2)).withComment("web")),
        set(sbox, "services").elements(), "web has 2 backends on the ingress network");
    assertTrue(set(sbox, "balancers").elements().contains(SetElement.vmap(Datum.host32(2), Verdict.jump("ing-2"))));
    assertTrue(rules(sbox, "ing-2").get(0).exprs().stream().anyMatch(e -> e instanceof Expr.Numgen n && n.modulus() == 2));
    assertEquals(LbTables.MIN_CHAINS, sbox.chains().stream().filter(c -> c.name().startsWith("ing-")).count());
  }

  @Test
  void lbSandboxMarksTheVipAndBalancesKeepingThePort() {
    TableSpec lb = new MeshPlan("n", state(WEBSVC, DNSRR)).tables().get("n-lb_web");
    assertEquals(List.of(SetElement.map(Datum.ipv4("10.0.1.2"), Datum.host32(257))), set(lb, "vip-marks").elements(),
        "the dnsrr service has no VIP");
    assertEquals(List.of(SetElement.map(LbTables.backendKey(257, 0), Datum.ipv4("10.0.1.3")),
        SetElement.map(LbTables.backendKey(257, 1), Datum.ipv4("10.0.1.4"))), set(lb, "backends").elements(), "sorted by address");
    RuleSpec r = rules(lb, "lb-2").get(0);
    assertTrue(r.exprs().stream().anyMatch(e -> e instanceof Expr.Nat n && n.regProto() == 0));
  }

  @Test
  void aServiceViewHoldsOnlyThatServicesElements() {
    MeshPlan plan = new MeshPlan("n", state(WEBSVC, DNSRR));
    Map<String, TableSpec> gone = plan.serviceViews(null);
    for (TableSpec v : gone.values()) {
      assertTrue(v.chains().isEmpty() && v.rules().isEmpty());
      assertTrue(v.sets().stream().allMatch(s -> s.elements().isEmpty()));
    }
    TableSpec web = plan.serviceViews(WEBSVC).get("n-lb_web");
    assertTrue(web.chains().isEmpty() && web.rules().isEmpty(), "a service owns only map elements");
    assertEquals(gone.get("n-lb_web").sets().stream().map(SetSpec::name).toList(), web.sets().stream().map(SetSpec::name).toList(),
        "a service's view and an absent service's view name the same shared maps, so a diff never deletes them");
  }

  @Test
  void changingOneBackendTouchesOnlyThatServicesElements() {
    MeshPlan plan = new MeshPlan("n", state(WEBSVC, DNSRR));
    ServiceSpec fewer = new ServiceSpec("web", EndpointMode.VIP, 257, WEBSVC.vips(), WEBSVC.ports(),
        WEBSVC.backends().subList(0, WEBSVC.backends().size() - 1));
    List<meshplane.nft.NftChange> changes = meshplane.nft.TableDiff.diff(plan.serviceViews(fewer).get("n-ingress_sbox"),
        plan.serviceViews(WEBSVC).get("n-ingress_sbox"));
    assertFalse(changes.isEmpty());
    for (meshplane.nft.NftChange c : changes) {
      assertTrue((c.op() + " " + c.object()).contains("element"), c.op() + " " + c.object());
    }
  }

  @Test
  void moreBackendsThanChainsGrowTheChains() {
    List<BackendSpec> many = new java.util.ArrayList<>();
    for (int i = 0; i < 20; i++) {
      many.add(new BackendSpec("web", Addresses.ipv4("10.0.1." + (100 + i))));
    }
    ServiceSpec big = new ServiceSpec("big", EndpointMode.VIP, 300, Map.of("web", Addresses.ipv4("10.0.1.5")), List.of(), many);
    assertEquals(32, LbTables.chainsFor(List.of(big)));
    TableSpec lb = new MeshPlan("n", state(big)).tables().get("n-lb_web");
    assertEquals(32, lb.chains().stream().filter(c -> c.name().startsWith("lb-")).count());
  }

  @Test
  void aServiceWithoutBackendsIsNotDispatched() {
    ServiceSpec none = new ServiceSpec("web", EndpointMode.VIP, 257, Map.of("web", Addresses.ipv4("10.0.1.2")), List.of(), List.of());
    TableSpec lb = new MeshPlan("n", state(none)).tables().get("n-lb_web");
    assertTrue(set(lb, "services").elements().isEmpty(), "not dispatched: the lb_ sandbox refuses the connection itself");
    assertFalse(set(lb, "vip-marks").elements().isEmpty());
  }

  @Test
  void theNodeDnatsPublishedPortsOnlyToItsOwnAddressesArrivingAndSent() {
    List<Expr> fibLocal = List.of(new Expr.Fib(Expr.Fib.FIB_RESULT_ADDRTYPE, Expr.Fib.FIB_DADDR, 1),
        new Expr.Cmp(meshplane.nft.CmpOp.EQ, 1, Datum.host32(2)));
    for (LbMode lb : List.of(LbMode.NFTABLES, LbMode.IPVS)) {
      TableSpec node = new MeshPlan("n", state(WEBSVC), lb).tables().get("n");
      for (String chain : List.of("prerouting", "output")) {
        List<Expr> e = rules(node, chain).get(0).exprs();
        int fib = java.util.Collections.indexOfSubList(e, fibLocal);
        assertTrue(fib >= 0, lb + " " + chain + ": fib daddr type local in " + e);
        assertTrue(fib < e.indexOf(new Expr.Nat(meshplane.nft.NatType.DNAT, 1, 0, 0)), "matched before the dnat: " + e);
      }
    }
    List<Expr> output = rules(new MeshPlan("n", state(WEBSVC)).tables().get("n"), "output").get(0).exprs();
    assertTrue(output.contains(new Expr.Cmp(meshplane.nft.CmpOp.NEQ, 1, Datum.ipv4("127.0.0.0"))),
        "what the node sends to loopback is never DNATed: " + output);
    assertFalse(rules(new MeshPlan("n", state(WEBSVC)).tables().get("n"), "prerouting").get(0).exprs().stream()
        .anyMatch(e -> e instanceof Expr.Bitwise), "arriving packets are never to loopback");
    assertEquals(new MeshPlan("n", state(WEBSVC), LbMode.NFTABLES).tables().get("n"),
        new MeshPlan("n", state(WEBSVC), LbMode.IPVS).tables().get("n"), "the node's table does not depend on the load balancer");
  }

  @Test
  void theNodeDropsVxlanFromAnyoneButItsPeersVteps() {
    List<meshplane.dataplane.PeerSpec> peers = List.of(
        new meshplane.dataplane.PeerSpec("web", Addresses.ipv4("10.0.1.20"), meshplane.netlink.MacAddress.parse("02:42:0a:00:01:14"),
            Addresses.ipv4("198.18.0.3")),
        new meshplane.dataplane.PeerSpec("ingress", Addresses.ipv4("10.255.0.3"), meshplane.netlink.MacAddress.parse("02:42:0a:ff:00:03"),
            Addresses.ipv4("198.18.0.2")),
        new meshplane.dataplane.PeerSpec("web", Addresses.ipv4("10.0.1.21"), meshplane.netlink.MacAddress.parse("02:42:0a:00:01:15"),
            Addresses.ipv4("198.18.0.2")));
    DataplaneState s = new DataplaneState("node1", Addresses.ipv4("198.18.0.1"), List.of(INGRESS, WEB), List.of(), peers, List.of());
    TableSpec node = new MeshPlan("n", s).tables().get("n");
    assertEquals(List.of(SetElement.key(Datum.ipv4("198.18.0.2")), SetElement.key(Datum.ipv4("198.18.0.3"))),
        set(node, LbTables.OVERLAY_PEERS).elements(), "each peer's VTEP once, whatever the network");
    RuleSpec drop = rules(node, "raw-prerouting").get(0);
    assertEquals("vxlan-peers", drop.id(), "before the notrack rule");
    assertTrue(drop.exprs().contains(new Expr.Lookup(LbTables.OVERLAY_PEERS, 1, 0, true)), drop.toString());
    assertEquals(List.of(new Expr.Counter(), new Expr.VerdictExpr(Verdict.DROP)),
        drop.exprs().subList(drop.exprs().size() - 2, drop.exprs().size()), drop.toString());
    assertTrue(set(new MeshPlan("n", state()).tables().get("n"), LbTables.OVERLAY_PEERS).elements().isEmpty(),
        "no peers: no VXLAN accepted");
  }
}
