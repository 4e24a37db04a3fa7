package meshplane.mesh;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import meshplane.mesh.lb.IpvsBalancer;
import meshplane.mesh.lb.LbMode;
import meshplane.mesh.lb.LbTables;
import meshplane.mesh.lb.MeshPlan;
import meshplane.mesh.lb.MeshTable;
import meshplane.mesh.sandbox.GatewayBridge;
import meshplane.mesh.sandbox.IngressGateway;
import meshplane.mesh.sandbox.LbSandbox;
import meshplane.mesh.sandbox.VipAddresses;
import meshplane.mesh.state.DataplaneState;
import meshplane.mesh.state.EndpointSpec;
import meshplane.mesh.state.InvalidStateException;
import meshplane.mesh.state.NetworkSpec;
import meshplane.mesh.state.PeerSpec;
import meshplane.mesh.state.ServiceSpec;
import meshplane.mesh.state.StateValidator;
import meshplane.netlink.IpPrefix;
import meshplane.netlink.MacAddress;
import meshplane.netlink.NetNamespace;
import meshplane.netlink.Sysctl;
import meshplane.netlink.rtnl.Link;
import meshplane.netlink.rtnl.RtnlHandle;
import meshplane.nft.TableSpec;
import meshplane.vxlan.Endpoint;
import meshplane.vxlan.driver.OverlayDriver;
import meshplane.vxlan.OverlayNetwork;
import meshplane.vxlan.Peer;
import meshplane.vxlan.VtepHost;
import meshplane.vxlan.VtepKind;
import meshplane.vxlan.userspace.VtepTransport;

/**
 * One node's Swarm networking, reconciled from its desired {@link DataplaneState}: overlay
 * networks and endpoints (through the overlay driver), peers, the gateway bridge,
 * {@code ingress_sbox}, the {@code lb_<network>} sandboxes with their VIPs, and meshplane's
 * nf_tables table in each. {@link #apply} reads what the kernel has and programs only the
 * difference, so running it twice changes nothing and a restarted process picks up where the
 * last one stopped without touching live flows. {@link #updateService} changes one service
 * alone, at a cost that does not depend on how many services there are.
 */
public final class MeshReconciler implements AutoCloseable {
  private final VtepHost host;
  private final OverlayDriver driver;
  private final LbMode loadBalancer;
  private final Map<String, MeshTable> tables = new HashMap<>();
  private final Map<String, IpvsBalancer> balancers = new HashMap<>();
  /** The state last applied, without its services (they are in {@link #appliedServices}). */
  private DataplaneState applied;
  private final Map<Integer, String> markOwners = new HashMap<>();
  private final Map<String, String> vipOwners = new HashMap<>();
  private final Map<String, String> portOwners = new HashMap<>();
  private int chains = LbTables.MIN_CHAINS;
  private Map<String, ServiceSpec> appliedServices = new LinkedHashMap<>();

  /** A reconciler for {@code host} with the load balancer {@code lb} (already resolved: see {@link LbMode#resolve}). */
  public MeshReconciler(VtepHost host, LbMode lb) {
    if (lb == LbMode.AUTO) {
      throw new IllegalArgumentException("resolve --lb auto first (LbMode.resolve)");
    }
    this.host = host;
    this.loadBalancer = lb;
    this.driver = new OverlayDriver(host, VtepKind.KERNEL, VtepTransport.AUTO);
  }

  public String loadBalancer() {
    return loadBalancer.describe();
  }

  public VtepHost host() {
    return host;
  }

  /** The state last applied by this process (built on each call), or null before the first {@link #apply}. */
  public DataplaneState applied() {
    return applied == null ? null : new DataplaneState(applied.node(), applied.underlay(), applied.networks(),
        applied.endpoints(), applied.peers(), List.copyOf(appliedServices.values()));
  }

  /** The applied service named {@code name}, or null. */
  public ServiceSpec appliedService(String name) {
    return appliedServices.get(name);
  }

