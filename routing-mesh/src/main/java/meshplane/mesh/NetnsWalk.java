package meshplane.mesh;

import meshplane.mesh.names.MeshNames;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Collectors;
import meshplane.mesh.lb.LbMode;
import meshplane.mesh.lb.LbTables;
import meshplane.mesh.lb.MeshTable;
import meshplane.netlink.NetNamespace;
import meshplane.netlink.rtnl.AddressEntry;
import meshplane.netlink.rtnl.Link;
import meshplane.netlink.rtnl.RtnlHandle;
import meshplane.nft.Datum;
import meshplane.nft.SetElement;
import meshplane.nft.SetSpec;
import meshplane.nft.TableSpec;
import meshplane.vxlan.VtepHost;

/**
 * {@code meshctl debug netns}: seed 002's debugging walk in one command. Every namespace of a
 * node (the node itself, ingress_sbox, the lb_ sandboxes, the overlay sandboxes, the tasks) with
 * the nsenter command to enter it and what it holds: links and addresses, VIPs, marks, published
 * ports, load-balancer entries, as read from the kernel.
 */
public final class NetnsWalk {
  private final VtepHost host;

  public NetnsWalk(VtepHost host) {
    this.host = host;
  }

  public List<String> lines() {
    List<String> out = new ArrayList<>();
    String node = host.namespace();
    out.add("load balancer: " + loadBalancerInUse() + "; --lb auto here: " + autoChoice());
    List<String> namespaces = new ArrayList<>();
    namespaces.add(node);
    List<String> rest = NetNamespace.listWithPrefix(MeshNames.nodePrefix(node));
    rest.stream().filter(n -> n.equals(MeshNames.ingressSandbox(node))).forEach(namespaces::add);
    rest.stream().filter(n -> n.startsWith(node + "-lb_")).sorted().forEach(namespaces::add);
    rest.stream().filter(n -> n.startsWith(host.sandboxNamespace(""))).sorted().forEach(namespaces::add);
    rest.stream().filter(n -> !namespaces.contains(n)).sorted().forEach(namespaces::add);
    for (String ns : namespaces) {
      describe(ns, out);
    }
    return out;
  }

  /** What the node's sandboxes use now: nf_tables balancing maps, IPVS services, or nothing yet. */
  private String loadBalancerInUse() {
    List<String> sandboxes = NetNamespace.listWithPrefix(MeshNames.nodePrefix(host.namespace())).stream()
        .filter(n -> n.equals(MeshNames.ingressSandbox(host.namespace())) || n.startsWith(host.namespace() + "-lb_")).toList();
    for (String name : sandboxes) {
      try (NetNamespace ns = NetNamespace.open(name); MeshTable t = new MeshTable(ns)) {
        Optional<TableSpec> table = t.read();
        if (table.isPresent() && table.get().sets().stream().anyMatch(s -> s.name().equals(LbTables.BALANCERS))) {
          return "nftables (balancing maps in " + name + ")";
        }
        if (table.isPresent()) {
          return "ipvs (marks in nf_tables, no balancing maps in " + name + ")";
        }
      }
    }
    return "none programmed yet";
  }

  private String autoChoice() {
    try (NetNamespace ns = NetNamespace.open(host.namespace())) {
      return LbMode.AUTO.resolve(ns).explain(LbMode.AUTO, ns);
    }
  }

  private String role(String ns) {
    String node = host.namespace();
    if (ns.equals(node)) {
      return "node";
    }
    if (ns.equals(MeshNames.ingressSandbox(node))) {
      return "ingress_sbox";
    }
    if (ns.startsWith(node + "-lb_")) {
      return "lb_" + ns.substring((node + "-lb_").length());
    }
    if (ns.startsWith(host.sandboxNamespace(""))) {
      return "overlay sandbox of network " + ns.substring(host.sandboxNamespace("").length());
    }
    return "task";
  }

