package meshplane.mesh.lb;

import static meshplane.mesh.lb.NftExprs.concat;

import java.util.ArrayList;
import java.util.List;
import meshplane.mesh.names.MeshNames;
import meshplane.dataplane.BackendSpec;
import meshplane.dataplane.PublishMode;
import meshplane.dataplane.PortSpec;
import meshplane.dataplane.ServiceSpec;
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
 * table is a fixed skeleton (base chains, one balancing chain per backend count, the shared
 * maps without elements) plus one view per service: only map elements. One service's change is
 * planned and applied alone, and its cost does not grow with the number of services.
 *
 * <pre>
 * node:          prerouting/output (nat, dstnat): meta l4proto . th dport @published fib daddr type local dnat to 172.18.0.2
 *                                          (output also: ip daddr != 127.0.0.0/8)
 *                raw-prerouting:           udp dport 4789 ip saddr != @overlay-peers counter drop
 *                raw-prerouting/output:    udp dport 4789 notrack
 * ingress_sbox:  mangle (prerouting -150): meta mark set meta l4proto . th dport map @ingress-marks
 *                prerouting (nat -100):    ct mark set meta mark map @services        mark -> N (backends)
 *                                          ct mark vmap @balancers                    N -> jump ing-N
 *                ing-N:   dnat to meta mark . meta l4proto . th dport . numgen inc mod N map @ingress-backends
 *                                          (mark . proto . published . index -> task address . target port)
 *                postrouting (nat 100):    meta mark != 0 snat to LB-ADDRESS
 * lb_NETWORK:    mangle:                   meta mark set ip daddr map @vip-marks
 *                prerouting:               meta l4proto tcp|udp ct mark set meta mark map @services
 *                                          ct mark vmap @balancers                    N -> jump lb-N
 *                lb-N:    dnat to meta mark . numgen inc mod N map @backends   (mark . index -> task address)
 *                postrouting:              meta mark != 0 snat to LB-ADDRESS
 * </pre>
 *
 * Why a chain per backend count N, not per service: numgen's modulus is part of the rule, and a
 * verdict map jumping to thousands of chains makes the kernel's ruleset validation quadratic
 * (10,000 per-service chains: 155 s in the kernel for {@code nft -f}; the same services over 16
 * chains: under a second). Services with the same N share a chain and its numgen counter, so a
 * service's connections are spread evenly but not in strict alternation when others are busy.
 * A service's backend count is data (map {@code services}), not a verdict: changing verdict-map
 * elements makes the kernel re-validate every chain reachable from the base chains on commit,
 * changing a data map does not, so a backend change costs the same with 100 or 10,000 services.
 * The service's name rides on its {@code services} element as a comment ({@code nft list} shows it).
 * ICMP to a VIP is not dispatched, so the lb_ sandbox itself answers ping for the VIP.
 */
public final class LbTables {
  public static final String PUBLISHED = "published";
  public static final String INGRESS_MARKS = "ingress-marks";
  public static final String VIP_MARKS = "vip-marks";
  /** Dispatch, first step: a service's mark to its number of backends (the element's comment is the service's name). */
  public static final String SERVICES = "services";
  /** Dispatch, second step: a number of backends N to {@code jump lb-N} (or {@code ing-N}); fixed, one element per chain. */
  public static final String BALANCERS = "balancers";
  /** lb_ backends: {@code meta mark . numgen : ip daddr}. */
  public static final String BACKENDS = "backends";
  /** ingress_sbox backends: {@code meta mark . meta l4proto . th dport . numgen : ip daddr . th dport}. */
  public static final String INGRESS_BACKENDS = "ingress-backends";
  /** With IPVS, ingress_sbox's port rewrite: {@code meta l4proto . th dport : ip daddr . th dport}. */
  public static final String INGRESS_PORTS = "ingress-ports";
  /** The fewest balancing chains a table gets; more when a service has more backends. */
  public static final int MIN_CHAINS = 16;

