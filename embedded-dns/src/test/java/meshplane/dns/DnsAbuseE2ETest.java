package meshplane.dns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import meshplane.dataplane.json.StateJson;
import meshplane.lab.HostCommand;
import meshplane.netlink.NetNamespace;
import meshplane.testkit.lab.LabExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A hostile task against the embedded DNS, on a one-node lab. The server runs in a JVM of its own
 * ({@link DnsServerProcess}), forwarding from node1's namespace to dnsmasq on the lab's client, so
 * its RSS and threads are read from /proc. Task a (the attacker, a python3 client in its
 * namespace) opens 100 TCP connections and pipelines queries on each without ever reading (rounds
 * of 5,000, again and again), reconnecting whatever the server closes, for 20 s; task b's lookups ({@code dig}, UDP and TCP,
 * local and forwarded names) every 200 ms are the witness.
 */
@Tag("e2e")
class DnsAbuseE2ETest {
  @RegisterExtension static final LabExtension LAB = new LabExtension(1);
  private static final int FLOOD_SECONDS = 20;
  private static final long WITNESS_BOUND_MS = 1000;
  private static Process server;
  private static PrintWriter serverIn;
  private static BufferedReader serverOut;
  private static Process dnsmasq;
  private static Path dir;
  private static Path script;
  private static String nsA;
  private static String nsB;

