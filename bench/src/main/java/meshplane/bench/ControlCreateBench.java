package meshplane.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import meshplane.cluster.api.ApiClient;
import meshplane.cluster.api.ApiException;

/**
 * The control plane's write path in one JVM (docs/benchmarks.md, "Service create"): a
 * one-manager swarm ({@link LocalManager}: Raft on loopback, its log in a temporary folder,
 * the orchestrator running), driven over its HTTP API with meshctl's client as a user would.
 *
 * <ol>
 *   <li>Warm-up: {@code warmup} creates on a swarm of their own, thrown away.</li>
 *   <li>Services of one replica (placed on the manager node) created one after another; the
 *   latency of each create (request to answer) is kept with the number of services present
 *   when it was sent. For each level N (10, 100, 1000) the p50 and p99 of the {@code window}
 *   creates sent with N to N + window - 1 services present. Then how long after the last create
 *   every service had its task.</li>
 *   <li>Writes per second: {@code clients} threads each creating services one after another,
 *   {@code writes} creates in all, on top of what phase 1 left, over mutual TLS.</li>
 *   <li>The same over mutual TLS and over the manager's local socket, 4 rounds of 3,000 taking
 *   turns first: the ratio (goal TLS &gt;= 0.8 x the socket).</li>
 * </ol>
 * {@code --pollers N}: N threads poll the whole state as node agents do today ({@link StatePollers}).
 * Bounded: stops after {@code --max-seconds} (whatever was measured is printed). One line per
 * figure, then a summary with each goal met or not (p99 &lt;= 20 ms, p99(1000) / p99(10)
 * &lt;= 1.5, &gt;= 500 writes/s with 16 clients).
 *
 * <p>Usage: {@code scripts/bench-java meshplane.bench.ControlCreateBench [--levels 10,100,1000]
 * [--window 100] [--clients 16] [--writes 800] [--warmup 1000] [--pollers 0] [--max-seconds 900]}
 */
public final class ControlCreateBench {
  private static final double GOAL_P99_MS = 20;
  private static final double GOAL_RATIO = 1.5;
  private static final double GOAL_WRITES = 500;
  private static final double GOAL_TLS_RATIO = 0.8;
  private static final int TLS_ROUNDS = 4;
  /** Creates per round: a second or so each, long enough for the noise of a 2-core machine to even out. */
  private static final int TLS_ROUND_WRITES = 3000;

  private ControlCreateBench() {}

  record Options(List<Integer> levels, int window, int clients, int writes, int warmup, int pollers, long maxSeconds) {
    static Options parse(String[] args) {
      List<Integer> levels = List.of(10, 100, 1000);
      int window = 100;
      int clients = 16;
      int writes = 800;
      int warmup = 1000;
      int pollers = 0;
      long maxSeconds = 900;
      for (int i = 0; i < args.length; i++) {
        String v = i + 1 < args.length ? args[i + 1] : null;
        switch (args[i]) {
          case "--levels" -> levels = java.util.Arrays.stream(v.split(",")).map(Integer::parseInt).sorted().toList();
          case "--window" -> window = Integer.parseInt(v);
          case "--clients" -> clients = Integer.parseInt(v);
          case "--writes" -> writes = Integer.parseInt(v);
          case "--warmup" -> warmup = Integer.parseInt(v);
          case "--pollers" -> pollers = Integer.parseInt(v);
          case "--max-seconds" -> maxSeconds = Long.parseLong(v);
          default -> throw new IllegalArgumentException("unknown option " + args[i]
              + " (--levels N,N,.. --window N --clients N --writes N --warmup N --pollers N --max-seconds S)");
        }
        i++;
      }
      return new Options(levels, window, clients, writes, warmup, pollers, maxSeconds);
    }
  }

