package meshplane.mesh;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Collectors;
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
    }
  }

  private static void describeTable(TableSpec t, List<String> out) {
    Map<Integer, String> serviceByMark = new TreeMap<>();
    for (SetElement e : elements(t, LbTables.SERVICES)) {
      serviceByMark.put(hostInt(e.key()), e.verdict() == null || e.verdict().chain() == null ? "?" : e.verdict().chain().substring(4));
    }
    for (SetElement e : elements(t, LbTables.PUBLISHED)) {
      out.add("  publish: " + protoPort(e.key()) + " -> DNAT to ingress_sbox " + MeshNames.INGRESS_SBOX_GW_ADDRESS);
    }
    for (SetElement e : elements(t, LbTables.INGRESS_MARKS)) {
      int mark = hostInt(e.data());
      out.add("  mark:   " + protoPort(e.key()) + " -> 0x" + Integer.toHexString(mark) + " (" + serviceByMark.getOrDefault(mark, "?") + ")");
    }
    for (SetElement e : elements(t, LbTables.VIP_MARKS)) {
      int mark = hostInt(e.data());
      out.add("  vip:    " + address(e.key()) + " -> 0x" + Integer.toHexString(mark) + " (" + serviceByMark.getOrDefault(mark, "?") + ")");
    }
    for (Map.Entry<Integer, String> s : serviceByMark.entrySet()) {
      int mark = s.getKey();
      String backends = elements(t, LbTables.BACKENDS).stream().filter(e -> hostInt(e.key()) == mark)
          .map(e -> address(e.data())).collect(Collectors.joining(" "));
      out.add("  lb:     0x" + Integer.toHexString(s.getKey()) + " " + s.getValue() + " -> round robin over ["
          + backends + "] (nf_tables chain " + MeshNames.serviceChain(s.getValue()) + ", map " + LbTables.BACKENDS + ")");
    }
    out.add("  table:  nft list table ip " + MeshNames.TABLE + "  (" + t.chains().size() + " chains, " + t.sets().size()
        + " sets, " + t.rules().size() + " rules)");
  }

  private static List<SetElement> elements(TableSpec t, String set) {
    return t.sets().stream().filter(s -> s.name().equals(set)).findFirst().map(SetSpec::elements).orElse(List.of());
  }

  private static int hostInt(Datum d) {
    byte[] b = d.bytes();
    return (b[0] & 0xff) | ((b[1] & 0xff) << 8) | ((b[2] & 0xff) << 16) | ((b[3] & 0xff) << 24);
  }

  private static String address(Datum d) {
    byte[] b = d.bytes();
    return (b[0] & 0xff) + "." + (b[1] & 0xff) + "." + (b[2] & 0xff) + "." + (b[3] & 0xff);
  }

  private static String protoPort(Datum d) {
    byte[] b = d.bytes();
    return (b[0] == 6 ? "tcp" : b[0] == 17 ? "udp" : "proto " + b[0]) + "/" + (((b[4] & 0xff) << 8) | (b[5] & 0xff));
  }
}
