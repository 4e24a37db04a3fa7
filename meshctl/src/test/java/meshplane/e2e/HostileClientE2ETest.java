package meshplane.e2e;

import static meshplane.e2e.ClusterE2ETest.meshctl;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import meshplane.e2e.ClusterE2ETest.Run;
import meshplane.lab.Lab;
import meshplane.node.exec.Folders;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A hostile client in the lab's client namespace against node1's API (2377), the one manager of
 * three nodes: 2,000 idle connections, 3,000 log follows with an administrator's certificate (an
 * authenticated but abusive caller) that mostly read nothing, the join channel (no certificate)
 * flooded, 10 MB bodies, deeply nested JSON, malformed request lines and escapes, TLS garbage.
 * Throughout, {@code meshctl node ls} every 200 ms on node1's local socket and over mutual TLS
 * from node2 answers within 1 s, and node1's daemon's threads and RSS ({@code /proc/PID/status})
 * stay bounded: printed before, at the peak and after. Every loop is bounded in count and time.
 */
@Tag("e2e")
class HostileClientE2ETest {
  private static final String LAB = "hc" + ClusterE2ETest.randomSuffix();
  private static Lab lab;
  private static Thread shutdownHook;
  private static Path certs;

  @BeforeAll
  static void labUp() throws Exception {
    shutdownHook = ClusterE2ETest.labDownOnExit(LAB);
    Run up = meshctl("lab", "up", "--name", LAB, "--nodes", "3", "--managers", "1", "--heartbeat", "1s");
    assertEquals(0, up.status(), up.toString());
    lab = Lab.require(LAB);
    certs = Files.createTempDirectory("mpt-hostile-client");
    ok(meshctl("swarm", "client-cert", "--lab", LAB, "--node", "node1", "--out", certs.toString()));
    // the task whose logs are followed runs on node3: node1 fans each follow out to it
    ok(mc("service create", "--name", "chatty", "--constraint", "node.hostname==node3", "meshplane/whoami"));
  }

  @AfterAll
  static void labDown() {
    try {
      ClusterE2ETest.labDownNow(LAB, "HostileClientE2ETest", shutdownHook);
    } finally {
      if (certs != null) {
        Folders.deleteTree(certs);
      }
    }
  }

  @Test
  void theApiKeepsAnsweringAndTheDaemonStaysBoundedUnderAHostileClient() throws Exception {
    long pid = daemonPid("node1");
    String node1 = lab.host("node1").underlayAddress();
    String[] tlsFlags = {"-H", "tcp://" + node1 + ":2377", "--tlscacert", certs.resolve("ca.pem").toString(), "--tlscert",
        certs.resolve("cert.pem").toString(), "--tlskey", certs.resolve("key.pem").toString()};
    Probe local = Probe.start("local socket", null, "--lab", LAB, "--node", "node1");
    Probe tls = Probe.start("TLS from node2", lab.host("node2").namespace(), tlsFlags);
    Map<String, String> figures = new TreeMap<>();
    long t0 = System.nanoTime();
    phases.clear();
    try (DaemonGauge gauge = new DaemonGauge(pid);
        HostileClient attacker = new HostileClient(lab.client().namespace(), node1, 2377, certs)) {
      local.awaitWarm();
      tls.awaitWarm();
      DaemonGauge.Sample before = gauge.now(); // the probes going, the attack not yet
      System.out.println("node1's daemon (pid " + pid + ") before: " + before + " " + gauge.census());
      gauge.start();
      long attackStart = System.currentTimeMillis();

      phase(figures, "1 idle connections", () -> idleConnections(attacker, 2_000));
      phase(figures, "2 log follows", () -> logFollows(attacker, 3_000));
      phase(figures, "3 join channel", () -> joinChannel(attacker, 600));
      phase(figures, "4 10 MB bodies", () -> largeBodies(attacker, 10));
      phase(figures, "5 nested JSON", () -> nestedJson(attacker, 20));
      phase(figures, "6 malformed requests", () -> malformed(attacker, 10));
      phase(figures, "7 TLS garbage", () -> tlsGarbage(attacker, 150));
      DaemonGauge.Sample peak = gauge.peak();

      // after: the follows' threads let go, the connections closed, idle pool threads ended (10 s)
      phases.put(System.currentTimeMillis(), "8 after");
      DaemonGauge.Sample after = gauge.now();
      long settle = System.currentTimeMillis() + 20_000;
      while (after.threads() > before.threads() + 20 && System.currentTimeMillis() < settle) {
        Thread.sleep(500);
        after = gauge.now();
      }
      long attackEnd = System.currentTimeMillis();
      local.stop();
      tls.stop();
      local.measure(attackStart, attackEnd);
      tls.measure(attackStart, attackEnd);
      System.out.println("node1's daemon before: " + before + "; peak: " + peak + "; after: " + after + " " + gauge.census());
      figures.forEach((k, v) -> System.out.println("  " + k + ": " + v));
      System.out.println("  meshctl node ls every 200 ms: " + local + "; " + tls);
      System.out.println("  node1's log: " + refusalsLogged());
      System.out.println("  the attack took " + (System.nanoTime() - t0) / 1_000_000_000 + " s");

      System.out.println("  the worst call of each phase: " + local.worstByPhase(phases) + "; " + tls.worstByPhase(phases));
      assertEquals(0, local.failed + tls.failed, "every node ls answered: " + local + "; " + tls);
      assertTrue(local.worst < 1_000, "the local socket answered within 1 s: " + local);
      assertTrue(tls.worst < 1_000, "TLS from node2 answered within 1 s: " + tls);
      assertTrue(local.calls > 100 && tls.calls > 100, "the probes ran throughout: " + local + "; " + tls);
      assertTrue(peak.threads() < before.threads() + 300, "threads bounded at the peak: " + before + " -> " + peak);
      assertTrue(peak.rssKb() < 768 * 1024, "RSS bounded at the peak (the daemon's heap is 256 MiB): " + peak);
      assertTrue(after.threads() <= before.threads() + 20, "the follows' threads were let go: " + before + " -> " + after);
    } finally {
      local.stop();
      tls.stop();
    }
  }