  public static void main(String[] args) throws Exception {
    Options o = Options.parse(args);
    System.out.println("API TLS engine: " + meshplane.cluster.api.ServerTls.engine());
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(o.maxSeconds());
    warmUp(o.warmup());
    try (LocalManager m = LocalManager.start(); StatePollers agents = new StatePollers(m.target(), m.tls(), LocalManager.NODE_ID, o.pollers())) {
      ApiClient client = m.client();
      int total = o.levels().get(o.levels().size() - 1) + o.window();
      long[] latency = new long[total];
      int done = 0;
      long start = System.nanoTime();
      for (; done < total && System.nanoTime() < deadline; done++) {
        long t0 = System.nanoTime();
        client.post("/v1/services", spec("s" + done));
        latency[done] = System.nanoTime() - t0;
        if ((done + 1) % 100 == 0) {
          System.err.printf("bench-control: %d services created, %.1f s%n", done + 1, (System.nanoTime() - start) / 1e9);
        }
      }
      System.out.printf("sequential: %d creates in %.1f s%n", done, (System.nanoTime() - start) / 1e9);
      awaitTasks(client, done, deadline);
      List<double[]> p99s = new ArrayList<>();
      for (int level : o.levels()) {
        if (level + o.window() > done) {
          System.out.printf("create at %d services: not reached (stopped at %d, --max-seconds %d)%n", level, done, o.maxSeconds());
          continue;
        }
        long[] w = java.util.Arrays.copyOfRange(latency, level, level + o.window());
        Latencies l = Latencies.ofNanos(java.util.Arrays.stream(w).boxed().toList());
        System.out.printf("create at %d services: p50 %.1f ms, p99 %.1f ms (%d creates)%n", level, l.p50(),
            l.p99(), l.count());
        p99s.add(new double[] {level, l.p99()});
      }
      double writesPerSecond = System.nanoTime() < deadline ? concurrentWrites(m::client, "mTLS", "c", o, deadline) : Double.NaN;
      double tlsRatio = System.nanoTime() < deadline ? tlsToLocalSocket(m, o, deadline) : Double.NaN;
      if (o.pollers() > 0) {
        System.out.printf("state pollers: %d, %d whole states polled%n", o.pollers(), agents.polls());
      }
      summary(o, p99s, writesPerSecond, tlsRatio);
    }
    System.exit(0); // jraft's and the API server's non-daemon threads
  }

  /**
   * The same creates against a swarm of its own, thrown away: the JIT has compiled the create
   * path (HTTP, allocation, Raft, JSON) before the measured swarm starts from zero services.
   */
  private static void warmUp(int creates) throws Exception {
    if (creates <= 0) {
      return;
    }
    long start = System.nanoTime();
    try (LocalManager m = LocalManager.start()) {
      ApiClient client = m.client();
      for (int i = 0; i < creates; i++) {
        client.post("/v1/services", spec("w" + i));
      }
    }
    System.out.printf("warm-up: %d creates on a swarm of their own in %.1f s (not counted)%n", creates,
        (System.nanoTime() - start) / 1e9);
  }

  /** Waits until the orchestrator placed a task of every service; prints how long that took after the last create. */
  private static void awaitTasks(ApiClient client, int services, long deadline) throws InterruptedException {
    long start = System.nanoTime();
    int tasks = 0;
    while (System.nanoTime() < deadline) {
      tasks = client.get("/v1/state").path("tasks").size();
      if (tasks >= services) {
        System.out.printf("tasks: all %d placed (ASSIGNED on %s) %.2f s after the last create%n", tasks, LocalManager.HOSTNAME,
            (System.nanoTime() - start) / 1e9);
        return;
      }
      Thread.sleep(50);
    }
    System.out.printf("tasks: %d of %d placed when the time was up%n", tasks, services);
  }

