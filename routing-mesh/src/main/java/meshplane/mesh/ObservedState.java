package meshplane.mesh;

import meshplane.mesh.names.MeshNames;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import meshplane.mesh.lb.LbTables;
import meshplane.mesh.lb.MeshTable;
import meshplane.dataplane.Addresses;
import meshplane.dataplane.BackendSpec;
import meshplane.dataplane.EndpointMode;
import meshplane.dataplane.Protocol;
import meshplane.dataplane.PublishMode;
import meshplane.dataplane.DataplaneState;
import meshplane.dataplane.EndpointSpec;
import meshplane.dataplane.NetworkSpec;
import meshplane.dataplane.PeerSpec;
import meshplane.dataplane.PortSpec;
import meshplane.dataplane.ServiceSpec;
import meshplane.netlink.IpPrefix;
import meshplane.netlink.NetNamespace;
import meshplane.netlink.rtnl.AddressEntry;
import meshplane.netlink.rtnl.Link;
import meshplane.netlink.rtnl.RtnlHandle;
import meshplane.nft.Datum;
import meshplane.nft.SetElement;
import meshplane.nft.SetSpec;
import meshplane.nft.TableSpec;
import meshplane.vxlan.KernelPeers;
import meshplane.vxlan.OverlayNetwork;
import meshplane.vxlan.OverlaySandbox;
import meshplane.vxlan.Peer;
import meshplane.vxlan.VtepHost;

/**
 * Reads a node's data plane back from the kernel into the desired-state shape
 * ({@code meshctl dataplane show}): networks from the sandboxes (VXLAN VNI, bridge gateway),
 * load-balancer addresses from ingress_sbox and the lb_ sandboxes, endpoints from the task
 * namespaces' veths, peers from the VTEPs' neighbour and FDB entries, services from meshplane's
 * tables (VIP and port marks, dispatch maps, backend maps). A dnsrr service without published
 * ports has nothing in the kernel, so it does not appear.
 */
public final class ObservedState {
  private final VtepHost host;

  public ObservedState(VtepHost host) {
    this.host = host;
  }

  public DataplaneState read() {
    String node = host.namespace();
    String ovPrefix = host.sandboxNamespace("");
    Map<String, OverlayNetwork> nets = new TreeMap<>();
    Map<String, Integer> netVnis = new HashMap<>();
    for (String ns : NetNamespace.listWithPrefix(ovPrefix)) {
      String id = ns.substring(ovPrefix.length());
      if (!NetNamespace.exists(ns)) {
        continue; // a bare file a create killed halfway left: no namespace yet, the apply makes it
      }
      try (NetNamespace n = NetNamespace.open(ns); RtnlHandle h = RtnlHandle.open(n)) {
        Optional<Link> vx = h.links().list().stream().filter(l -> "vxlan".equals(l.kind())).findFirst();
        Optional<AddressEntry> gw = h.addresses().list(OverlaySandbox.BRIDGE).stream().filter(AddressEntry::isIpv4).findFirst();
        if (vx.isEmpty() || gw.isEmpty() || vx.get().vxlan() == null) {
          continue; // half-built: the next apply repairs it
        }
        IpPrefix p = gw.get().prefix();
        netVnis.put(id, vx.get().vxlan().vni());
        nets.put(id, new OverlayNetwork(id, vx.get().vxlan().vni(), p.network(), p.address(), OverlayNetwork.DEFAULT_MTU, OverlayNetwork.DEFAULT_PORT));
      }
    }
    String ingressNs = MeshNames.ingressSandbox(node);
    Map<String, Inet4Address> lbAddress = new HashMap<>();
    String ingressId = null;
    for (OverlayNetwork net : nets.values()) {
      String lbNs = MeshNames.lbSandbox(node, net.id());
      for (String ns : List.of(lbNs, ingressNs)) {
        Optional<InetAddress> a = sandboxAddress(ns, net);
        if (a.isPresent()) {
          lbAddress.put(net.id(), (Inet4Address) a.get());
          if (ns.equals(ingressNs)) {
            ingressId = net.id();
          }
        }
      }
    }
    List<NetworkSpec> networks = new ArrayList<>();
    List<PeerSpec> peers = new ArrayList<>();
    for (OverlayNetwork net : nets.values()) {
      networks.add(new NetworkSpec(net.id(), net.vni(), net.subnet(), (Inet4Address) net.gateway(),
          net.id().equals(ingressId), Optional.ofNullable(lbAddress.get(net.id()))));
      try (NetNamespace n = NetNamespace.open(host.sandboxNamespace(net.id())); RtnlHandle h = RtnlHandle.open(n)) {
        for (Peer p : KernelPeers.read(net, h)) {
          peers.add(new PeerSpec(net.id(), (Inet4Address) p.ip(), p.mac(), p.vtep()));
        }
      }
    }
    return new DataplaneState(host.namespace(), host.underlay(), networks, endpoints(nets),
        peers, services(nets, ingressId));
  }

