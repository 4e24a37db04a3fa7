package meshplane.mesh.lb;

import static meshplane.mesh.lb.NftExprs.concat;

import java.util.ArrayList;
import java.util.List;
import meshplane.mesh.MeshNames;
import meshplane.mesh.state.BackendSpec;
import meshplane.mesh.state.PortSpec;
import meshplane.mesh.state.ServiceSpec;
import meshplane.nft.BaseHook;
import meshplane.nft.ChainSpec;
import meshplane.nft.ChainType;
import meshplane.nft.Datum;
import meshplane.nft.Expr;
import meshplane.nft.Hook;
import meshplane.nft.KeyType;
import meshplane.nft.NftFamily;
import meshplane.nft.RuleSpec;
import meshplane.nft.SetElement;
import meshplane.nft.SetSpec;
import meshplane.nft.TableSpec;
import meshplane.nft.Verdict;

/**
 * Plans meshplane's nf_tables table in each namespace of the routing mesh, as pure values. Each
 * table is a fixed skeleton (base chains, shared maps without elements) plus one view per service
 * (its chain, its backend map, its elements of the shared maps), so one service's change is
 * planned and applied alone, at a cost that does not grow with the number of services.
 *
 * <pre>
 * node:          prerouting/output (nat, dstnat): meta l4proto . th dport @published dnat to 172.18.0.2
 * ingress_sbox:  mangle (prerouting -150): meta mark set meta l4proto . th dport map @ingress-marks
 *                prerouting (nat -100):    meta mark vmap @services        -> jump svc-NAME
 *                svc-NAME:                 meta l4proto P th dport PUB dnat to numgen inc mod N map @be-NAME : TARGET
 *                postrouting (nat 100):    meta mark != 0 snat to LB-ADDRESS
 * lb_NETWORK:    mangle:                   meta mark set ip daddr map @vip-marks
 *                prerouting:               meta l4proto tcp|udp meta mark vmap @services
 *                svc-NAME:                 dnat to numgen inc mod N map @be-NAME   (port kept)
 *                postrouting:              meta mark != 0 snat to LB-ADDRESS
 * </pre>
 *
 * ICMP to a VIP is not dispatched, so the lb_ sandbox itself answers ping for the VIP.
 */
public final class LbTables {
  public static final String PUBLISHED = "published";
  public static final String INGRESS_MARKS = "ingress-marks";
  public static final String VIP_MARKS = "vip-marks";
  public static final String SERVICES = "services";
  /** Every service's backends in one map, keyed by service mark and index: {@code meta mark . numgen : ip daddr}. */
  public static final String BACKENDS = "backends";
  static final KeyType MARK_INDEX = KeyType.concat(List.of(KeyType.MARK, KeyType.MARK)); // nft shows an integer part of a concatenation only with typeof data, so the index is typed mark
  static final KeyType PROTO_PORT = KeyType.concat(List.of(KeyType.INET_PROTO, KeyType.INET_SERVICE));

  private LbTables() {}

  private static TableSpec table(List<ChainSpec> chains, List<SetSpec> sets, List<RuleSpec> rules) {
    return new TableSpec(NftFamily.IP, MeshNames.TABLE, chains, sets, rules);
  }

  private static ChainSpec base(String name, Hook hook, ChainType type, int priority) {
    return ChainSpec.base(name, hook, type, priority);
  }

  // ---- the node's namespace ----

  /** The node's fixed part: every port in {@code published} is DNATed to ingress_sbox, port kept. */
  public static TableSpec nodeSkeleton() {
    List<Expr> dnat = concat(NftExprs.protocolAndPortIn(PUBLISHED), NftExprs.dnatTo(MeshNames.INGRESS_SBOX_GW_ADDRESS));
    return table(
        List.of(base("prerouting", Hook.PREROUTING, ChainType.NAT, BaseHook.PRIORITY_DSTNAT),
            base("output", Hook.OUTPUT, ChainType.NAT, BaseHook.PRIORITY_DSTNAT)),
        List.of(new SetSpec(PUBLISHED, PROTO_PORT, null, 0, List.of())),
        List.of(new RuleSpec("prerouting", "ingress", dnat), new RuleSpec("output", "ingress", dnat)));
  }

  /** A service's part of the node's table: its ingress-mode ports in {@code published} (none for null, a service that is not there). */
  public static TableSpec nodeService(ServiceSpec s) {
    List<SetElement> published = new ArrayList<>();
    for (PortSpec p : s == null ? List.<PortSpec>of() : ingressPorts(s)) {
      published.add(SetElement.key(protoPort(p.protocol(), p.published())));
    }
    return table(List.of(), List.of(new SetSpec(PUBLISHED, PROTO_PORT, null, 0, published)), List.of());
  }

  // ---- ingress_sbox ----

