package meshplane.mesh.lb;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import meshplane.mesh.names.MeshNames;
import meshplane.dataplane.DataplaneState;
import meshplane.dataplane.NetworkSpec;
import meshplane.dataplane.ServiceSpec;
import meshplane.nft.TableSpec;

/**
 * Which namespaces of a node carry meshplane's table and what each should hold, planned from
 * the desired state: the node's namespace (published ports), {@code ingress_sbox} when the node is
 * on the ingress network, and {@code lb_<network>} for every other network with a load-balancer
 * address. Pure: the same state always gives the same tables.
 */
public final class MeshPlan {
  private final String node;
  private final DataplaneState state;
  private final LbMode lb;
  private final int chains;

  public MeshPlan(String nodeNamespace, DataplaneState state) {
    this(nodeNamespace, state, LbMode.NFTABLES);
  }

  /** A plan for load balancer {@code lb} (NFTABLES or IPVS). */
  public MeshPlan(String nodeNamespace, DataplaneState state, LbMode lb) {
    this(nodeNamespace, state, lb, LbTables.chainsFor(state.services()));
  }

  /**
   * A plan with {@code chains} balancing chains per table; the caller makes sure that is at least
   * what the services need ({@link LbTables#chainsFor}); no scan of the services here, so a plan
   * for one service's change costs the same with 10 or 10,000 services.
   */
  public MeshPlan(String nodeNamespace, DataplaneState state, LbMode lb, int chains) {
    this.node = nodeNamespace;
    this.state = state;
    this.lb = lb;
    this.chains = chains;
  }

  /** The number of balancing chains each table has. */
  public int chains() {
    return chains;
  }

  /** The ingress network, or null when the node is not on one. */
  public NetworkSpec ingress() {
    return state.networks().stream().filter(NetworkSpec::ingress).findFirst().orElse(null);
  }

  /** The underlay addresses of the VTEPs behind the node's peers, on any of its networks, each once. */
  public List<String> peerVteps() {
    return state.peers().stream().map(p -> p.vtep().getHostAddress()).distinct().sorted().toList();
  }

  /** The networks that get an {@code lb_} sandbox: every non-ingress network with an lbAddress. */
  public List<NetworkSpec> lbNetworks() {
    return state.networks().stream().filter(n -> !n.ingress() && n.lbAddress().isPresent()).toList();
  }

  /** The skeleton (fixed part) of the table of every namespace the mesh programs, by namespace name. */
  public Map<String, TableSpec> skeletons() {
    Map<String, TableSpec> t = new LinkedHashMap<>();
    t.put(node, LbTables.nodeSkeleton(peerVteps()));
    NetworkSpec ingress = ingress();
    if (ingress != null && ingress.lbAddress().isPresent()) {
      t.put(MeshNames.ingressSandbox(node), LbTables.ingressSkeleton(ingress.lbAddress().get().getHostAddress(), lb, chains));
    }
    for (NetworkSpec n : lbNetworks()) {
      t.put(MeshNames.lbSandbox(node, n.id()), LbTables.lbSkeleton(n.lbAddress().get().getHostAddress(), lb, chains));
    }
    return t;
  }

  /**
   * Service {@code s}'s part of each namespace's table ({@code s} null: the service is not
   * there, its parts are empty). Diffing a service's old and new views changes that service only.
   */
  public Map<String, TableSpec> serviceViews(ServiceSpec s) {
    Map<String, TableSpec> t = new LinkedHashMap<>();
    t.put(node, LbTables.nodeService(s));
    NetworkSpec ingress = ingress();
    if (ingress != null && ingress.lbAddress().isPresent()) {
      t.put(MeshNames.ingressSandbox(node), LbTables.ingressService(s, ingress.id(), lb));
    }
    for (NetworkSpec n : lbNetworks()) {
      t.put(MeshNames.lbSandbox(node, n.id()), LbTables.lbService(s, n.id(), lb));
    }
    return t;
  }

  /** Every namespace's whole table: its skeleton joined with every service's view. */
  public Map<String, TableSpec> tables() {
    Map<String, List<TableSpec>> views = new LinkedHashMap<>();
    for (ServiceSpec s : state.services()) {
      for (Map.Entry<String, TableSpec> v : serviceViews(s).entrySet()) {
        views.computeIfAbsent(v.getKey(), k -> new ArrayList<>()).add(v.getValue());
      }
    }
    Map<String, TableSpec> whole = new LinkedHashMap<>();
    for (Map.Entry<String, TableSpec> sk : skeletons().entrySet()) {
      whole.put(sk.getKey(), TableUnion.of(sk.getValue(), views.getOrDefault(sk.getKey(), List.of())));
    }
    return whole;
  }

  /**
   * With IPVS: service {@code s}'s firewall-mark services in each load-balancer sandbox (mark to
   * backend addresses); empty maps where it has none (or {@code s} is null).
   */
  public Map<String, Map<Integer, List<String>>> ipvsServiceViews(ServiceSpec s) {
    Map<String, Map<Integer, List<String>>> t = new LinkedHashMap<>();
    NetworkSpec ingress = ingress();
    if (ingress != null && ingress.lbAddress().isPresent()) {
      boolean publishes = s != null && !LbTables.ingressPorts(s).isEmpty();
      t.put(MeshNames.ingressSandbox(node), publishes ? Map.of(s.mark(), LbTables.backendAddresses(s, ingress.id())) : Map.of());
    }
    for (NetworkSpec n : lbNetworks()) {
      boolean hasVip = s != null && s.isVip() && s.vip(n.id()).isPresent();
      t.put(MeshNames.lbSandbox(node, n.id()), hasVip ? Map.of(s.mark(), LbTables.backendAddresses(s, n.id())) : Map.of());
    }
    return t;
  }

  /** With IPVS: every sandbox's firewall-mark services. */
  public Map<String, Map<Integer, List<String>>> ipvsServices() {
    Map<String, Map<Integer, List<String>>> all = new LinkedHashMap<>();
    for (String ns : ipvsServiceViews(null).keySet()) {
      all.put(ns, new LinkedHashMap<>());
    }
    for (ServiceSpec s : state.services()) {
      for (Map.Entry<String, Map<Integer, List<String>>> v : ipvsServiceViews(s).entrySet()) {
        all.get(v.getKey()).putAll(v.getValue());
      }
    }
    return all;
  }
}