  static final KeyType PROTO_PORT = KeyType.concat(List.of(KeyType.INET_PROTO, KeyType.INET_SERVICE));
  // nft shows an integer part of a concatenation only with typeof data, so indexes are typed mark
  static final KeyType MARK_INDEX = KeyType.concat(List.of(KeyType.MARK, KeyType.MARK));
  static final KeyType MARK_PROTO_PORT_INDEX = KeyType.concat(
      List.of(KeyType.MARK, KeyType.INET_PROTO, KeyType.INET_SERVICE, KeyType.MARK));
  static final KeyType ADDRESS_PORT = KeyType.concat(List.of(KeyType.IPV4_ADDR, KeyType.INET_SERVICE));

  private LbTables() {}

  private static TableSpec table(List<ChainSpec> chains, List<SetSpec> sets, List<RuleSpec> rules) {
    return new TableSpec(NftFamily.IP, MeshNames.TABLE, chains, sets, rules);
  }

  private static ChainSpec base(String name, Hook hook, ChainType type, int priority) {
    return ChainSpec.base(name, hook, type, priority);
  }

  /** The balancing chain for services with {@code n} backends in ingress_sbox ({@code ing-N}) or an lb_ sandbox ({@code lb-N}). */
  public static String balancingChain(boolean ingress, int n) {
    return (ingress ? "ing-" : "lb-") + n;
  }

  // ---- the node's namespace ----

  /**
   * The node's fixed part. Every port in {@code published} addressed to one of the node's own
   * addresses ({@code fib daddr type local}, Docker's {@code --dst-type LOCAL}) is DNATed to
   * ingress_sbox, port kept, arriving (prerouting) and sent by the node itself (output); the same
   * port to any other address is left alone, so the node's own connections to other hosts are
   * not taken by a published port. What the node sends to loopback (127.0.0.0/8) is never
   * DNATed, as with Docker: such a DNAT could not leave the namespace, and a resolver on
   * 127.0.0.53 that the DNS forwarder asks on port 53 stays reachable when 53 is published.
   * VXLAN arriving from an address that is no VTEP of a peer of any of the node's overlays ({@code overlay-peers}, the {@code peerVteps}) is counted and
   * dropped at raw priority, before the kernel VTEP's socket sees it. VXLAN (udp dport 4789, both
   * ways) skips conntrack: the node NATs published ports, which turns conntrack on in its
   * namespace, but the overlay's encapsulated packets never need it.
   */
  public static TableSpec nodeSkeleton(List<String> peerVteps) {
    List<Expr> dnat = concat(NftExprs.protocolAndPortIn(PUBLISHED), NftExprs.localDestination(),
        NftExprs.dnatTo(MeshNames.INGRESS_SBOX_GW_ADDRESS));
    List<Expr> dnatSent = concat(NftExprs.protocolAndPortIn(PUBLISHED), NftExprs.notLoopbackDestination(),
        NftExprs.localDestination(), NftExprs.dnatTo(MeshNames.INGRESS_SBOX_GW_ADDRESS));
    List<Expr> vxlan = concat(NftExprs.l4proto(NftExprs.IPPROTO_UDP), NftExprs.thDport(VXLAN_PORT));
    List<Expr> notrack = concat(vxlan, List.of(new Expr.Notrack()));
    List<Expr> notPeer = concat(vxlan, NftExprs.saddrNotIn(OVERLAY_PEERS), NftExprs.countAndDrop());
    List<SetElement> peers = new ArrayList<>();
    for (String vtep : peerVteps) {
      peers.add(SetElement.key(Datum.ipv4(vtep)));
    }
    return table(
        List.of(base("raw-prerouting", Hook.PREROUTING, ChainType.FILTER, BaseHook.PRIORITY_RAW),
            base("raw-output", Hook.OUTPUT, ChainType.FILTER, BaseHook.PRIORITY_RAW),
            base("prerouting", Hook.PREROUTING, ChainType.NAT, BaseHook.PRIORITY_DSTNAT),
            base("output", Hook.OUTPUT, ChainType.NAT, BaseHook.PRIORITY_DSTNAT)),
        List.of(new SetSpec(PUBLISHED, PROTO_PORT, null, 0, List.of()),
            new SetSpec(OVERLAY_PEERS, KeyType.IPV4_ADDR, null, 0, peers)),
        List.of(new RuleSpec("raw-prerouting", "vxlan-peers", notPeer), new RuleSpec("raw-prerouting", "vxlan", notrack),
            new RuleSpec("raw-output", "vxlan", notrack),
            new RuleSpec("prerouting", "ingress", dnat), new RuleSpec("output", "ingress", dnatSent)));
  }