  /** Makes the node's data plane what {@code desired} says; returns what was done, one line per step that changed something. */
  public ApplyReport apply(DataplaneState desired) {
    ApplyReport report = new ApplyReport();
    StateValidator.check(desired);
    checkNamespaces(desired);
    report.phase("validate");
    MeshPlan plan = new MeshPlan(host.namespace(), desired, loadBalancer);
    try (NetNamespace node = NetNamespace.open(host.namespace()); RtnlHandle n = RtnlHandle.open(node)) {
      Sysctl.write(node, "net.ipv4.ip_forward", "1");
      Map<String, OverlayNetwork> networks = networks(desired);
      for (OverlayNetwork net : networks.values()) {
        driver.ensureNetwork(net);
      }
      for (String stale : staleNetworks(networks.keySet())) {
        LbSandbox.remove(MeshNames.lbSandbox(host.namespace(), stale));
        driver.removeNetwork(stale);
        report.add("removed network " + stale);
      }
      report.phase("networks");
      attachEndpoints(desired, networks, report);
      report.phase("endpoints");
      NetworkSpec ingress = plan.ingress();
      String ingressNs = MeshNames.ingressSandbox(host.namespace());
      if (ingress != null && ingress.lbAddress() != null) {
        GatewayBridge.ensure(n);
        try (NetNamespace sbox = LbSandbox.ensure(ingressNs)) {
          IngressGateway.ensure(n, sbox);
        }
        driver.attach(lbEndpoint(ingress, ingressNs));
      } else {
        closeTable(ingressNs);
        if (LbSandbox.remove(ingressNs)) {
          report.add("removed " + ingressNs);
        }
        IngressGateway.remove(n);
        GatewayBridge.remove(n);
      }
      report.phase("ingress");
      Set<String> lbNamespaces = new HashSet<>();
      // VIP routes (kernel time) are programmed while the tables are planned and programmed
      List<java.util.concurrent.CompletableFuture<String>> vipSyncs = new ArrayList<>();
      for (NetworkSpec net : plan.lbNetworks()) {
        String lbNs = MeshNames.lbSandbox(host.namespace(), net.id());
        lbNamespaces.add(lbNs);
        LbSandbox.ensure(lbNs).close();
        driver.attach(lbEndpoint(net, lbNs));
        Set<InetAddress> vips = vips(desired, net.id());
        vipSyncs.add(java.util.concurrent.CompletableFuture.supplyAsync(() -> {
          try (NetNamespace ns = NetNamespace.open(lbNs); RtnlHandle h = RtnlHandle.open(ns)) {
            int changed = VipAddresses.sync(h, MeshNames.SANDBOX_OVERLAY_IFACE, vips);
            return changed > 0 ? lbNs + ": " + changed + " VIP(s) changed" : null;
          }
        }, VIP_SYNC));
      }
      for (String ns : NetNamespace.listWithPrefix(host.namespace() + "-lb_")) {
        if (!lbNamespaces.contains(ns)) {
          closeTable(ns);
          LbSandbox.remove(ns);
          report.add("removed " + ns);
        }
      }
      report.phase("lb sandboxes");
      for (OverlayNetwork net : networks.values()) {
        int changes = driver.setPeers(net.id(), peers(desired, net.id())).size();
        if (changes > 0) {
          report.add("network " + net.id() + ": " + changes + " peer change(s)");
        }
      }
      report.phase("peers");
      Map<String, TableSpec> planned = plan.tables();
      report.phase("plan tables");
      for (Map.Entry<String, TableSpec> t : planned.entrySet()) {
        MeshTable table = table(t.getKey());
        TableSpec observed = table.read().orElse(null);
        report.phase("read tables");
        int changes = table.apply(t.getValue(), observed);
        report.phase("diff and program tables");
        if (changes > 0) {
          report.add(t.getKey() + ": " + changes + " nf_tables change(s)");
        }
      }
      if (loadBalancer == LbMode.IPVS) {
        for (Map.Entry<String, Map<Integer, List<String>>> b : plan.ipvsServices().entrySet()) {
          int changes = balancer(b.getKey()).sync(b.getValue(), null);
          if (changes > 0) {
            report.add(b.getKey() + ": " + changes + " IPVS change(s)");
          }
        }
        report.phase("ipvs");
      }
      for (java.util.concurrent.CompletableFuture<String> f : vipSyncs) {
        String line = join(f);
        if (line != null) {
          report.add(line);
        }
      }
      report.phase("VIPs (after the tables)");
    }
    applied = new DataplaneState(desired.node(), desired.underlay(), desired.networks(), desired.endpoints(),
        desired.peers(), List.of());
    chains = plan.chains();
    appliedServices = new LinkedHashMap<>();
    markOwners.clear();
    vipOwners.clear();
    portOwners.clear();
    for (ServiceSpec s : desired.services()) {
      remember(s);
    }
    return report;
  }