  /** When each phase began (epoch ms), to tell in which one a probe's worst call fell. */
  private static final java.util.NavigableMap<Long, String> phases = new java.util.concurrent.ConcurrentSkipListMap<>();

  @FunctionalInterface
  private interface Phase {
    String run() throws Exception;
  }

  /** Runs one attack, its figures printed at once (and kept for the summary). */
  private static void phase(Map<String, String> figures, String name, Phase p) throws Exception {
    Thread.sleep(2_500); // the client address's new-connection bucket refills after the phase before (64 at 32 a second)
    phases.put(System.currentTimeMillis(), name);
    long t0 = System.nanoTime();
    String got = p.run();
    String line = got + " (" + (System.nanoTime() - t0) / 1_000_000 + " ms)";
    System.out.println("phase " + name + ": " + line);
    figures.put(name, line);
  }

  // ------------------------------------------------------------------------------- the attacks

  /** {@code n} TCP connections that say nothing: the cap per address closes most at once, the first-request timeout the rest. */
  private static String idleConnections(HostileClient a, int n) throws Exception {
    ExecutorService one = a.threads(1, "idle");
    try {
      return one.submit(() -> {
        List<Socket> open = new ArrayList<>();
        int failed = 0;
        long t0 = System.currentTimeMillis();
        for (int i = 0; i < n && System.currentTimeMillis() - t0 < 20_000; i++) {
          try {
            open.add(a.plain(2_000));
          } catch (java.io.IOException e) {
            failed++;
          }
        }
        Thread.sleep(1_000);
        int closedAtOnce = 0;
        for (Socket s : open) {
          closedAtOnce += HostileClient.closedByServer(s, 1) ? 1 : 0;
        }
        long end = System.currentTimeMillis() + 15_000; // the first-request timeout is 10 s
        int closed = closedAtOnce;
        while (System.currentTimeMillis() < end) {
          closed = 0;
          for (Socket s : open) {
            closed += HostileClient.closedByServer(s, 1) ? 1 : 0;
          }
          if (closed == open.size()) {
            break;
          }
          Thread.sleep(1_000);
        }
        long took = System.currentTimeMillis() - t0;
        open.forEach(HostileClient::quietly);
        assertEquals(open.size(), closed, "every idle connection was closed by the server");
        return open.size() + " connected, " + failed + " could not connect; " + closedAtOnce + " closed within 1 s (the cap), all "
            + closed + " within " + took / 1000 + " s (the first-request timeout)";
      }).get(60, TimeUnit.SECONDS);
    } finally {
      one.shutdownNow();
    }
  }