  /** The node's set of the underlay addresses of every VTEP behind a peer of its overlays: the only senders of VXLAN it accepts. */
  public static final String OVERLAY_PEERS = "overlay-peers";

  /** The overlay's UDP port (VXLAN, IANA 4789): never published, never tracked on a node. */
  public static final int VXLAN_PORT = 4789;

  /** A service's part of the node's table: its ingress-mode ports in {@code published} (none for null). */
  public static TableSpec nodeService(ServiceSpec s) {
    List<SetElement> published = new ArrayList<>();
    for (PortSpec p : s == null ? List.<PortSpec>of() : ingressPorts(s)) {
      published.add(SetElement.key(protoPort(p.protocol(), p.published())));
    }
    return table(List.of(), List.of(new SetSpec(PUBLISHED, PROTO_PORT, null, 0, published)), List.of());
  }

  // ---- ingress_sbox ----

  /** ingress_sbox's fixed part: marking by port, dispatch by mark, {@code chains} balancing chains, SNAT. */
  public static TableSpec ingressSkeleton(String lbAddress, LbMode lb, int chains) {
    List<ChainSpec> cs = new ArrayList<>(List.of(base("mangle", Hook.PREROUTING, ChainType.FILTER, BaseHook.PRIORITY_MANGLE),
        base("prerouting", Hook.PREROUTING, ChainType.NAT, BaseHook.PRIORITY_DSTNAT),
        base("postrouting", Hook.POSTROUTING, ChainType.NAT, BaseHook.PRIORITY_SRCNAT)));
    List<RuleSpec> rules = new ArrayList<>(List.of(new RuleSpec("mangle", "mark", NftExprs.markByProtocolAndPort(INGRESS_MARKS))));
    if (lb == LbMode.IPVS) {
      rules.add(new RuleSpec("prerouting", "ports", concat(NftExprs.marked(), NftExprs.dnatByProtocolAndPort(INGRESS_PORTS))));
    } else {
      rules.add(new RuleSpec("prerouting", "count", NftExprs.countByMark(SERVICES)));
      rules.add(new RuleSpec("prerouting", "dispatch", NftExprs.dispatchByCount(BALANCERS)));
      for (int n = 1; n <= chains; n++) {
        cs.add(ChainSpec.regular(balancingChain(true, n)));
        rules.add(new RuleSpec(balancingChain(true, n), "rr", NftExprs.roundRobinDnatToPort(INGRESS_BACKENDS, n)));
      }
    }
    rules.add(new RuleSpec("postrouting", "snat", concat(NftExprs.marked(), NftExprs.snatTo(lbAddress))));
    List<SetSpec> sets = new ArrayList<>(ingressSets(lb, List.of(), List.of(), List.of()));
    if (lb != LbMode.IPVS) {
      sets.add(balancers(true, chains));
    }
    return table(cs, sets, rules);
  }

  /**
   * A service's part of ingress_sbox (elements only): its ports in the mark map, and with
   * nf_tables its dispatch entry (to {@code ing-N}) and its backends per port on the ingress
   * network; with IPVS the port rewrite. Empty maps when it publishes nothing (or is null).
   */
  public static TableSpec ingressService(ServiceSpec s, String ingressNetwork, LbMode lb) {
    List<PortSpec> ports = s == null ? List.of() : ingressPorts(s);
    List<SetElement> marks = new ArrayList<>();
    List<SetElement> dispatch = new ArrayList<>();
    List<SetElement> members = new ArrayList<>();
    if (!ports.isEmpty()) {
      List<String> backends = backendAddresses(s, ingressNetwork);
      for (PortSpec p : ports) {
        marks.add(SetElement.map(protoPort(p.protocol(), p.published()), Datum.host32(s.mark())));
        if (lb == LbMode.IPVS) {
          members.add(SetElement.map(protoPort(p.protocol(), p.published()),
              Datum.concat(Datum.ipv4(MeshNames.INGRESS_SBOX_GW_ADDRESS), Datum.be16(p.target()))));
          continue;
        }
        for (int i = 0; i < backends.size(); i++) {
          members.add(SetElement.map(
              Datum.concat(Datum.host32(s.mark()), Datum.u8(NftExprs.protocolNumber(p.protocol())), Datum.be16(p.published()),
                  Datum.host32(i)),
              Datum.concat(Datum.ipv4(backends.get(i)), Datum.be16(p.target()))));
        }
      }
      if (lb == LbMode.IPVS || !backends.isEmpty()) { // with IPVS only a name tag: no rule reads it
        dispatch.add(SetElement.map(Datum.host32(s.mark()), Datum.host32(backends.size())).withComment(s.name()));
      }
    }
    return table(List.of(), ingressSets(lb, marks, dispatch, members), List.of());
  }