  private void describe(String name, List<String> out) {
    out.add(role(name) + "  " + name);
    try (NetNamespace ns = NetNamespace.open(name); RtnlHandle h = RtnlHandle.open(ns)) {
      out.add("  enter:  " + ns.nsenterCommand());
      List<Link> links = h.links().list();
      List<AddressEntry> addrs = h.addresses().list();
      for (Link l : links) {
        if (l.name().equals("lo")) {
          continue;
        }
        String a = addrs.stream().filter(x -> x.linkIndex() == l.index()).map(x -> x.prefix().toString())
            .collect(Collectors.joining(" "));
        String kind = l.kind() == null ? "" : " " + l.kind();
        String vni = l.vxlan() == null ? "" : " vni " + l.vxlan().vni();
        String master = l.masterIndex() == 0 ? "" : " master " + links.stream().filter(m -> m.index() == l.masterIndex())
            .map(Link::name).findFirst().orElse("#" + l.masterIndex());
        out.add("  link:   " + l.name() + kind + vni + master + (l.isUp() ? " up" : " down") + (a.isEmpty() ? "" : "  " + a));
      }
      Optional<TableSpec> table;
      try (MeshTable t = new MeshTable(ns)) {
        table = t.read();
      }
      table.ifPresent(t -> describeTable(t, out));
      if (table.isPresent() && !name.equals(host.namespace()) && meshplane.ipvs.Ipvs.isAvailable(ns)) {
        for (Map.Entry<Integer, Map<String, meshplane.mesh.lb.IpvsDiff.Observed>> svc
            : new TreeMap<>(meshplane.mesh.lb.IpvsBalancer.observe(ns)).entrySet()) {
          StringBuilder line = new StringBuilder("  ipvs:   FWM 0x" + Integer.toHexString(svc.getKey()) + " rr ->");
          new TreeMap<>(svc.getValue()).forEach((ip, o) -> line.append(' ').append(ip).append(" (weight ").append(o.weight())
              .append(", ").append(o.activeConnections()).append(" active)"));
          out.add(line.toString());
        }
      }
    }
  }

  private static void describeTable(TableSpec t, List<String> out) {
    Map<Integer, String> serviceByMark = new TreeMap<>();
    Map<Integer, String> chainByMark = new TreeMap<>();
    for (SetElement e : elements(t, LbTables.SERVICES)) {
      int mark = e.key().host32At(0);
      serviceByMark.put(mark, e.comment() == null ? "?" : e.comment());
      chainByMark.put(mark, (t.sets().stream().anyMatch(x -> x.name().equals(LbTables.INGRESS_BACKENDS)) ? "ing-" : "lb-")
          + e.data().host32At(0));
    }
    for (SetElement e : elements(t, LbTables.PUBLISHED)) {
      out.add("  publish: " + protoPort(e.key(), 0) + " -> DNAT to ingress_sbox " + MeshNames.INGRESS_SBOX_GW_ADDRESS);
    }
    for (SetElement e : elements(t, LbTables.INGRESS_MARKS)) {
      int mark = e.data().host32At(0);
      out.add("  mark:   " + protoPort(e.key(), 0) + " -> 0x" + Integer.toHexString(mark) + " (" + serviceByMark.getOrDefault(mark, "?") + ")");
    }
    for (SetElement e : elements(t, LbTables.VIP_MARKS)) {
      int mark = e.data().host32At(0);
      out.add("  vip:    " + e.key().ipv4At(0) + " -> 0x" + Integer.toHexString(mark) + " (" + serviceByMark.getOrDefault(mark, "?") + ")");
    }
    for (SetElement e : elements(t, LbTables.INGRESS_PORTS)) {
      out.add("  port:   " + protoPort(e.key(), 0) + " -> " + e.data().ipv4At(0) + ":" + e.data().be16At(4) + " (then IPVS)");
    }
    Map<Integer, List<String>> backends = new TreeMap<>();
    for (SetElement e : elements(t, LbTables.BACKENDS)) {
      backends.computeIfAbsent(e.key().host32At(0), k -> new java.util.ArrayList<>()).add(e.data().ipv4At(0));
    }
    for (SetElement e : elements(t, LbTables.INGRESS_BACKENDS)) {
      backends.computeIfAbsent(e.key().host32At(0), k -> new java.util.ArrayList<>())
          .add(protoPort(e.key(), 4) + " -> " + e.data().ipv4At(0) + ":" + e.data().be16At(4));
    }
    for (Map.Entry<Integer, String> s : serviceByMark.entrySet()) {
      out.add("  lb:     0x" + Integer.toHexString(s.getKey()) + " " + s.getValue() + " -> jump " + chainByMark.get(s.getKey())
          + ", round robin over [" + String.join(", ", backends.getOrDefault(s.getKey(), List.of())) + "]");
    }
    out.add("  table:  nft list table ip " + MeshNames.TABLE + "  (" + t.chains().size() + " chains, " + t.sets().size()
        + " sets, " + t.rules().size() + " rules)");
  }

  private static List<SetElement> elements(TableSpec t, String set) {
    return t.sets().stream().filter(s -> s.name().equals(set)).findFirst().map(SetSpec::elements).orElse(List.of());
  }

  /** proto . port at byte {@code at} of a concatenation (each part padded to 4 bytes). */
  private static String protoPort(Datum d, int at) {
    int proto = d.bytes()[at] & 0xff;
    return (proto == 6 ? "tcp" : proto == 17 ? "udp" : "proto " + proto) + "/" + d.be16At(at + 4);
  }
}