  /**
   * {@code n} {@code service logs -f} with the client certificate, 75 a second on 16 threads (more
   * than twice what one address may open: most are refused at the accept); a stream that
   * opens is held unread (up to 150 of them, until the end), the others closed at once.
   */
  private static String logFollows(HostileClient a, int n) throws Exception {
    List<Socket> held = Collections.synchronizedList(new ArrayList<>());
    long t0 = System.currentTimeMillis();
    Map<String, Long> outcomes;
    try {
      outcomes = attack(a, "follow", 16, n, 120, 75, i -> {
        Socket s = a.withCertificate();
        try {
          HostileClient.send(s, "GET /v1/services/chatty/logs?follow=true&tail=all HTTP/1.1\r\nHost: x\r\n\r\n");
          String status = code(HostileClient.statusLine(s, 5_000));
          if (status.equals("200") && held.size() < 150) {
            held.add(s); // a reader that never reads
            s = null;
          }
          return status;
        } finally {
          if (s != null) {
            HostileClient.quietly(s);
          }
        }
      });
      Thread.sleep(5_000);
    } finally {
      held.forEach(HostileClient::quietly);
    }
    assertTrue(outcomes.getOrDefault("200", 0L) > 0, "some follows were served: " + outcomes);
    assertTrue(outcomes.keySet().stream().allMatch(k -> k.equals("200") || k.equals("503") || k.equals("closed")
        || k.startsWith("refused")), "a follow is served, refused 503 or its connection closed: " + outcomes);
    return outcomes + " in " + (System.currentTimeMillis() - t0) / 1000 + " s, " + held.size() + " held unread";
  }

  /** The join channel, which needs no certificate: bad registrations, deep JSON, the root, routes it does not serve. */
  private static String joinChannel(HostileClient a, int n) throws Exception {
    String[] bodies = {"{\"token\":\"SWMTKN-1-guess\",\"csr\":\"x\",\"hostname\":\"evil\",\"addr\":\"198.18.0.250\",\"apiPort\":1,"
        + "\"raftPort\":1}", "{\"hostname\":\"" + "h".repeat(200_000) + "\"}",
        "{\"token\":" + "[".repeat(100_000) + "]".repeat(100_000) + "}", "not json", "{\"addr\":\"x\"}"};
    Map<String, Long> outcomes = attack(a, "join", 16, n, 60, i -> {
      try (Socket s = a.joinChannel()) {
        String req = switch (i % 7) {
          case 5 -> "GET /v1/swarm/ca HTTP/1.1\r\nHost: x\r\n\r\n";
          case 6 -> "GET /v1/nodes HTTP/1.1\r\nHost: x\r\n\r\n";
          default -> post("/v1/swarm/register", bodies[i % 7]);
        };
        HostileClient.send(s, req);
        return (i % 7 == 5 ? "ca " : i % 7 == 6 ? "nodes " : "register ") + code(HostileClient.statusLine(s, 5_000));
      }
    });
    assertTrue(outcomes.keySet().stream().allMatch(k -> k.equals("ca 200") || k.equals("nodes 403") || k.equals("register 400")
        || k.startsWith("refused")), "the join channel serves the root, refuses the rest with a 4xx: " + outcomes);
    assertTrue(outcomes.getOrDefault("register 400", 0L) > 0, "some reached the server: " + outcomes);
    return outcomes.toString();
  }

  /** 10 MB bodies, with the certificate and on the join channel: 413 from their length, not buffered. */
  private static String largeBodies(HostileClient a, int n) throws Exception {
    byte[] chunk = new byte[64 << 10];
    java.util.Arrays.fill(chunk, (byte) 'x');
    Map<String, Long> outcomes = attack(a, "body", 4, 2 * n, 60, 20, i -> {
      boolean join = i % 2 == 1;
      try (Socket s = join ? a.joinChannel() : a.withCertificate()) {
        HostileClient.send(s, "POST " + (join ? "/v1/swarm/register" : "/v1/services") + " HTTP/1.1\r\nHost: x\r\n"
            + "Content-Type: application/json\r\nContent-Length: " + (10 << 20) + "\r\n\r\n");
        try {
          for (long sent = 0; sent < (10 << 20); sent += chunk.length) {
            s.getOutputStream().write(chunk);
          }
        } catch (java.io.IOException closed) {
          // the server answered and closed
        }
        return (join ? "join " : "cert ") + code(HostileClient.statusLine(s, 5_000));
      }
    });
    assertEquals(Map.of("join 413", (long) n, "cert 413", (long) n), outcomes, "every 10 MB body is a 413");
    return outcomes.toString();
  }

