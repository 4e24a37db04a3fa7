package meshplane.bench;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import meshplane.lab.Lab;
import meshplane.lab.LabHost;
import meshplane.lab.LabSpec;
import meshplane.mesh.MeshReconciler;
import meshplane.mesh.lb.LbMode;
import meshplane.dataplane.BackendSpec;
import meshplane.dataplane.DataplaneState;
import meshplane.dataplane.NetworkSpec;
import meshplane.dataplane.ServiceSpec;
import meshplane.vxlan.VtepHost;
import meshplane.dataplane.Addresses;
import meshplane.netlink.IpPrefix;
import java.util.Optional;
import meshplane.dataplane.EndpointMode;

/**
 * scripts/bench-rules.sh: the cost of programming the routing mesh's load balancer on one lab
 * node. 10,000 VIP services x 10 backends on one overlay network (lb_ sandbox with 10,000 VIPs,
 * nf_tables with a chain and a backend map per service): the time of the initial full sync
 * (MeshReconciler.apply from nothing), then p50/p99 of a single backend removal or addition
 * (updateService) with 10,000 services present, and the same with 100 services. Samples of the
 * two sizes are interleaved in rounds, so drift hits both alike.
 * Usage: RulesBench [--services N] [--backends B] [--samples K]. The lab {@code mp-rules-*} is removed at the end.
 */
public final class RulesBench {
  private static final NetworkSpec NET = new NetworkSpec("svc", 4500, IpPrefix.parse("10.64.0.0/14"), Addresses.ipv4("10.64.0.1"), false, Optional.of(Addresses.ipv4("10.64.0.2")));

  private RulesBench() {}

  public static void main(String[] args) throws Exception {
    int services = intArg(args, "--services", 10_000);
    int backends = intArg(args, "--backends", 10);
    int samples = intArg(args, "--samples", 400);
    String labName = "rules";
    Lab.down(labName);
    Lab lab = Lab.up(new LabSpec(labName, 2));
    try {
      LabHost big = lab.host("node1");
      LabHost small = lab.host("node2");
      System.out.printf("rules benchmark: %d services x %d backends on node1, 100 on node2; %d single changes each%n",
          services, backends, samples);
      long sync;
      try (MeshReconciler r1 = new MeshReconciler(vtep(big), LbMode.NFTABLES);
           MeshReconciler r2 = new MeshReconciler(vtep(small), LbMode.NFTABLES)) {
        DataplaneState bigState = state("node1", "198.18.0.1", services, backends);
        long t0 = System.nanoTime();
        meshplane.mesh.ApplyReport rep = r1.apply(bigState);
        sync = System.nanoTime() - t0;
        System.out.println("full sync phases (ms): " + rep.phaseMillis());
        long t1 = System.nanoTime();
        r2.apply(state("node2", "198.18.0.2", 100, backends));
        long smallSync = System.nanoTime() - t1;
        System.out.printf("full sync: %d services in %.0f ms (100 services: %.0f ms)%n", services, sync / 1e6, smallSync / 1e6);
        warm(r1, services, backends, 50);
        warm(r2, 100, backends, 50);
        long[] bigTimes = new long[samples];
        long[] smallTimes = new long[samples];
        Random rnd = new Random(42);
        for (int i = 0; i < samples; i++) {
          bigTimes[i] = change(r1, rnd.nextInt(services), backends, i);
          smallTimes[i] = change(r2, rnd.nextInt(100), backends, i);
        }
        report(sync, services, bigTimes, smallTimes);
      }
    } finally {
      Lab.down(labName);
    }
  }

  private static void warm(MeshReconciler r, int services, int backends, int n) {
    for (int i = 0; i < n; i++) {
      change(r, i % services, backends, i);
    }
  }

  /** Removes the last backend of service {@code s} (even i) or puts it back (odd i); returns the nanoseconds taken. */
  private static long change(MeshReconciler r, int s, int backends, int i) {
    ServiceSpec current = r.appliedService("s" + s);
    int count = current.backends().size() == backends ? backends - 1 : backends;
    ServiceSpec next = service(s, count);
    long t0 = System.nanoTime();
    r.updateService(next);
    return System.nanoTime() - t0;
  }

  private static void report(long sync, int services, long[] big, long[] small) {
    double bigP50 = pct(big, 50) / 1e6;
    double bigP99 = pct(big, 99) / 1e6;
    double smallP50 = pct(small, 50) / 1e6;
    double smallP99 = pct(small, 99) / 1e6;
    System.out.printf("single backend change with %d services: p50 %.2f ms, p99 %.2f ms%n", services, bigP50, bigP99);
    System.out.printf("single backend change with 100 services:   p50 %.2f ms, p99 %.2f ms%n", smallP50, smallP99);
    double ratio = bigP99 / smallP99;
    boolean syncOk = sync / 1e9 <= 2.0;
    boolean p99Ok = bigP99 <= 20.0;
    boolean ratioOk = ratio <= 1.5;
    System.out.printf("summary: full sync %.2f s (goal <= 2 s: %s); p99 %.2f ms (goal <= 20 ms: %s); "
        + "p99 ratio %d/100 services %.2f (goal <= 1.5: %s)%n", sync / 1e9, syncOk ? "met" : "NOT met", bigP99,
        p99Ok ? "met" : "NOT met", services, ratio, ratioOk ? "met" : "NOT met");
  }

  private static double pct(long[] v, int p) {
    long[] s = v.clone();
    Arrays.sort(s);
    return s[Math.min(s.length - 1, (int) Math.ceil(p / 100.0 * s.length) - 1)];
  }

  /** Service i: VIP and backends are distinct addresses of the /14, VIP first. */
  static ServiceSpec service(int i, int backends) {
    int base = 0x0A400000 + 16 + i * 11; // 10.64.0.16 + 11 addresses per service
    List<BackendSpec> be = new ArrayList<>();
    for (int b = 0; b < backends; b++) {
      be.add(new BackendSpec(NET.id(), Addresses.ipv4(dotted(base + 1 + b))));
    }
    return new ServiceSpec("s" + i, EndpointMode.VIP, 0x1000 + i, Map.of(NET.id(), Addresses.ipv4(dotted(base))), List.of(), be);
  }

  static DataplaneState state(String node, String underlay, int services, int backends) {
    List<ServiceSpec> s = new ArrayList<>(services);
    for (int i = 0; i < services; i++) {
      s.add(service(i, backends));
    }
    return new DataplaneState(node, Addresses.ipv4(underlay), List.of(NET), List.of(), List.of(), s);
  }

  private static String dotted(int a) {
    return ((a >>> 24) & 0xff) + "." + ((a >>> 16) & 0xff) + "." + ((a >>> 8) & 0xff) + "." + (a & 0xff);
  }

  private static VtepHost vtep(LabHost h) throws Exception {
    return new VtepHost(h.namespace(), (Inet4Address) InetAddress.getByName(h.underlayAddress()), "eth0");
  }

  private static int intArg(String[] args, String name, int def) {
    for (int i = 0; i + 1 < args.length; i++) {
      if (args[i].equals(name)) {
        int v = Integer.parseInt(args[i + 1]);
        if (v < 1) {
          throw new IllegalArgumentException(name + " must be at least 1");
        }
        return v;
      }
    }
    return def;
  }
}