  /**
   * The API's mutual TLS against the same manager's local unix socket, in the same run: rounds of
   * {@value #TLS_ROUND_WRITES} concurrent creates over each in turn (4 rounds, TLS first in the 1st
   * and 3rd, the socket in the 2nd and 4th),
   * the writes per second of each and the ratio of their sums. Every call is a new connection
   * (meshctl's client closes each), so TLS costs a full 1.3 handshake (ECDHE, two ECDSA
   * signatures) per call: the worst case for it.
   */
  private static double tlsToLocalSocket(LocalManager m, Options o, long deadline) throws Exception {
    Options round = new Options(o.levels(), o.window(), o.clients(), TLS_ROUND_WRITES, o.warmup(), o.pollers(), o.maxSeconds());
    double tls = 0;
    double local = 0;
    for (int i = 0; i < TLS_ROUNDS && System.nanoTime() < deadline; i++) {
      // each in turn first: the state grows by a round's services, and neither always meets the larger one
      if (i % 2 == 0) {
        tls += concurrentWrites(m::client, "mTLS", "t" + i + "-", round, deadline);
        local += concurrentWrites(m::localClient, "local socket", "u" + i + "-", round, deadline);
      } else {
        local += concurrentWrites(m::localClient, "local socket", "u" + i + "-", round, deadline);
        tls += concurrentWrites(m::client, "mTLS", "t" + i + "-", round, deadline);
      }
    }
    double ratio = tls / local;
    System.out.printf("writes over mutual TLS / over the local socket, same run: %.2f%n", ratio);
    return ratio;
  }

  /** {@code clients} threads creating services one after another; the writes completed per second. */
  private static double concurrentWrites(java.util.function.Supplier<ApiClient> clients, String via, String prefix, Options o,
      long deadline) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(o.clients());
    AtomicInteger next = new AtomicInteger();
    AtomicInteger ok = new AtomicInteger();
    AtomicInteger failed = new AtomicInteger();
    long start = System.nanoTime();
    List<Future<?>> all = new ArrayList<>();
    for (int c = 0; c < o.clients(); c++) {
      all.add(pool.submit(() -> {
        ApiClient client = clients.get();
        for (int i = next.getAndIncrement(); i < o.writes() && System.nanoTime() < deadline; i = next.getAndIncrement()) {
          try {
            client.post("/v1/services", spec(prefix + i));
            ok.incrementAndGet();
          } catch (ApiException e) {
            if (failed.incrementAndGet() <= 3) {
              System.err.println("bench-control: write c" + i + " failed: " + e.getMessage());
            }
          }
        }
      }));
    }
    for (Future<?> f : all) {
      f.get();
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    pool.shutdown();
    double rate = ok.get() / seconds;
    System.out.printf("writes with %d clients over %s: %.0f/s (%d creates in %.2f s, %d failed)%n", o.clients(), via, rate,
        ok.get(), seconds, failed.get());
    return rate;
  }

  /** One replica of a program that only sleeps; no network, no port: the create's own cost. */
  private static Map<String, Object> spec(String name) {
    return Map.of("name", name, "replicas", 1, "image", "sleep", "command", List.of("3600"));
  }

  private static void summary(Options o, List<double[]> p99s, double writesPerSecond, double tlsRatio) {
    List<String> parts = new ArrayList<>();
    double worst = p99s.stream().mapToDouble(p -> p[1]).max().orElse(Double.NaN);
    parts.add(String.format("p99 <= %.0f ms: %s (worst %.1f ms)", GOAL_P99_MS, met(worst <= GOAL_P99_MS, worst), worst));
    if (p99s.size() >= 2) {
      double ratio = p99s.get(p99s.size() - 1)[1] / p99s.get(0)[1];
      parts.add(String.format("p99(%d) / p99(%d) <= %.1f: %s (%.2f)", (int) p99s.get(p99s.size() - 1)[0], (int) p99s.get(0)[0],
          GOAL_RATIO, met(ratio <= GOAL_RATIO, ratio), ratio));
    }
    parts.add(String.format("writes/s >= %.0f with %d clients: %s (%.0f/s)", GOAL_WRITES, o.clients(),
        met(writesPerSecond >= GOAL_WRITES, writesPerSecond), writesPerSecond));
    parts.add(String.format("writes over TLS >= %.1f x the local socket: %s (%.2f)", GOAL_TLS_RATIO,
        met(tlsRatio >= GOAL_TLS_RATIO, tlsRatio), tlsRatio));
    System.out.println("summary: " + String.join("; ", parts));
  }

  private static String met(boolean ok, double value) {
    return Double.isNaN(value) ? "not measured" : ok ? "met" : "not met";
  }
}