  /** JSON nested 200,000 deep (800 KB, under the body limit): a 400 naming the depth limit. */
  private static String nestedJson(HostileClient a, int n) throws Exception {
    String body = "{\"name\":\"deep\",\"image\":\"x\",\"labels\":" + "[".repeat(200_000) + "]".repeat(200_000) + "}";
    Map<String, Long> outcomes = attack(a, "nested", 4, n, 60, 20, i -> {
      try (Socket s = a.withCertificate()) {
        HostileClient.send(s, post("/v1/services", body));
        String status = code(HostileClient.statusLine(s, 5_000));
        return status + (HostileClient.rest(s, 1_000).contains("nesting depth") ? " naming the depth" : "");
      }
    });
    assertEquals(Map.of("400 naming the depth", (long) n), outcomes);
    assertTrue(!mc("service ls").out().contains("deep"), "nothing was made");
    return outcomes.toString();
  }

  /** Request lines, escapes and headers no HTTP/1.1 server should take, each {@code rounds} times: a 4xx or a close, never a 5xx or a hang. */
  private static String malformed(HostileClient a, int rounds) throws Exception {
    List<String> requests = List.of(
        "GET /v1/nodes/%zz HTTP/1.1\r\nHost: x\r\n\r\n",
        "GET /v1/nodes/%252F..%252F..%252Fetc HTTP/1.1\r\nHost: x\r\n\r\n",
        "GET /v1/nodes/..%2F..%2F HTTP/1.1\r\nHost: x\r\n\r\n",
        "GET /v1/nodes?x=%zz&%%%%=1 HTTP/1.1\r\nHost: x\r\n\r\n",
        "GET /v1/%00%ff HTTP/1.1\r\nHost: x\r\n\r\n",
        "GET /" + "a".repeat(10_000) + " HTTP/1.1\r\nHost: x\r\n\r\n",
        "GET /v1/nodes HTTP/1.1\r\nHost: x\r\nX-Big: " + "b".repeat(20_000) + "\r\n\r\n",
        "\u0001\u0002GARBAGE \u0000\r\n\r\n",
        "GET /v1/nodes HTTP/1.1\r\nContent-Length: -5\r\n\r\n",
        "GET /v1/nodes HTTP/1.1\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab",
        "POST /v1/services HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n\r\n",
        "GET /v1/nodes HTTP/1.1\r\nHost: x\r\nBad Header Name: y\r\n\r\n",
        "BREW /v1/nodes HTTP/1.1\r\nHost: x\r\n\r\n");
    Map<String, Long> outcomes = attack(a, "malformed", 8, rounds * requests.size(), 60, 20, i -> {
      int k = i % requests.size();
      try (Socket s = a.withCertificate()) {
        HostileClient.send(s, requests.get(k));
        return k + ": " + code(HostileClient.statusLine(s, 5_000));
      }
    });
    assertTrue(outcomes.keySet().stream().noneMatch(k -> k.matches("\\d+: (5\\d\\d|timeout|2\\d\\d)")),
        "each is a 4xx or a close, none a 2xx, 5xx or a hang: " + outcomes);
    return outcomes.toString();
  }

