package meshplane.mesh;

import meshplane.mesh.names.MeshNames;
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
import meshplane.mesh.lb.MeshPlan;
import meshplane.mesh.lb.MeshTable;
import meshplane.mesh.sandbox.GatewayBridge;
import meshplane.mesh.sandbox.IngressGateway;
import meshplane.mesh.sandbox.LbSandbox;
import meshplane.mesh.sandbox.VipAddresses;
import meshplane.dataplane.DataplaneState;
import meshplane.dataplane.EndpointSpec;
import meshplane.dataplane.NetworkSpec;
import meshplane.dataplane.PeerSpec;
import meshplane.dataplane.ServiceSpec;
import meshplane.netlink.IpPrefix;
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
import meshplane.nettyio.TransportChoice;


/**
 * The kernel half of the routing mesh: programs what a {@link MeshPlan} says into the node's
 * namespaces (overlay networks and endpoints through the overlay driver, peers, the gateway
 * bridge, {@code ingress_sbox}, the {@code lb_<network>} sandboxes with their VIPs, nf_tables
 * tables, IPVS), reading each object back first so only the difference is changed. It decides
 * nothing: validation and planning are {@link MeshReconciler}'s and {@link MeshPlan}'s.
 */
final class MeshProgrammer implements AutoCloseable {
  private final VtepHost host;
  private final OverlayDriver driver;
  private final LbMode loadBalancer;
  private final Map<String, MeshTable> tables = new HashMap<>();
  private final Map<String, IpvsBalancer> balancers = new HashMap<>();

  MeshProgrammer(VtepHost host, LbMode lb) {
    this.host = host;
    this.loadBalancer = lb;
    this.driver = new OverlayDriver(host, VtepKind.KERNEL, TransportChoice.AUTO);
  }

  /** Programs the whole of {@code desired} as {@code plan} lays it out; each step that changed something goes into {@code report}. */
  void programAll(DataplaneState desired, MeshPlan plan, ApplyReport report) {
    try (NetNamespace node = NetNamespace.open(host.namespace()); RtnlHandle n = RtnlHandle.open(node)) {
      Sysctl.write(node, "net.ipv4.ip_forward", "1");
      Map<String, OverlayNetwork> networks = networks(desired);
      for (OverlayNetwork net : networks.values()) {
        driver.ensureNetwork(net);
      }
      for (String stale : staleNetworks(networks.keySet())) {
        closeTable(MeshNames.lbSandbox(host.namespace(), stale)); // its cached netlink sockets are in the namespace going away
        LbSandbox.remove(MeshNames.lbSandbox(host.namespace(), stale));
        driver.removeNetwork(stale);
        report.add("removed network " + stale);
      }
      report.phase("networks");
      attachEndpoints(desired, networks, report);
      report.phase("endpoints");
      NetworkSpec ingress = plan.ingress();
      String ingressNs = MeshNames.ingressSandbox(host.namespace());
      if (ingress != null && ingress.lbAddress().isPresent()) {
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
  }

  /** Grows every skeleton from {@code was} balancing chains to {@code plan}'s; returns the changes. */
  int growChains(MeshPlan was, MeshPlan plan) {
    int changes = 0;
    Map<String, TableSpec> before = was.skeletons();
    for (Map.Entry<String, TableSpec> sk : plan.skeletons().entrySet()) {
      changes += table(sk.getKey()).apply(sk.getValue(), before.get(sk.getKey()));
    }
    return changes;
  }

  /** Programs one service's change from {@code old} to {@code now} (either null): its VIPs and its part of each table. */
  int programService(MeshPlan plan, ServiceSpec old, ServiceSpec now) {
    int changes = 0;
    Map<String, TableSpec> before = plan.serviceViews(old);
    Map<String, TableSpec> after = plan.serviceViews(now);
    for (NetworkSpec net : plan.lbNetworks()) {
      InetAddress was = old == null ? null : old.vips().get(net.id());
      InetAddress is = now == null ? null : now.vips().get(net.id());
      if (java.util.Objects.equals(was, is)) {
        continue;
      }
      try (NetNamespace ns = NetNamespace.open(MeshNames.lbSandbox(host.namespace(), net.id()));
          RtnlHandle h = RtnlHandle.open(ns)) {
        if (is != null) {
          VipAddresses.add(h, MeshNames.SANDBOX_OVERLAY_IFACE, is);
        }
        if (was != null) {
          VipAddresses.delete(h, MeshNames.SANDBOX_OVERLAY_IFACE, was);
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

  private static Map<String, OverlayNetwork> networks(DataplaneState s) {
    Map<String, OverlayNetwork> m = new LinkedHashMap<>();
    for (NetworkSpec n : s.networks()) {
      m.put(n.id(), new OverlayNetwork(n.id(), n.vni(), n.subnet(), n.gateway(), OverlayNetwork.DEFAULT_MTU, OverlayNetwork.DEFAULT_PORT));
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
      driver.attach(new Endpoint(e.id(), e.network(), new IpPrefix(e.ip(), net.subnet().length()),
          e.mac(), e.namespace(), e.iface()));
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
    IpPrefix a = net.lbInterfaceAddress().orElseThrow(() -> new IllegalStateException("network " + net.id() + " has no lbAddress"));
    return new Endpoint(MeshNames.LB_ENDPOINT_ID, net.id(), a, MeshNames.lbMac(a.address()),
        sandboxNs, MeshNames.SANDBOX_OVERLAY_IFACE);
  }

  private static Set<InetAddress> vips(DataplaneState s, String network) {
    Set<InetAddress> v = new HashSet<>();
    for (ServiceSpec svc : s.services()) {
      if (svc.isVip()) {
        svc.vip(network).ifPresent(v::add);
      }
    }
    return v;
  }

  private List<Peer> peers(DataplaneState s, String network) {
    List<Peer> p = new ArrayList<>();
    for (PeerSpec ps : s.peers()) {
      if (ps.network().equals(network)) {
        p.add(new Peer(network, ps.ip(), ps.mac(), ps.vtep()));
      }
    }
    return p;
  }

  /**
   * Removes everything the mesh made on the node: meshplane's table in the node's namespace,
   * the gateway bridge and its veth, and every namespace named {@code <node>-...} (network
   * sandboxes with their VXLAN devices, ingress_sbox, lb_ sandboxes, task namespaces it created).
   * Returns what was removed.
   */
  List<String> reset() {
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