  /**
   * Adds, changes or (with {@code service} absent from the state, see {@link #removeService})
   * removes one service against the state last applied: its VIP addresses and its part of each
   * table, nothing else. The service is checked with the applied networks and against the other
   * services' marks, VIPs and published ports; a bad one changes nothing.
   */
  public int updateService(ServiceSpec service) {
    requireApplied();
    checkAgainstOthers(service);
    return changeService(appliedServices.get(service.name()), service);
  }

  /** Removes a service applied before; false if there was none of that name. */
  public boolean removeService(String name) {
    requireApplied();
    ServiceSpec old = appliedServices.get(name);
    if (old == null) {
      return false;
    }
    changeService(old, null);
    return true;
  }

  private int changeService(ServiceSpec old, ServiceSpec now) {
    int changes = 0;
    int need = Math.max(chains, LbTables.chainsFor(now == null ? List.of() : List.of(now)));
    if (need > chains) { // a service with more backends than there are balancing chains: grow the skeletons first
      Map<String, TableSpec> was = new MeshPlan(host.namespace(), applied, loadBalancer, chains).skeletons();
      for (Map.Entry<String, TableSpec> sk : new MeshPlan(host.namespace(), applied, loadBalancer, need).skeletons().entrySet()) {
        changes += table(sk.getKey()).apply(sk.getValue(), was.get(sk.getKey()));
      }
      chains = need;
    }
    MeshPlan plan = new MeshPlan(host.namespace(), applied, loadBalancer, chains);
    Map<String, TableSpec> before = plan.serviceViews(old);
    Map<String, TableSpec> after = plan.serviceViews(now);
    for (NetworkSpec net : plan.lbNetworks()) {
      String was = old == null || old.vips() == null ? null : old.vips().get(net.id());
      String is = now == null || now.vips() == null ? null : now.vips().get(net.id());
      if (java.util.Objects.equals(was, is)) {
        continue;
      }
      try (NetNamespace ns = NetNamespace.open(MeshNames.lbSandbox(host.namespace(), net.id()));
          RtnlHandle h = RtnlHandle.open(ns)) {
        if (is != null) {
          VipAddresses.add(h, MeshNames.SANDBOX_OVERLAY_IFACE, address(is));
        }
        if (was != null) {
          VipAddresses.delete(h, MeshNames.SANDBOX_OVERLAY_IFACE, address(was));
        }
        changes++;
      }
    }
    for (Map.Entry<String, TableSpec> v : after.entrySet()) {
      changes += table(v.getKey()).apply(v.getValue(), before.get(v.getKey()));
    }
    if (loadBalancer == LbMode.IPVS) {
      Set<Integer> scope = new HashSet<>();
      if (old != null) {
        scope.add(old.mark());
      }
      if (now != null) {
        scope.add(now.mark());
      }
      for (Map.Entry<String, Map<Integer, List<String>>> b : plan.ipvsServiceViews(now).entrySet()) {
        changes += balancer(b.getKey()).sync(b.getValue(), scope);
      }
    }
    if (old != null) {
      forget(old);
    }
    if (now != null) {
      remember(now);
    }
    return changes;
  }

  private static String join(java.util.concurrent.CompletableFuture<String> f) {
    try {
      return f.join();
    } catch (java.util.concurrent.CompletionException e) {
      throw e.getCause() instanceof RuntimeException r ? r : e;
    }
  }

  /** One platform thread for VIP syncs: NetNamespace.open/RtnlHandle work per call, no thread stays in a namespace. */
  private static final java.util.concurrent.Executor VIP_SYNC = r -> {
    Thread t = new Thread(r, "vip-sync");
    t.setDaemon(true);
    t.start();
  };

  private void requireApplied() {
    if (applied == null) {
      throw new IllegalStateException("no state applied on " + host.namespace() + " yet: apply a whole state first");
    }
  }

  private void remember(ServiceSpec s) {
    appliedServices.put(s.name(), s);
    markOwners.put(s.mark(), s.name());
    if (s.vips() != null) {
      s.vips().forEach((net, vip) -> vipOwners.put(net + "/" + vip, s.name()));
    }
    if (s.ports() != null) {
      s.ports().forEach(p -> portOwners.put(p.protocol() + "/" + p.published(), s.name()));
    }
  }