  /** Plain bytes and broken TLS records on the TLS port: closed, nothing answered. */
  private static String tlsGarbage(HostileClient a, int n) throws Exception {
    SecureRandom random = new SecureRandom();
    Map<String, Long> outcomes = attack(a, "garbage", 8, n, 90, 20, i -> {
      try (Socket s = a.plain(3_000)) {
        byte[] junk = new byte[512];
        random.nextBytes(junk);
        if (i % 3 == 0) {
          System.arraycopy(new byte[] {0x16, 0x03, 0x01, 0x01, (byte) 0xfb}, 0, junk, 0, 5); // a handshake record of random bytes
        } else if (i % 3 == 1) {
          junk = "GET /v1/nodes HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(); // plaintext HTTP on the TLS port
        }
        s.getOutputStream().write(junk);
        s.getOutputStream().flush();
        return HostileClient.closedByServer(s, 12_000) ? "closed" : "still open after 12 s";
      }
    });
    assertTrue(!outcomes.containsKey("still open after 12 s"), "garbage is closed: " + outcomes);
    return outcomes.toString();
  }

  /** One try of an attack: what came of it (an {@link java.io.IOException} counts as refused). */
  @FunctionalInterface
  private interface Attempt {
    String run(int i) throws java.io.IOException;
  }

  /**
   * Runs {@code attempt} for 0 to {@code n - 1} on {@code threads} threads of the client
   * namespace, within {@code seconds} (the tries left after that are counted as skipped): how
   * many came to what.
   */
  private static Map<String, Long> attack(HostileClient a, String name, int threads, int n, int seconds, Attempt attempt)
      throws Exception {
    return attack(a, name, threads, n, seconds, 0, attempt);
  }