  private static List<SetSpec> ingressSets(LbMode lb, List<SetElement> marks, List<SetElement> dispatch, List<SetElement> members) {
    if (lb == LbMode.IPVS) {
      return List.of(new SetSpec(INGRESS_MARKS, PROTO_PORT, KeyType.MARK, 0, marks),
          new SetSpec(SERVICES, KeyType.MARK, KeyType.MARK, 0, dispatch),
          new SetSpec(INGRESS_PORTS, PROTO_PORT, ADDRESS_PORT, 0, members));
    }
    return List.of(new SetSpec(INGRESS_MARKS, PROTO_PORT, KeyType.MARK, 0, marks),
        new SetSpec(SERVICES, KeyType.MARK, KeyType.MARK, 0, dispatch),
        new SetSpec(INGRESS_BACKENDS, MARK_PROTO_PORT_INDEX, ADDRESS_PORT, 0, members));
  }

  // ---- lb_<network> ----

  /** lb_&lt;network&gt;'s fixed part: marking by VIP, dispatch of TCP and UDP by mark, balancing chains, SNAT. */
  public static TableSpec lbSkeleton(String lbAddress, LbMode lb, int chains) {
    List<ChainSpec> cs = new ArrayList<>(List.of(base("mangle", Hook.PREROUTING, ChainType.FILTER, BaseHook.PRIORITY_MANGLE),
        base("prerouting", Hook.PREROUTING, ChainType.NAT, BaseHook.PRIORITY_DSTNAT),
        base("postrouting", Hook.POSTROUTING, ChainType.NAT, BaseHook.PRIORITY_SRCNAT)));
    List<RuleSpec> rules = new ArrayList<>(List.of(new RuleSpec("mangle", "mark", NftExprs.markByDaddr(VIP_MARKS))));
    if (lb != LbMode.IPVS) {
      rules.add(new RuleSpec("prerouting", "tcp", concat(NftExprs.l4proto(NftExprs.IPPROTO_TCP), NftExprs.countByMark(SERVICES))));
      rules.add(new RuleSpec("prerouting", "udp", concat(NftExprs.l4proto(NftExprs.IPPROTO_UDP), NftExprs.countByMark(SERVICES))));
      rules.add(new RuleSpec("prerouting", "dispatch", NftExprs.dispatchByCount(BALANCERS)));
      for (int n = 1; n <= chains; n++) {
        cs.add(ChainSpec.regular(balancingChain(false, n)));
        rules.add(new RuleSpec(balancingChain(false, n), "rr", NftExprs.roundRobinDnat(BACKENDS, n)));
      }
    }
    rules.add(new RuleSpec("postrouting", "snat", concat(NftExprs.marked(), NftExprs.snatTo(lbAddress))));
    List<SetSpec> sets = new ArrayList<>(lbSets(lb, List.of(), List.of(), List.of()));
    if (lb != LbMode.IPVS) {
      sets.add(balancers(false, chains));
    }
    return table(cs, sets, rules);
  }

  /** A service's part of lb_&lt;network&gt; (elements only): its VIP's mark and, with nf_tables, its dispatch entry and backends. */
  public static TableSpec lbService(ServiceSpec s, String network, LbMode lb) {
    String vip = s == null ? null : s.vip(network).map(java.net.InetAddress::getHostAddress).orElse(null);
    List<SetElement> marks = new ArrayList<>();
    List<SetElement> dispatch = new ArrayList<>();
    List<SetElement> members = new ArrayList<>();
    if (vip != null && s.isVip()) {
      marks.add(SetElement.map(Datum.ipv4(vip), Datum.host32(s.mark())));
      List<String> backends = backendAddresses(s, network);
      for (int i = 0; lb != LbMode.IPVS && i < backends.size(); i++) {
        members.add(SetElement.map(backendKey(s.mark(), i), Datum.ipv4(backends.get(i))));
      }
      if (lb == LbMode.IPVS || !backends.isEmpty()) { // with IPVS only a name tag: no rule reads it
        dispatch.add(SetElement.map(Datum.host32(s.mark()), Datum.host32(backends.size())).withComment(s.name()));
      }
    }
    return table(List.of(), lbSets(lb, marks, dispatch, members), List.of());
  }