  private void forget(ServiceSpec s) {
    appliedServices.remove(s.name());
    markOwners.remove(s.mark(), s.name());
    if (s.vips() != null) {
      s.vips().forEach((net, vip) -> vipOwners.remove(net + "/" + vip, s.name()));
    }
    if (s.ports() != null) {
      s.ports().forEach(p -> portOwners.remove(p.protocol() + "/" + p.published(), s.name()));
    }
  }

  /** The service alone against the applied networks, then its mark and VIPs against the other services (indexed, not scanned). */
  private void checkAgainstOthers(ServiceSpec s) {
    StateValidator.check(new DataplaneState(applied.node(), applied.underlay(), applied.networks(), List.of(), List.of(),
        List.of(s)));
    List<String> problems = new ArrayList<>();
    String markOwner = markOwners.get(s.mark());
    if (markOwner != null && !markOwner.equals(s.name())) {
      problems.add("service " + s.name() + ".mark: " + s.mark() + " is used by service " + markOwner);
    }
    if (s.vips() != null) {
      for (Map.Entry<String, String> v : s.vips().entrySet()) {
        String owner = vipOwners.get(v.getKey() + "/" + v.getValue());
        if (owner != null && !owner.equals(s.name())) {
          problems.add("service " + s.name() + ".vips." + v.getKey() + ": " + v.getValue() + " is the VIP of service " + owner);
        }
      }
    }
    if (s.ports() != null) {
      for (meshplane.mesh.state.PortSpec p : s.ports()) {
        String owner = portOwners.get(p.protocol() + "/" + p.published());
        if (owner != null && !owner.equals(s.name())) {
          problems.add("service " + s.name() + ".ports: " + p.protocol() + "/" + p.published() + " is published by service " + owner);
        }
      }
    }
    if (!problems.isEmpty()) {
      throw new InvalidStateException(problems);
    }
  }

  private MeshTable table(String namespace) {
    return tables.computeIfAbsent(namespace, ns -> {
      try (NetNamespace n = NetNamespace.open(ns)) {
        return new MeshTable(n);
      }
    });
  }

  private IpvsBalancer balancer(String namespace) {
    return balancers.computeIfAbsent(namespace, ns -> {
      try (NetNamespace n = NetNamespace.open(ns)) {
        return new IpvsBalancer(n);
      }
    });
  }

  private void closeTable(String namespace) {
    MeshTable t = tables.remove(namespace);
    if (t != null) {
      t.close();
    }
    IpvsBalancer b = balancers.remove(namespace);
    if (b != null) {
      b.close();
    }
  }

  /** Task namespaces must exist, or be the node's own (named {@code <node>-...}), which are created. */
  private void checkNamespaces(DataplaneState s) {
    List<String> problems = new ArrayList<>();
    for (int i = 0; i < s.endpoints().size(); i++) {
      String ns = s.endpoints().get(i).namespace();
      if (!NetNamespace.exists(ns) && !ns.startsWith(MeshNames.nodePrefix(host.namespace()))) {
        problems.add("endpoints[" + i + "].namespace: \"" + ns + "\" does not exist, and only namespaces named "
            + MeshNames.nodePrefix(host.namespace()) + "... are created for tasks");
      }
    }
    if (!problems.isEmpty()) {
      throw new InvalidStateException(problems);
    }
  }

  private static Map<String, OverlayNetwork> networks(DataplaneState s) {
    Map<String, OverlayNetwork> m = new LinkedHashMap<>();
    for (NetworkSpec n : s.networks()) {
      m.put(n.id(), OverlayNetwork.of(n.id(), n.vni(), n.subnet(), n.gateway()));
    }
    return m;
  }

  private List<String> staleNetworks(Set<String> desired) {
    String prefix = host.sandboxNamespace("");
    List<String> stale = new ArrayList<>();
    for (String ns : NetNamespace.listWithPrefix(prefix)) {
      String id = ns.substring(prefix.length());
      if (!desired.contains(id)) {
        stale.add(id);
      }
    }
    return stale;
  }

