package meshplane.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import meshplane.lab.HostCommand;
import meshplane.lab.Lab;
import meshplane.lab.LabSpec;

/**
 * scripts/bench-lb.sh: the routing mesh's load balancing against a direct connection and
 * against HAProxy, with wrk from the lab's client, in one run (docs/benchmarks.md):
 * <ol>
 *   <li>mesh: 198.18.0.1:8080, published on node1, which runs no task; node1's ingress_sbox
 *       round-robins to nginx in tasks web1 (node2) and web2 (node3) over the ingress overlay;
 *   <li>direct: 198.18.0.2:80, nginx in node2's own namespace, the same configuration;
 *   <li>haproxy: 198.18.0.1:8090, HAProxy in TCP mode in node1's namespace, round robin to the
 *       nginx of node2 and node3 on the underlay;
 *   <li>nft-ref: 198.18.0.1:8070, the hand-built single-hop nf_tables DNAT the issue quotes
 *       ({@link NftReference}), to the same nginx as haproxy: context for the goals, no goal itself.
 * </ol>
 * Paths are measured side by side: every round runs each path once for {@code --seconds}, the
 * order rotating from round to round; a path reports the median of its rounds, a ratio the
 * median of the per-round ratios. Each backend's share is read from its nginx counter.
 * Usage: LbBench [--seconds S] [--rounds R] [--connections C] [--threads T] [--lb auto|ipvs|nftables]
 * [--haproxy-threads N] (0: HAProxy's default). The lab
 * {@code mp-lbbench-*} and every process started are removed at the end, also on failure.
 */
public final class LbBench {
  static final String LAB = "lbbench";
  private static final Path DIR = Path.of("/run/meshplane/bench-lb");
  private static final int HAPROXY_PORT = 8090;
  private static final int REFERENCE_PORT = 8070;
  private static final double GOAL_DIRECT = 0.8;
  private static final double GOAL_HAPROXY = 1.4;
  private static final double GOAL_SHARE = 0.10;

  private final List<Daemon> daemons = new ArrayList<>();
  private final String lbMode;
  private boolean cleaned;

  private LbBench(String lbMode) {
    this.lbMode = lbMode;
  }

  public static void main(String[] args) throws Exception {
    int seconds = intArg(args, "--seconds", 10, 1, 60);
    int rounds = intArg(args, "--rounds", 3, 1, 20);
    int connections = intArg(args, "--connections", 64, 2, 1000);
    int threads = intArg(args, "--threads", 2, 1, 16);
    int haproxyThreads = intArg(args, "--haproxy-threads", 0, 0, 64);
    int lbAt = Arrays.asList(args).indexOf("--lb");
    LbBench bench = new LbBench(lbAt >= 0 && lbAt + 1 < args.length ? args[lbAt + 1] : "auto");
    Runtime.getRuntime().addShutdownHook(new Thread(bench::cleanup, "bench-lb-cleanup"));
    int budget = 240 + rounds * 4 * (seconds + 20);
    Thread watchdog = new Thread(() -> {
      try {
        Thread.sleep(budget * 1000L);
        System.err.printf("bench-lb: time budget of %d s exceeded, stopping%n", budget);
        System.exit(3); // the shutdown hook stops the servers and removes the lab
      } catch (InterruptedException e) {
        // finished in time
      }
    }, "bench-lb-watchdog");
    watchdog.setDaemon(true);
    watchdog.start();
    int status;
    try {
      status = bench.run(seconds, rounds, connections, threads, haproxyThreads);
    } catch (RuntimeException e) {
      System.err.println("bench-lb: " + e.getMessage());
      status = 1;
    } finally {
      bench.cleanup();
    }
    System.exit(status);
  }

  private int run(int seconds, int rounds, int connections, int threads, int haproxyThreads) throws IOException {
    int stale = Daemon.stopStale(DIR);
    if (stale > 0) {
      System.out.printf("stopped %d server(s) left by an earlier run%n", stale);
    }
    Files.createDirectories(DIR);
    Lab.down(LAB);
    Lab lab = Lab.up(new LabSpec(LAB, LbStates.NODES));
    String prefix = LabSpec.prefix(LAB);
    String client = lab.client().namespace();
    System.out.printf("load-balancing benchmark: lab %s (3 nodes, client), wrk -t%d -c%d from the client, %d s per path, %d round(s)%n",
        LAB, threads, connections, seconds, rounds);

    LbPath mesh = meshPath(lab, prefix, client);
    Nginx node2 = nginx("node2", lab.host("node2").namespace());
    Nginx node3 = nginx("node3", lab.host("node3").namespace());
    LbPath direct = new LbPath("direct", "198.18.0.2", Nginx.PORT, "nginx in node2's namespace", List.of(node2));
    daemons.add(Haproxy.start(lab.host("node1").namespace(), DIR.resolve("haproxy"), "198.18.0.1", HAPROXY_PORT,
        List.of("198.18.0.2:" + Nginx.PORT, "198.18.0.3:" + Nginx.PORT), haproxyThreads, client));
    LbPath haproxy = new LbPath("haproxy", "198.18.0.1", HAPROXY_PORT, "HAProxy TCP mode on node1, "
        + (haproxyThreads > 0 ? haproxyThreads + " thread(s)" : "default threads") + " -> node2, node3 nginx",
        List.of(node2, node3));
    NftReference.install(lab.host("node1").namespace(), DIR, "198.18.0.1", REFERENCE_PORT,
        List.of("198.18.0.2", "198.18.0.3"), Nginx.PORT);
    HttpGet.getOk(client, "198.18.0.1", REFERENCE_PORT, "/", 5000);
    LbPath reference = new LbPath("nft-ref", "198.18.0.1", REFERENCE_PORT,
        "hand-built nf_tables DNAT+SNAT on node1 -> node2, node3 nginx", List.of(node2, node3));
    List<LbPath> paths = List.of(mesh, direct, haproxy, reference);

    for (LbPath p : paths) { // warm-up, not counted: ARP and neighbour entries, first connections, CPU clocks
      if (p.available()) {
        try {
          Wrk.run(client, p.url(), threads, connections, Math.min(2, seconds));
        } catch (RuntimeException e) {
          p.markUnavailable("warm-up failed: " + firstLine(e.getMessage()));
        }
      }
    }
    for (int round = 0; round < rounds; round++) {
      StringBuilder line = new StringBuilder();
      for (int i = 0; i < paths.size(); i++) {
        LbPath p = paths.get((round + i) % paths.size());
        if (!p.available()) {
          continue;
        }
        try {
          Wrk.Result r = p.measure(client, threads, connections, seconds);
          line.append(String.format("  %s %.0f req/s", p.name(), r.rps()));
        } catch (RuntimeException e) {
          p.markUnavailable("round " + (round + 1) + ": " + firstLine(e.getMessage()));
        }
      }
      System.out.printf("  round %d of %d:%s%n", round + 1, rounds, line);
    }
    LbReport.print(mesh, direct, haproxy, reference, new LbReport.Goals(GOAL_DIRECT, GOAL_HAPROXY, GOAL_SHARE));
    return paths.stream().allMatch(LbPath::available) ? 0 : 1;
  }