  private Optional<InetAddress> sandboxAddress(String ns, OverlayNetwork net) {
    if (!NetNamespace.exists(ns)) {
      return Optional.empty();
    }
    try (NetNamespace n = NetNamespace.open(ns); RtnlHandle h = RtnlHandle.open(n)) {
      if (h.links().get(MeshNames.SANDBOX_OVERLAY_IFACE).isEmpty()) {
        return Optional.empty();
      }
      return h.addresses().list(MeshNames.SANDBOX_OVERLAY_IFACE).stream()
          .filter(a -> a.isIpv4() && a.prefix().length() == net.subnet().length() && net.subnet().contains(a.prefix().address()))
          .map(a -> a.prefix().address()).findFirst();
    }
  }

  private List<EndpointSpec> endpoints(Map<String, OverlayNetwork> nets) {
    Map<String, Map<Integer, String>> portIdsByPeer = new HashMap<>();
    for (OverlayNetwork net : nets.values()) {
      Map<Integer, String> byPeer = new HashMap<>();
      try (NetNamespace n = NetNamespace.open(host.sandboxNamespace(net.id())); RtnlHandle h = RtnlHandle.open(n)) {
        for (Link l : h.links().list()) {
          if (l.name().startsWith("mp-v") && !l.name().startsWith("mp-vx-") && l.peerIndex() != 0) {
            byPeer.put(l.peerIndex(), l.name().substring(4));
          }
        }
      }
      portIdsByPeer.put(net.id(), byPeer);
    }
    List<EndpointSpec> out = new ArrayList<>();
    for (String ns : NetNamespace.listWithPrefix(MeshNames.nodePrefix(host.namespace()))) {
      if (isSandbox(ns) || !NetNamespace.exists(ns)) {
        continue; // a bare file a create killed halfway left is no task namespace yet: the apply makes it
      }
      try (NetNamespace n = NetNamespace.open(ns); RtnlHandle h = RtnlHandle.open(n)) {
        for (AddressEntry a : h.addresses().list()) {
          for (OverlayNetwork net : nets.values()) {
            String id = portIdsByPeer.get(net.id()).get(a.linkIndex());
            if (a.isIpv4() && net.subnet().contains(a.prefix().address()) && id != null) {
              Link l = h.links().list().stream().filter(x -> x.index() == a.linkIndex()).findFirst().orElseThrow();
              out.add(new EndpointSpec(id, net.id(), (Inet4Address) a.prefix().address(), l.mac(), ns, l.name(), Optional.empty()));
            }
          }
        }
      }
    }
    return out;
  }

  /** True for the mesh's own namespaces of this node (not task namespaces). */
  boolean isSandbox(String ns) {
    String node = host.namespace();
    return ns.startsWith(host.sandboxNamespace("")) || ns.startsWith(node + "-lb_") || ns.equals(MeshNames.ingressSandbox(node));
  }