  /** ingress_sbox's fixed part: marking by port, dispatch by mark, SNAT to its ingress address. */
  public static TableSpec ingressSkeleton(String lbAddress) {
    return ingressSkeleton(lbAddress, LbMode.NFTABLES);
  }

  /** ingress_sbox's fixed part for load balancer {@code lb} (no backend map with IPVS). */
  public static TableSpec ingressSkeleton(String lbAddress, LbMode lb) {
    return table(
        List.of(base("mangle", Hook.PREROUTING, ChainType.FILTER, BaseHook.PRIORITY_MANGLE),
            base("prerouting", Hook.PREROUTING, ChainType.NAT, BaseHook.PRIORITY_DSTNAT),
            base("postrouting", Hook.POSTROUTING, ChainType.NAT, BaseHook.PRIORITY_SRCNAT)),
        sharedSets(INGRESS_MARKS, PROTO_PORT, lb),
        List.of(new RuleSpec("mangle", "mark", NftExprs.markByProtocolAndPort(INGRESS_MARKS)),
            new RuleSpec("prerouting", "dispatch", NftExprs.dispatchByMark(SERVICES)),
            new RuleSpec("postrouting", "snat", concat(NftExprs.marked(), NftExprs.snatTo(lbAddress)))));
  }

  /**
   * A service's part of ingress_sbox: its ports in the mark map, its dispatch entry, its chain
   * with one DNAT rule per published port, and its backends on the ingress network. Empty when
   * the service publishes nothing in ingress mode.
   */
  public static TableSpec ingressService(ServiceSpec s, String ingressNetwork) {
    return ingressService(s, ingressNetwork, LbMode.NFTABLES);
  }

  /**
   * As {@link #ingressService(ServiceSpec, String)} for load balancer {@code lb}: with IPVS the
   * chain only rewrites the published port to the target port (IPVS, which sees the flow next,
   * keeps the port: its destinations have port 0), and there is no backend map.
   */
  public static TableSpec ingressService(ServiceSpec s, String ingressNetwork, LbMode lb) {
    List<PortSpec> ports = s == null ? List.of() : ingressPorts(s);
    if (ports.isEmpty()) {
      return table(List.of(), sharedSets(INGRESS_MARKS, PROTO_PORT, lb), List.of());
    }
    List<String> backends = backendAddresses(s, ingressNetwork);
    List<SetElement> marks = new ArrayList<>();
    List<RuleSpec> rules = new ArrayList<>();
    String chain = MeshNames.serviceChain(s.name());
    for (PortSpec p : ports) {
      marks.add(SetElement.map(protoPort(p.protocol(), p.published()), Datum.host32(s.mark())));
      List<Expr> match = concat(NftExprs.l4proto(NftExprs.protocolNumber(p.protocol())), NftExprs.thDport(p.published()));
      if (lb == LbMode.IPVS) {
        rules.add(new RuleSpec(chain, p.protocol() + "-" + p.published(),
            concat(match, NftExprs.dnatTo(MeshNames.INGRESS_SBOX_GW_ADDRESS, p.target()))));
      } else if (!backends.isEmpty()) {
        rules.add(new RuleSpec(chain, p.protocol() + "-" + p.published(), concat(match,
            NftExprs.roundRobinDnat(BACKENDS, backends.size(), p.target()))));
      }
    }
    return serviceView(s, INGRESS_MARKS, PROTO_PORT, marks, lb == LbMode.IPVS ? null : backends, rules);
  }

  // ---- lb_<network> ----

  /** lb_&lt;network&gt;'s fixed part: marking by VIP, dispatch of TCP and UDP by mark, SNAT. */
  public static TableSpec lbSkeleton(String lbAddress) {
    return lbSkeleton(lbAddress, LbMode.NFTABLES);
  }

  /** lb_&lt;network&gt;'s fixed part for load balancer {@code lb} (no backend map with IPVS). */
  public static TableSpec lbSkeleton(String lbAddress, LbMode lb) {
    return table(
        List.of(base("mangle", Hook.PREROUTING, ChainType.FILTER, BaseHook.PRIORITY_MANGLE),
            base("prerouting", Hook.PREROUTING, ChainType.NAT, BaseHook.PRIORITY_DSTNAT),
            base("postrouting", Hook.POSTROUTING, ChainType.NAT, BaseHook.PRIORITY_SRCNAT)),
        sharedSets(VIP_MARKS, KeyType.IPV4_ADDR, lb),
        List.of(new RuleSpec("mangle", "mark", NftExprs.markByDaddr(VIP_MARKS)),
            new RuleSpec("prerouting", "tcp", concat(NftExprs.l4proto(NftExprs.IPPROTO_TCP), NftExprs.dispatchByMark(SERVICES))),
            new RuleSpec("prerouting", "udp", concat(NftExprs.l4proto(NftExprs.IPPROTO_UDP), NftExprs.dispatchByMark(SERVICES))),
            new RuleSpec("postrouting", "snat", concat(NftExprs.marked(), NftExprs.snatTo(lbAddress)))));
  }