  private static List<SetSpec> lbSets(LbMode lb, List<SetElement> marks, List<SetElement> dispatch, List<SetElement> members) {
    if (lb == LbMode.IPVS) {
      return List.of(new SetSpec(VIP_MARKS, KeyType.IPV4_ADDR, KeyType.MARK, 0, marks),
          new SetSpec(SERVICES, KeyType.MARK, KeyType.MARK, 0, dispatch));
    }
    return List.of(new SetSpec(VIP_MARKS, KeyType.IPV4_ADDR, KeyType.MARK, 0, marks),
        new SetSpec(SERVICES, KeyType.MARK, KeyType.MARK, 0, dispatch),
        new SetSpec(BACKENDS, MARK_INDEX, KeyType.IPV4_ADDR, 0, members));
  }

  /** The fixed verdict map from a backend count N to its balancing chain. */
  private static SetSpec balancers(boolean ingress, int chains) {
    List<SetElement> e = new ArrayList<>();
    for (int n = 1; n <= chains; n++) {
      e.add(SetElement.vmap(Datum.host32(n), Verdict.jump(balancingChain(ingress, n))));
    }
    return new SetSpec(BALANCERS, KeyType.MARK, KeyType.VERDICT, 0, e);
  }

  /** The key of a service's {@code index}-th backend in {@link #BACKENDS}: mark . index. */
  public static Datum backendKey(int mark, int index) {
    return Datum.concat(Datum.host32(mark), Datum.host32(index));
  }

  /** How many balancing chains a table needs: {@link #MIN_CHAINS}, or the largest backend count rounded up to a power of two. */
  public static int chainsFor(List<ServiceSpec> services) {
    int max = 0;
    for (ServiceSpec s : services) {
      for (String net : s.backends().stream().map(BackendSpec::network).distinct().toList()) {
        max = Math.max(max, backendAddresses(s, net).size());
      }
    }
    int n = MIN_CHAINS;
    while (n < max) {
      n *= 2;
    }
    return n;
  }

  static List<PortSpec> ingressPorts(ServiceSpec s) {
    return s.ports().stream().filter(p -> p.mode() == PublishMode.INGRESS).toList();
  }

  /** The service's task addresses on {@code network}, sorted so the plan does not depend on input order. */
  static List<String> backendAddresses(ServiceSpec s, String network) {
    List<BackendSpec> on = new ArrayList<>();
    for (BackendSpec b : s.backends()) {
      if (network.equals(b.network())) {
        on.add(b);
      }
    }
    if (on.size() <= 1) {
      return on.isEmpty() ? List.of() : List.of(on.get(0).ip().getHostAddress());
    }
    long[] keyed = new long[on.size()]; // address in the high half, position in the low: one parse per address
    for (int i = 0; i < on.size(); i++) {
      keyed[i] = (Integer.toUnsignedLong(toInt(on.get(i).ip())) << 32) | i;
    }
    java.util.Arrays.sort(keyed);
    List<String> out = new ArrayList<>(on.size());
    long last = -1;
    for (long k : keyed) {
      if ((k >>> 32) != last) {
        out.add(on.get((int) k).ip().getHostAddress());
        last = k >>> 32;
      }
    }
    return out;
  }

  private static int toInt(java.net.InetAddress a) {
    byte[] b = a.getAddress();
    return ((b[0] & 0xff) << 24) | ((b[1] & 0xff) << 16) | ((b[2] & 0xff) << 8) | (b[3] & 0xff);
  }

  static Datum protoPort(meshplane.dataplane.Protocol protocol, int port) {
    return Datum.concat(Datum.u8(NftExprs.protocolNumber(protocol)), Datum.be16(port));
  }
}
