package meshplane.bench;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import meshplane.lab.Lab;
import meshplane.lab.LabHost;
import meshplane.lab.LabSpec;
import meshplane.netlink.IpPrefix;
import meshplane.netlink.MacAddress;
import meshplane.netlink.NetNamespace;
import meshplane.vxlan.Endpoint;
import meshplane.vxlan.driver.OverlayDriver;
import meshplane.vxlan.OverlayNetwork;
import meshplane.vxlan.VtepHost;
import meshplane.vxlan.VtepKind;
import meshplane.nettyio.TransportChoice;

/**
 * scripts/bench-overlay.sh: iperf3 TCP throughput from node1 to node2 of a lab over five paths,
 * measured side by side in rounds (each round runs every path once; the median of the rounds
 * is reported), so that the machine's drift hits all paths alike:
 * <ol>
 *   <li>the underlay itself (198.18.0.1 to .2);
 *   <li>a hand-built kernel VXLAN link directly between the two node namespaces: the reference;
 *   <li>meshplane's kernel VTEP: endpoint, veth, sandbox bridge, VXLAN device, and back;
 *   <li>meshplane's userspace VTEP on io_uring, and 5. on epoll, on both nodes.
 * </ol>
 * Usage: OverlayBench [--seconds S] [--rounds R]. The lab ({@code mp-bench-*}) is removed at the end.
 */
public final class OverlayBench {
  private static final OverlayNetwork NET = OverlayNetwork.of("bench", 4242, "10.42.0.0/24", "10.42.0.1");

  private OverlayBench() {}

  public static void main(String[] args) throws Exception {
    int seconds = intArg(args, "--seconds", 5);
    int rounds = intArg(args, "--rounds", 3);
    String labName = "bench";
    Lab.down(labName);
    Lab lab = Lab.up(new LabSpec(labName, 2));
    Map<String, List<Double>> results = new LinkedHashMap<>();
    try {
      LabHost n1 = lab.host("node1");
      LabHost n2 = lab.host("node2");
      handBuiltReference(lab);
      String ep1 = endpointNamespace(n1);
      String ep2 = endpointNamespace(n2);
      System.out.printf("overlay benchmark: iperf3 TCP node1 -> node2, %d s per path, %d rounds%n", seconds, rounds);
      for (int round = 1; round <= rounds; round++) {
        measure(results, "underlay", n1.namespace(), n2.namespace(), "198.18.0.2", seconds);
        measure(results, "kernel vxlan, hand-built (reference)", n1.namespace(), n2.namespace(), "10.99.0.2", seconds);
        try (OverlayDriver d1 = driver(n1, VtepKind.KERNEL, TransportChoice.AUTO, ep1, 11);
             OverlayDriver d2 = driver(n2, VtepKind.KERNEL, TransportChoice.AUTO, ep2, 12)) {
          peer(d1, d2, ep1, ep2);
          measure(results, "meshplane kernel VTEP", ep1, ep2, "10.42.0.12", seconds);
          removeNetwork(d1, d2);
        }
        for (TransportChoice t : new TransportChoice[] {TransportChoice.IO_URING, TransportChoice.EPOLL}) {
          try (OverlayDriver d1 = driver(n1, VtepKind.USERSPACE, t, ep1, 11);
               OverlayDriver d2 = driver(n2, VtepKind.USERSPACE, t, ep2, 12)) {
            peer(d1, d2, ep1, ep2);
            measure(results, "meshplane userspace VTEP, " + d1.userspace().orElseThrow().transport(), ep1, ep2, "10.42.0.12", seconds);
            removeNetwork(d1, d2);
          }
        }
        System.out.printf("  round %d of %d done%n", round, rounds);
      }
    } finally {
      Lab.down(labName);
    }
    report(results);
  }