  private List<ServiceSpec> services(Map<String, OverlayNetwork> nets, String ingressId) {
    Map<Integer, Builder> byMark = new TreeMap<>();
    for (OverlayNetwork net : nets.values()) {
      boolean ingress = net.id().equals(ingressId);
      String ns = ingress ? MeshNames.ingressSandbox(host.namespace()) : MeshNames.lbSandbox(host.namespace(), net.id());
      Optional<TableSpec> t = table(ns);
      if (t.isEmpty()) {
        continue;
      }
      for (SetElement e : set(t.get(), LbTables.SERVICES)) {
        if (e.comment() != null) {
          byMark.computeIfAbsent(e.key().host32At(0), Builder::new).name = e.comment();
        }
      }
      if (ingress) {
        for (SetElement e : set(t.get(), LbTables.INGRESS_MARKS)) {
          byte[] k = e.key().bytes();
          byMark.computeIfAbsent(e.data().host32At(0), Builder::new).published.add(new ProtoPort(protocol(k[0]), e.key().be16At(4)));
        }
        for (SetElement e : set(t.get(), LbTables.INGRESS_BACKENDS)) {
          Builder b = byMark.computeIfAbsent(e.key().host32At(0), Builder::new);
          b.targets.put(new ProtoPort(protocol(e.key().bytes()[4]), e.key().be16At(8)), e.data().be16At(4));
          BackendSpec be = new BackendSpec(net.id(), Addresses.ipv4(e.data().ipv4At(0)));
          if (!b.backends.contains(be)) {
            b.backends.add(be);
          }
        }
        for (SetElement e : set(t.get(), LbTables.INGRESS_PORTS)) { // IPVS: the port rewrite says the target
          int mark = markOf(t.get(), e.key());
          if (mark != 0) {
            byMark.computeIfAbsent(mark, Builder::new).targets.put(new ProtoPort(protocol(e.key().bytes()[0]), e.key().be16At(4)),
                e.data().be16At(4));
          }
        }
        ipvsBackends(ns, net.id(), byMark);
      } else {
        ipvsBackends(ns, net.id(), byMark);
        for (SetElement e : set(t.get(), LbTables.VIP_MARKS)) {
          byMark.computeIfAbsent(e.data().host32At(0), Builder::new).vips.put(net.id(), Addresses.ipv4(e.key().ipv4At(0)));
        }
        for (SetElement e : set(t.get(), LbTables.BACKENDS)) {
          byMark.computeIfAbsent(e.key().host32At(0), Builder::new).backends.add(new BackendSpec(net.id(), Addresses.ipv4(e.data().ipv4At(0))));
        }
      }
    }
    List<ServiceSpec> out = new ArrayList<>();
    for (Builder b : byMark.values()) {
      List<PortSpec> ports = new ArrayList<>();
      for (ProtoPort p : b.published) {
        ports.add(new PortSpec(p.protocol(), p.port(), b.targets.getOrDefault(p, 0), PublishMode.INGRESS));
      }
      out.add(new ServiceSpec(b.name, EndpointMode.VIP, b.mark, b.vips, ports, b.backends));
    }
    out.sort(java.util.Comparator.comparing(ServiceSpec::name));
    return out;
  }

  /** The mark of an ingress-marks key (proto . port), or 0. */
  private static int markOf(TableSpec t, Datum protoPort) {
    for (SetElement e : set(t, LbTables.INGRESS_MARKS)) {
      if (e.key().equals(protoPort)) {
        return e.data().host32At(0);
      }
    }
    return 0;
  }

  /** With the IPVS load balancer, the backends are the fwmark services' destinations (drained ones too). */
  private static void ipvsBackends(String ns, String network, Map<Integer, Builder> byMark) {
    try (NetNamespace n = NetNamespace.open(ns)) {
      if (!meshplane.ipvs.Ipvs.isAvailable(n)) {
        return;
      }
      {
        for (Map.Entry<Integer, Map<String, meshplane.mesh.lb.IpvsDiff.Observed>> s
            : meshplane.mesh.lb.IpvsBalancer.observe(n).entrySet()) {
          Builder builder = byMark.computeIfAbsent(s.getKey(), Builder::new);
          for (String ip : new java.util.TreeSet<>(s.getValue().keySet())) {
            BackendSpec be = new BackendSpec(network, Addresses.ipv4(ip));
            if (!builder.backends.contains(be)) {
              builder.backends.add(be);
            }
          }
        }
      }
    }
  }

  private static Optional<TableSpec> table(String ns) {
    if (!NetNamespace.exists(ns)) {
      return Optional.empty();
    }
    try (NetNamespace n = NetNamespace.open(ns); MeshTable t = new MeshTable(n)) {
      return t.read();
    }
  }

  private static List<SetElement> set(TableSpec t, String name) {
    return t.sets().stream().filter(s -> s.name().equals(name)).findFirst().map(SetSpec::elements).orElse(List.of());
  }

  /** IPPROTO_TCP (6) or else UDP, as the tables key published ports. */
  private static Protocol protocol(byte ipProto) {
    return ipProto == 6 ? Protocol.TCP : Protocol.UDP;
  }

  private record ProtoPort(Protocol protocol, int port) {}

  /** A service as its parts are found; named by its dispatch entry's comment, else after its mark. */
  private static final class Builder {
    final int mark;
    String name;
    final Map<String, Inet4Address> vips = new LinkedHashMap<>();
    final List<ProtoPort> published = new ArrayList<>();
    final Map<ProtoPort, Integer> targets = new HashMap<>();
    final List<BackendSpec> backends = new ArrayList<>();

    Builder(int mark) {
      this.mark = mark;
      this.name = "mark-0x" + Integer.toHexString(mark);
    }
  }
}