  @BeforeAll
  static void start() throws Exception {
    String node = LAB.lab().host("node1").namespace();
    nsA = node + "-a";
    nsB = node + "-b";
    NetNamespace.create(nsA).close();
    NetNamespace.create(nsB).close();
    String client = LAB.lab().client().underlayAddress();
    dnsmasq = LabDnsmasq.start(LAB.lab().client());
    dir = Files.createTempDirectory("mp-dns-abuse");
    Path state = dir.resolve("state.json");
    Files.writeString(state, StateJson.write(DnsStates.valid(node, 100)));
    script = dir.resolve("dns-tcp-client.py");
    try (InputStream s = DnsAbuseE2ETest.class.getResourceAsStream("dns-tcp-client.py")) {
      Files.write(script, s.readAllBytes());
    }
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    server = new ProcessBuilder(java, "-Xmx256m", "-cp", System.getProperty("java.class.path"),
        DnsServerProcess.class.getName(), node, state.toString(), InetAddress.getByName(client).getHostAddress())
        .redirectError(ProcessBuilder.Redirect.INHERIT).start();
    serverIn = new PrintWriter(server.getOutputStream(), true, StandardCharsets.UTF_8);
    serverOut = new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8));
    String ready = serverOut.readLine();
    assertTrue(ready != null && ready.startsWith("ready") && ready.contains(nsA) && ready.contains(nsB), String.valueOf(ready));
  }

  @AfterAll
  static void stop() throws Exception {
    if (server != null) {
      serverIn.close();
      if (!server.waitFor(10, TimeUnit.SECONDS)) {
        server.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      }
    }
    if (dnsmasq != null) {
      dnsmasq.destroy();
      dnsmasq.waitFor(5, TimeUnit.SECONDS);
    }
    if (dir != null) {
      try (var files = Files.list(dir)) {
        for (Path p : files.toList()) {
          Files.delete(p);
        }
      }
      Files.delete(dir);
    }
  }

  /** The server's RSS and threads (from /proc) and its heap and Netty buffers (it says). */
  private record Sample(long rssKib, int threads, long heap, long netty, String counters) {
    long heapMib() {
      return heap >> 20;
    }

    long nettyKib() {
      return netty >> 10;
    }
  }

  private static Sample sample(boolean gc) throws IOException {
    serverIn.println(gc ? "gc" : "stats");
    String stats = serverOut.readLine();
    String status = Files.readString(Path.of("/proc", String.valueOf(server.pid()), "status"));
    Matcher heap = Pattern.compile("heap=(\\d+) netty=(\\d+) (.*)").matcher(stats);
    assertTrue(heap.find(), stats);
    return new Sample(field(status, "VmRSS"), (int) field(status, "Threads"), Long.parseLong(heap.group(1)),
        Long.parseLong(heap.group(2)), heap.group(3));
  }

  private static long field(String status, String name) {
    Matcher m = Pattern.compile("(?m)^" + name + ":\\s+(\\d+)").matcher(status);
    assertTrue(m.find(), name + " in " + status);
    return Long.parseLong(m.group(1));
  }

  @Test
  void pipelinedQueriesOnOneConnectionAreAllAnsweredWhenTheClientReads() {
    String out = HostCommand.run(nsA, 60, List.of("python3", script.toString(), "pipeline", "127.0.0.11", "3000",
        "web", "tasks.web", "www.example.test", "tasks.big", "db.example.test")).orThrow();
    System.out.println(out.strip());
    assertTrue(out.contains("3000 of 3000 answered"), out);
    assertTrue(out.contains("rcodes {0: 3000}"), out);
  }

  @Test
  void aTaskPipeliningWithoutReadingStarvesNeitherAnotherTaskNorTheDaemon() throws Exception {
    Sample before = sample(true);
    Process flood = HostCommand.start(nsA, new ProcessBuilder("python3", script.toString(), "flood", "127.0.0.11",
        "100", "5000", String.valueOf(FLOOD_SECONDS), "tasks.big", "www.example.test").redirectErrorStream(true));
    Sample peak = before;
    long worstMs = 0;
    int witnessed = 0;
    List<String> slow = new ArrayList<>();
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(FLOOD_SECONDS + 15);
    while (flood.isAlive() && System.nanoTime() < end) {
      boolean tcp = witnessed % 2 == 1;
      boolean forwarded = witnessed % 4 >= 2;
      List<String> dig = new ArrayList<>(List.of("dig", "+short", "+tries=1", "+time=2"));
      if (tcp) {
        dig.add("+tcp");
      }
      dig.addAll(List.of("@127.0.0.11", forwarded ? "w" + witnessed + ".example.test" : "db"));
      long t0 = System.nanoTime();
      HostCommand.Result r = HostCommand.run(nsB, 10, dig);
      long ms = (System.nanoTime() - t0) / 1_000_000;
      Set<String> want = forwarded ? Set.of("192.0.2.7") : Set.of("10.0.2.3", "10.0.2.4");
      assertTrue(r.ok() && DigAnswers.of(r.output()).equals(want), "b's lookup " + dig + " while a floods: " + r.output());
      worstMs = Math.max(worstMs, ms);
      if (ms > WITNESS_BOUND_MS / 2) {
        slow.add(dig.get(dig.size() - 1) + (tcp ? " tcp " : " udp ") + ms + " ms");
      }
      witnessed++;
      if (witnessed % 5 == 0) {
        Sample s = sample(false);
        peak = new Sample(Math.max(peak.rssKib(), s.rssKib()), Math.max(peak.threads(), s.threads()),
            Math.max(peak.heap(), s.heap()), Math.max(peak.netty(), s.netty()), s.counters());
      }
      TimeUnit.MILLISECONDS.sleep(200);
    }
    String floodOut = HostCommand.await(flood, List.of("flood"), 15).output().strip();
    TimeUnit.SECONDS.sleep(1);
    Sample after = sample(true);
    System.out.println(floodOut);
    System.out.printf("witness (task b, dig UDP/TCP, local and forwarded): %d lookups, all answered, worst %d ms (bound %d ms)%s%n",
        witnessed, worstMs, WITNESS_BOUND_MS, slow.isEmpty() ? "" : ", over half the bound: " + slow);
    for (var row : List.of(List.of("before", before), List.of("peak", peak), List.of("after", after))) {
      Sample s = (Sample) row.get(1);
      System.out.printf("dns daemon %-6s RSS %4d MiB  threads %2d  heap %3d MiB  netty buffers %6d KiB%n",
          row.get(0), s.rssKib() >> 10, s.threads(), s.heapMib(), s.nettyKib());
    }
    System.out.println("dns counters after: " + after.counters());
    assertTrue(witnessed >= 20, "the witness ran through the flood: " + witnessed);
    assertTrue(worstMs < WITNESS_BOUND_MS, "b's lookups answered within " + WITNESS_BOUND_MS + " ms: worst " + worstMs);
    assertTrue(floodOut.contains("closed by the server"), floodOut);
    assertTrue(peak.threads() <= before.threads() + 2, "no thread per connection: " + before.threads() + " -> " + peak.threads());
    assertTrue(peak.netty() < 32L << 20, "buffers held for unread answers stay bounded: " + peak.nettyKib() + " KiB");
    assertTrue((peak.rssKib() - before.rssKib()) < 192 * 1024, "RSS bounded: " + before.rssKib() + " -> " + peak.rssKib() + " KiB");
    assertTrue(after.counters().contains("tcpRefused=") && !after.counters().contains("tcpRefused=0,"),
        "a's connections over its 32 were refused: " + after.counters());
    assertEquals(Set.of("10.0.1.2"),
        DigAnswers.of(HostCommand.run(nsA, 10, List.of("dig", "+short", "+tcp", "+tries=1", "+time=2", "@127.0.0.11", "web")).orThrow()),
        "the attacker itself is served again once it stops");
  }
}