  private static void report(Map<String, List<Double>> results) {
    double underlay = median(results.get("underlay"));
    double reference = median(results.get("kernel vxlan, hand-built (reference)"));
    System.out.println();
    System.out.printf("%-42s %9s %12s %13s   %s%n", "path", "Gbit/s", "x underlay", "x reference", "rounds");
    for (Map.Entry<String, List<Double>> e : results.entrySet()) {
      double g = median(e.getValue());
      System.out.printf("%-42s %9.2f %12.2f %13.2f   %s%n", e.getKey(), g, g / underlay, g / reference,
          e.getValue().stream().map(v -> String.format("%.2f", v)).toList());
    }
    double kernel = median(results.get("meshplane kernel VTEP"));
    double best = results.entrySet().stream().filter(e -> e.getKey().startsWith("meshplane userspace"))
        .mapToDouble(e -> median(e.getValue())).max().orElse(0);
    System.out.printf("summary: reference %.2f x underlay; meshplane kernel VTEP %.2f x reference (goal >= 0.95: %s); "
        + "userspace VTEP best %.2f Gbit/s = %.2f x reference%n", reference / underlay, kernel / reference,
        kernel / reference >= 0.95 ? "met" : "NOT met", best, best / reference);
  }

  private static void measure(Map<String, List<Double>> results, String path, String from, String to, String ip, int seconds) {
    double g = Iperf.gbits(from, to, ip, seconds);
    results.computeIfAbsent(path, k -> new ArrayList<>()).add(g);
  }

  /** The reference: a VXLAN device straight in each node namespace, as a person would build it. */
  private static void handBuiltReference(Lab lab) {
    for (int k = 1; k <= 2; k++) {
      String self = "198.18.0." + k;
      String other = "198.18.0." + (3 - k);
      String node = "node" + k;
      lab.run(node, "ip", "link", "add", "mp-ref", "type", "vxlan", "id", "99", "dstport", "4790", "local", self,
          "remote", other, "nolearning").orThrow();
      lab.run(node, "ip", "link", "set", "mp-ref", "mtu", "1450", "up").orThrow();
      lab.run(node, "ip", "addr", "add", "10.99.0." + k + "/24", "dev", "mp-ref").orThrow();
    }
  }

  private static String endpointNamespace(LabHost node) {
    String ns = node.namespace() + "-bench";
    NetNamespace.create(ns).close();
    return ns;
  }

  private static OverlayDriver driver(LabHost node, VtepKind kind, TransportChoice t, String epNs, int host) throws Exception {
    VtepHost vh = new VtepHost(node.namespace(), (Inet4Address) InetAddress.getByName(node.underlayAddress()), "eth0");
    OverlayDriver d = new OverlayDriver(vh, kind, t);
    d.ensureNetwork(NET);
    d.attach(endpoint(epNs, host));
    return d;
  }

  private static Endpoint endpoint(String ns, int host) {
    return new Endpoint("b" + host, NET.id(), IpPrefix.parse("10.42.0." + host + "/24"),
        MacAddress.parse(String.format("02:42:0a:2a:00:%02x", host)), ns, "eth0");
  }

  private static void peer(OverlayDriver d1, OverlayDriver d2, String ep1, String ep2) {
    d1.setPeers(NET.id(), List.of(endpoint(ep2, 12).asPeer(d2.host().underlay())));
    d2.setPeers(NET.id(), List.of(endpoint(ep1, 11).asPeer(d1.host().underlay())));
  }

  private static void removeNetwork(OverlayDriver d1, OverlayDriver d2) {
    d1.removeNetwork(NET.id());
    d2.removeNetwork(NET.id());
  }

  private static double median(List<Double> v) {
    double[] s = v.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
  }

  private static int intArg(String[] args, String name, int dflt) {
    int i = Arrays.asList(args).indexOf(name);
    if (i < 0) {
      return dflt;
    }
    int v = Integer.parseInt(args[i + 1]);
    if (v < 1 || v > 60) {
      throw new IllegalArgumentException(name + " " + v + " must be between 1 and 60");
    }
    return v;
  }
}