  private void attachEndpoints(DataplaneState s, Map<String, OverlayNetwork> networks, ApplyReport report) {
    Map<String, Set<String>> ports = new HashMap<>();
    for (EndpointSpec e : s.endpoints()) {
      if (!NetNamespace.exists(e.namespace())) {
        NetNamespace.create(e.namespace()).close();
        report.add("created task namespace " + e.namespace());
      }
      OverlayNetwork net = networks.get(e.network());
      driver.attach(new Endpoint(e.id(), e.network(), new IpPrefix(address(e.ip()), net.subnet().length()),
          MacAddress.parse(e.mac()), e.namespace(), e.iface()));
      ports.computeIfAbsent(e.network(), k -> new HashSet<>()).add("mp-v" + e.id());
    }
    for (String net : networks.keySet()) {
      Set<String> keep = ports.getOrDefault(net, Set.of());
      try (NetNamespace sandbox = NetNamespace.open(host.sandboxNamespace(net)); RtnlHandle h = RtnlHandle.open(sandbox)) {
        for (Link l : h.links().list()) {
          boolean endpointPort = l.name().startsWith("mp-v") && !l.name().startsWith("mp-vx-");
          if (endpointPort && !l.name().equals("mp-v" + MeshNames.LB_ENDPOINT_ID) && !keep.contains(l.name())) {
            h.links().delete(l.name());
            report.add("network " + net + ": detached endpoint port " + l.name());
          }
        }
      }
    }
  }

  private Endpoint lbEndpoint(NetworkSpec net, String sandboxNs) {
    IpPrefix subnet = IpPrefix.parse(net.subnet());
    InetAddress a = address(net.lbAddress());
    return new Endpoint(MeshNames.LB_ENDPOINT_ID, net.id(), new IpPrefix(a, subnet.length()), MeshNames.lbMac(a),
        sandboxNs, MeshNames.SANDBOX_OVERLAY_IFACE);
  }

  private static Set<InetAddress> vips(DataplaneState s, String network) {
    Set<InetAddress> v = new HashSet<>();
    for (ServiceSpec svc : s.services()) {
      if ("vip".equals(svc.endpointMode()) && svc.vips() != null && svc.vips().get(network) != null) {
        v.add(address(svc.vips().get(network)));
      }
    }
    return v;
  }

  private List<Peer> peers(DataplaneState s, String network) {
    List<Peer> p = new ArrayList<>();
    for (PeerSpec ps : s.peers()) {
      if (ps.network().equals(network)) {
        p.add(new Peer(network, address(ps.ip()), MacAddress.parse(ps.mac()), (Inet4Address) address(ps.vtep())));
      }
    }
    return p;
  }

  private static InetAddress address(String literal) {
    return IpPrefix.literal(literal, literal);
  }

  /**
   * Removes everything the mesh made on the node: meshplane's table in the node's namespace,
   * the gateway bridge and its veth, and every namespace named {@code <node>-...} (network
   * sandboxes with their VXLAN devices, ingress_sbox, lb_ sandboxes, task namespaces it created).
   * Returns what was removed.
   */
  public List<String> reset() {
    List<String> removed = new ArrayList<>();
    for (MeshTable t : tables.values()) {
      t.close();
    }
    tables.clear();
    balancers.values().forEach(IpvsBalancer::close);
    balancers.clear();
    try (NetNamespace node = NetNamespace.open(host.namespace()); RtnlHandle n = RtnlHandle.open(node)) {
      try (MeshTable t = new MeshTable(node)) {
        if (t.delete()) {
          removed.add(host.namespace() + ": table ip " + MeshNames.TABLE);
        }
      }
      if (IngressGateway.remove(n)) {
        removed.add(host.namespace() + ": " + MeshNames.GW_INGRESS_PORT);
      }
      if (GatewayBridge.remove(n)) {
        removed.add(host.namespace() + ": " + MeshNames.GW_BRIDGE);
      }
      Sysctl.write(node, "net.ipv4.ip_forward", "0");
    }
    String prefix = host.sandboxNamespace("");
    for (String ns : NetNamespace.listWithPrefix(MeshNames.nodePrefix(host.namespace()))) {
      if (ns.startsWith(prefix)) {
        driver.removeNetwork(ns.substring(prefix.length()));
      } else {
        NetNamespace.delete(ns);
      }
      removed.add(ns);
    }
    applied = null;
    appliedServices = new LinkedHashMap<>();
    markOwners.clear();
    vipOwners.clear();
    portOwners.clear();
    return removed;
  }

  @Override
  public void close() {
    for (MeshTable t : tables.values()) {
      t.close();
    }
    tables.clear();
    balancers.values().forEach(IpvsBalancer::close);
    balancers.clear();
    driver.close();
  }
}