  /** As above, the tries started at {@code perSecond} (0: as fast as the threads go). */
  private static Map<String, Long> attack(HostileClient a, String name, int threads, int n, int seconds, int perSecond,
      Attempt attempt) throws Exception {
    Map<String, AtomicLong> outcomes = new ConcurrentHashMap<>();
    ExecutorService pool = a.threads(threads, name);
    long end = System.currentTimeMillis() + seconds * 1000L;
    try {
      List<Future<?>> all = new ArrayList<>();
      long t0 = System.currentTimeMillis();
      for (int i = 0; i < n; i++) {
        int k = i;
        if (perSecond > 0) {
          Thread.sleep(Math.max(0, t0 + i * 1000L / perSecond - System.currentTimeMillis()));
        }
        all.add(pool.submit(() -> {
          String what;
          if (System.currentTimeMillis() > end) {
            what = "skipped (" + seconds + " s passed)";
          } else {
            try {
              what = attempt.run(k);
            } catch (java.io.IOException e) {
              what = "refused (" + e.getClass().getSimpleName() + ")";
            }
          }
          outcomes.computeIfAbsent(what, x -> new AtomicLong()).incrementAndGet();
        }));
      }
      for (Future<?> f : all) {
        f.get(Math.max(1, end - System.currentTimeMillis()) + 30_000, TimeUnit.MILLISECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
    Map<String, Long> m = new TreeMap<>();
    outcomes.forEach((k, v) -> m.put(k, v.get()));
    return m;
  }

  /** An answer's status code from its status line ("closed" when the server closed first, "timeout" when nothing came). */
  private static String code(String statusLine) {
    return statusLine.isEmpty() ? "closed" : statusLine.replaceAll("^HTTP/1.1 (\\d+).*", "$1");
  }

  // ------------------------------------------------------------------------------- helpers

  /** A legitimate {@code meshctl node ls} every 200 ms in a process of its own ({@link NodeLsProbe}), its calls timed. */
  private static final class Probe {
    final String name;
    final Process process;
    final List<long[]> lines = Collections.synchronizedList(new ArrayList<>()); // epoch ms, ms taken, ok 1/0
    final Thread reader;
    long calls;
    long worst;
    long mean;
    long failed;

    private Probe(String name, Process process) {
      this.name = name;
      this.process = process;
      this.reader = new Thread(() -> {
        try (var in = new java.io.BufferedReader(new java.io.InputStreamReader(process.getInputStream()))) {
          for (String l = in.readLine(); l != null; l = in.readLine()) {
            String[] f = l.split(" ");
            if (f.length == 4 && f[0].matches("\\d+")) {
              lines.add(new long[] {Long.parseLong(f[0]), Long.parseLong(f[1]), f[3].equals("ok") ? 1 : 0});
            }
          }
        } catch (java.io.IOException ended) {
          // the probe ended
        }
      }, "probe-" + name);
      reader.setDaemon(true);
      reader.start();
    }

    /** The probe's JVM with {@code flags} for meshctl, in {@code namespace} (null: this one), for 5 minutes at most. */
    static Probe start(String name, String namespace, String... flags) {
      List<String> argv = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"), "-Xmx128m",
          "-XX:+UseSerialGC", "-cp", meshplane.node.exec.JvmClassPath.absolute(), NodeLsProbe.class.getName(), "300"));
      argv.addAll(List.of(flags));
      ProcessBuilder pb = new ProcessBuilder(argv).redirectError(ProcessBuilder.Redirect.DISCARD);
      try {
        return new Probe(name, namespace == null ? pb.start() : meshplane.lab.HostCommand.start(namespace, pb));
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException("cannot start the probe " + name, e);
      }
    }

    /** Until 10 calls are done (the probe's JVM warmed up), 60 s at most. */
    void awaitWarm() throws InterruptedException {
      long end = System.currentTimeMillis() + 60_000;
      while (lines.size() < 10 && System.currentTimeMillis() < end && process.isAlive()) {
        Thread.sleep(100);
      }
      assertTrue(lines.size() >= 10, name + ": the probe did not get going: " + lines.size() + " calls");
    }

    /** The calls made from {@code from} to {@code to}: their count, worst, mean and failures. */
    void measure(long from, long to) {
      long total = 0;
      synchronized (lines) {
        for (long[] l : lines) {
          if (l[0] >= from && l[0] <= to + 1_000) {
            calls++;
            total += l[1];
            worst = Math.max(worst, l[1]);
            failed += 1 - l[2];
          }
        }
      }
      mean = total / Math.max(1, calls);
    }

    /** The worst call in each phase (a call counts in the phase it ended in). */
    String worstByPhase(java.util.NavigableMap<Long, String> phases) {
      Map<String, Long> w = new TreeMap<>();
      synchronized (lines) {
        for (long[] l : lines) {
          Map.Entry<Long, String> p = phases.floorEntry(l[0]);
          if (p != null) {
            w.merge(p.getValue(), l[1], Math::max);
          }
        }
      }
      return name + " " + w;
    }

    void stop() throws InterruptedException {
      process.destroy();
      if (!process.waitFor(5, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
      reader.join(2_000);
    }

    @Override
    public String toString() {
      return name + " " + calls + " calls, worst " + worst + " ms, mean " + mean + " ms, " + failed + " failed";
    }
  }

  private static String post(String path, String body) {
    byte[] b = body.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    return "POST " + path + " HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: " + b.length + "\r\n\r\n"
        + new String(b, java.nio.charset.StandardCharsets.ISO_8859_1);
  }

  /** The daemon's java process: the pid file's (nsenter and setsid exec it), checked by its command line. */
  private static long daemonPid(String node) throws Exception {
    long pid = Long.parseLong(Files.readString(Path.of("/run/meshplane", LAB, node + ".pid")).trim());
    for (ProcessHandle p : (Iterable<ProcessHandle>) () -> java.util.stream.Stream.concat(ProcessHandle.of(pid).stream(),
        ProcessHandle.of(pid).stream().flatMap(ProcessHandle::descendants)).iterator()) {
      String cmd = Files.readString(Path.of("/proc", Long.toString(p.pid()), "cmdline")).replace('\0', ' ');
      if (cmd.contains("meshplane.cli.Meshctl daemon") && cmd.contains("--node " + node)) {
        return p.pid();
      }
    }
    throw new AssertionError("no daemon process for " + node + " under pid " + pid);
  }

  /** What node1's daemon logged of the refused connections (its count). */
  private static String refusalsLogged() throws java.io.IOException {
    List<String> lines = Files.readAllLines(Path.of("/run/meshplane", LAB, "node1.log")).stream()
        .filter(l -> l.contains("refused a connection")).toList();
    return lines.isEmpty() ? "no refused connection logged" : lines.size() + " warnings, the last: "
        + lines.get(lines.size() - 1).replaceAll("^.*WARN ", "");
  }

  static Run ok(Run r) {
    assertEquals(0, r.status(), r.toString());
    return r;
  }

  static Run mc(String command, String... rest) {
    List<String> a = new ArrayList<>(List.of(command.split(" ")));
    a.addAll(List.of("--lab", LAB, "--node", "node1"));
    a.addAll(List.of(rest));
    return meshctl(a.toArray(String[]::new));
  }
}
