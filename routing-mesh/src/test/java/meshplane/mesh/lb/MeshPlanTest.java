package meshplane.mesh.lb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import meshplane.mesh.state.BackendSpec;
import meshplane.mesh.state.DataplaneState;
import meshplane.mesh.state.NetworkSpec;
import meshplane.mesh.state.PortSpec;
import meshplane.mesh.state.ServiceSpec;
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
  static final NetworkSpec INGRESS = new NetworkSpec("ingress", 4096, "10.255.0.0/16", "10.255.0.1", true, "10.255.0.2");
  static final NetworkSpec WEB = new NetworkSpec("web", 4097, "10.0.1.0/24", "10.0.1.1", false, "10.0.1.250");
  static final ServiceSpec WEBSVC = new ServiceSpec("web", "vip", 257, Map.of("web", "10.0.1.2"),
      List.of(new PortSpec("tcp", 8080, 80, "ingress"), new PortSpec("udp", 5353, 53, "ingress")),
      List.of(new BackendSpec("web", "10.0.1.4"), new BackendSpec("web", "10.0.1.3"),
          new BackendSpec("ingress", "10.255.0.7"), new BackendSpec("ingress", "10.255.0.6")));
  static final ServiceSpec DNSRR = new ServiceSpec("db", "dnsrr", 258, Map.of(), List.of(),
      List.of(new BackendSpec("web", "10.0.1.9")));

  static DataplaneState state(ServiceSpec... services) {
    return new DataplaneState("node1", "198.18.0.1", List.of(INGRESS, WEB), List.of(), List.of(), List.of(services));
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
    assertEquals(List.of(SetElement.map(LbTables.backendKey(257, 0), Datum.ipv4("10.255.0.6")),
        SetElement.map(LbTables.backendKey(257, 1), Datum.ipv4("10.255.0.7"))), set(sbox, "backends").elements(), "sorted by address");
    List<RuleSpec> svc = rules(sbox, "svc-web");
    assertEquals(List.of("tcp-8080", "udp-5353"), svc.stream().map(RuleSpec::id).toList());
    assertTrue(svc.get(0).exprs().contains(new Expr.Immediate(2, Datum.be16(80))));
    assertTrue(svc.get(0).exprs().stream().anyMatch(e -> e instanceof Expr.Numgen n && n.modulus() == 2));
    assertEquals(List.of(SetElement.vmap(Datum.host32(257), Verdict.jump("svc-web"))), set(sbox, "services").elements());
  }

  @Test
  void lbSandboxMarksTheVipAndBalancesKeepingThePort() {
    TableSpec lb = new MeshPlan("n", state(WEBSVC, DNSRR)).tables().get("n-lb_web");
    assertEquals(List.of(SetElement.map(Datum.ipv4("10.0.1.2"), Datum.host32(257))), set(lb, "vip-marks").elements(),
        "the dnsrr service has no VIP");
    RuleSpec r = rules(lb, "svc-web").get(0);
    assertTrue(r.exprs().stream().anyMatch(e -> e instanceof Expr.Nat n && n.regProto() == 0));
    assertTrue(lb.chains().stream().noneMatch(c -> c.name().equals("svc-db")));
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
    assertEquals(List.of("svc-web"), web.chains().stream().map(c -> c.name()).toList());
    assertEquals(gone.get("n-lb_web").sets().stream().map(SetSpec::name).toList(), web.sets().stream().map(SetSpec::name).toList(),
        "a service's view and an absent service's view name the same shared maps, so a diff never deletes them");
  }

  @Test
  void changingOneBackendTouchesOnlyThatServicesChainAndElements() {
    MeshPlan plan = new MeshPlan("n", state(WEBSVC, DNSRR));
    ServiceSpec fewer = new ServiceSpec("web", "vip", 257, WEBSVC.vips(), WEBSVC.ports(),
        WEBSVC.backends().subList(0, WEBSVC.backends().size() - 1));
    List<meshplane.nft.NftChange> changes = meshplane.nft.TableDiff.diff(plan.serviceViews(fewer).get("n-ingress_sbox"),
        plan.serviceViews(WEBSVC).get("n-ingress_sbox"));
    assertFalse(changes.isEmpty());
    for (meshplane.nft.NftChange c : changes) {
      assertTrue(c.object().contains("svc-web") || c.object().contains("backends"), c.op() + " " + c.object());
    }
  }

  @Test
  void aServiceWithoutBackendsHasAnEmptyChain() {
    ServiceSpec none = new ServiceSpec("web", "vip", 257, Map.of("web", "10.0.1.2"), List.of(), List.of());
    TableSpec lb = new MeshPlan("n", state(none)).tables().get("n-lb_web");
    assertTrue(rules(lb, "svc-web").isEmpty());
    assertFalse(set(lb, "vip-marks").elements().isEmpty());
  }
}