  /**
   * The mesh path: writes each node's state (LbStates), applies it with
   * {@code meshctl dataplane apply} on node1..node3, starts nginx in the task namespaces the
   * apply made, and checks that the published port answers; any failure makes the path
   * unavailable with the reason, and the other paths are still measured.
   */
  private LbPath meshPath(Lab lab, String prefix, String client) {
    String ip = LbStates.underlay(1);
    String what = "published on node1 (no task) -> ingress_sbox -> web1@node2, web2@node3";
    Map<String, Path> files = LbStates.write(prefix, DIR);
    for (Map.Entry<String, Path> f : files.entrySet()) {
      System.out.printf("  meshctl dataplane apply --node %s --name %s --lb %s -f %s%n", f.getKey(), LAB, lbMode, f.getValue());
      HostCommand.Result r = meshctl("dataplane", "apply", "--node", f.getKey(), "--name", LAB, "--lb", lbMode, "-f", f.getValue().toString());
      r.output().lines().filter(l -> !l.isBlank()).forEach(l -> System.out.println("    " + l));
      if (!r.ok()) {
        return LbPath.unavailable("mesh", ip, LbStates.PUBLISHED, what,
            "meshctl dataplane apply --node " + f.getKey() + " exited " + r.exitCode() + ": " + lastLine(r.output()));
      }
    }
    List<Nginx> tasks = new ArrayList<>();
    try {
      for (LbStates.Task t : LbStates.TASKS) {
        tasks.add(nginx(t.id() + "@node" + t.node(), LbStates.taskNamespace(prefix, t)));
      }
      HttpGet.getOk(client, ip, LbStates.PUBLISHED, "/", 5000);
    } catch (RuntimeException e) {
      return LbPath.unavailable("mesh", ip, LbStates.PUBLISHED, what, firstLine(e.getMessage()));
    }
    return new LbPath("mesh", ip, LbStates.PUBLISHED, what, tasks);
  }

  private Nginx nginx(String name, String namespace) {
    Nginx n = Nginx.start(name, namespace, DIR.resolve("nginx-" + name.replace('@', '-')));
    daemons.add(n.daemon());
    return n;
  }

  /** Runs meshctl through scripts/meshctl, as a user would, bounded in time. */
  private static HostCommand.Result meshctl(String... args) {
    return MeshctlCli.run(120, args);
  }

  /** Stops every server started, then removes the lab (and so everything the mesh made in it). Runs once. */
  private synchronized void cleanup() {
    if (cleaned) {
      return;
    }
    cleaned = true;
    for (Daemon d : daemons) {
      try {
        d.stop();
      } catch (RuntimeException e) {
        System.err.println("bench-lb: stopping " + d.label() + ": " + e.getMessage());
      }
    }
    try {
      Lab.down(LAB);
    } catch (RuntimeException e) {
      System.err.println("bench-lb: removing lab " + LAB + ": " + e.getMessage());
    }
  }

  private static String firstLine(String s) {
    return s == null ? "(no message)" : s.strip().lines().findFirst().orElse("");
  }

  private static String lastLine(String s) {
    List<String> lines = s.strip().lines().filter(l -> !l.isBlank()).toList();
    return lines.isEmpty() ? "(no output)" : lines.get(lines.size() - 1);
  }

  private static int intArg(String[] args, String name, int dflt, int min, int max) {
    int i = Arrays.asList(args).indexOf(name);
    if (i < 0) {
      return dflt;
    }
    if (i + 1 >= args.length) {
      throw new IllegalArgumentException(name + " needs a value");
    }
    int v = Integer.parseInt(args[i + 1]);
    if (v < min || v > max) {
      throw new IllegalArgumentException(name + " " + v + " must be between " + min + " and " + max);
    }
    return v;
  }
}