  /** A service's part of lb_&lt;network&gt;: its VIP there, dispatch entry, chain and backends. */
  public static TableSpec lbService(ServiceSpec s, String network) {
    return lbService(s, network, LbMode.NFTABLES);
  }

  /** As {@link #lbService(ServiceSpec, String)} for load balancer {@code lb}: with IPVS only the VIP's mark (IPVS balances). */
  public static TableSpec lbService(ServiceSpec s, String network, LbMode lb) {
    String vip = s == null || s.vips() == null ? null : s.vips().get(network);
    if (vip == null || !"vip".equals(s.endpointMode())) {
      return table(List.of(), sharedSets(VIP_MARKS, KeyType.IPV4_ADDR, lb), List.of());
    }
    List<String> backends = lb == LbMode.IPVS ? null : backendAddresses(s, network);
    List<RuleSpec> rules = backends == null || backends.isEmpty() ? List.of()
        : List.of(new RuleSpec(MeshNames.serviceChain(s.name()), "lb",
            NftExprs.roundRobinDnat(BACKENDS, backends.size(), 0)));
    return serviceView(s, VIP_MARKS, KeyType.IPV4_ADDR,
        List.of(SetElement.map(Datum.ipv4(vip), Datum.host32(s.mark()))), backends, rules);
  }

  // ---- shared pieces ----

  /** A service's view; {@code backends} null means no backend map (IPVS balances instead). */
  private static TableSpec serviceView(ServiceSpec s, String markMap, KeyType markKey, List<SetElement> marks,
      List<String> backends, List<RuleSpec> rules) {
    String chain = MeshNames.serviceChain(s.name());
    List<SetSpec> sets = new ArrayList<>();
    sets.add(new SetSpec(markMap, markKey, KeyType.MARK, 0, marks));
    sets.add(new SetSpec(SERVICES, KeyType.MARK, KeyType.VERDICT, 0,
        List.of(SetElement.vmap(Datum.host32(s.mark()), Verdict.jump(chain)))));
    if (backends != null) {
      List<SetElement> members = new ArrayList<>();
      for (int i = 0; i < backends.size(); i++) {
        members.add(SetElement.map(backendKey(s.mark(), i), Datum.ipv4(backends.get(i))));
      }
      sets.add(new SetSpec(BACKENDS, MARK_INDEX, KeyType.IPV4_ADDR, 0, members));
    }
    return table(List.of(ChainSpec.regular(chain)), sets, rules);
  }

  /** The key of a service's {@code index}-th backend in {@link #BACKENDS}: mark . index. */
  public static Datum backendKey(int mark, int index) {
    return Datum.concat(Datum.host32(mark), Datum.host32(index));
  }

  /**
   * The maps every service shares, without elements: the mark map, the dispatch verdict map and,
   * with nf_tables balancing, the backend map. Few large maps, not one per service: the kernel
   * finds a set by name by walking the table's list of sets, so per-service maps would make
   * every change cost more as services are added.
   */
  private static List<SetSpec> sharedSets(String markMap, KeyType markKey, LbMode lb) {
    List<SetSpec> sets = new ArrayList<>();
    sets.add(new SetSpec(markMap, markKey, KeyType.MARK, 0, List.of()));
    sets.add(new SetSpec(SERVICES, KeyType.MARK, KeyType.VERDICT, 0, List.of()));
    if (lb != LbMode.IPVS) {
      sets.add(new SetSpec(BACKENDS, MARK_INDEX, KeyType.IPV4_ADDR, 0, List.of()));
    }
    return sets;
  }

  static List<PortSpec> ingressPorts(ServiceSpec s) {
    return s.ports() == null ? List.of() : s.ports().stream().filter(p -> "ingress".equals(p.mode())).toList();
  }

  /** The service's task addresses on {@code network}, sorted so the plan does not depend on input order. */
  static List<String> backendAddresses(ServiceSpec s, String network) {
    if (s.backends() == null) {
      return List.of();
    }
    return s.backends().stream().filter(b -> network.equals(b.network())).map(BackendSpec::ip).distinct()
        .sorted(LbTables::compareAddresses).toList();
  }

  private static int compareAddresses(String a, String b) {
    return Integer.compareUnsigned(toInt(a), toInt(b));
  }

  private static int toInt(String a) {
    byte[] b = Datum.ipv4(a).bytes();
    return ((b[0] & 0xff) << 24) | ((b[1] & 0xff) << 16) | ((b[2] & 0xff) << 8) | (b[3] & 0xff);
  }

  static Datum protoPort(String protocol, int port) {
    return Datum.concat(Datum.u8(NftExprs.protocolNumber(protocol)), Datum.be16(port));
  }
}
