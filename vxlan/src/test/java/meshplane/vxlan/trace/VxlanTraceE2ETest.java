package meshplane.vxlan.trace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import meshplane.lab.HostCommand;
import meshplane.testkit.lab.LabExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The trace against real VXLAN traffic: two kernel VXLAN tunnels built by hand with {@code ip}
 * between node1 (198.18.0.1) and node2 (198.18.0.2) of a fresh lab, captured on node2's eth0,
 * with tcpdump in the same namespace as the independent witness.
 *
 * <pre>
 *   vx42  VNI 42  10.42.0.1/24 - 10.42.0.2/24  permanent neighbours (no ARP: packet counts are exact)
 *   vx43  VNI 43  10.43.0.1/24 - 10.43.0.2/24  ordinary ARP
 * </pre>
 *
 * IPv6 is off on the VXLAN devices so that no router solicitation or MLD report crosses the
 * tunnel while a test counts packets.
 */
@Tag("e2e")
class VxlanTraceE2ETest {
  @RegisterExtension static final LabExtension LAB = new LabExtension(2);

  private static final Duration TEN_SECONDS = Duration.ofSeconds(10);

  @BeforeAll
  static void tunnels() {
    for (int vni : new int[] {42, 43}) {
      for (int k = 1; k <= 2; k++) {
        int other = 3 - k;
        String host = "node" + k;
        String dev = "vx" + vni;
        run(host, "ip", "link", "add", dev, "address", mac(vni, k), "type", "vxlan", "id", Integer.toString(vni),
            "dstport", "4789", "local", "198.18.0." + k, "remote", "198.18.0." + other, "nolearning");
        run(host, "sysctl", "-qw", "net.ipv6.conf." + dev + ".disable_ipv6=1");
        run(host, "ip", "addr", "add", "10." + vni + ".0." + k + "/24", "dev", dev);
        run(host, "ip", "link", "set", dev, "mtu", "1450", "up");
        if (vni == 42) {
          run(host, "ip", "neigh", "add", "10.42.0." + other, "lladdr", mac(vni, other), "dev", dev, "nud", "permanent");
        }
      }
    }
  }

  private static String mac(int vni, int node) {
    return String.format("02:00:0a:%02x:00:%02x", vni, node);
  }

  private static String run(String host, String... argv) {
    return LAB.lab().run(host, argv).orThrow();
  }

  private static String node2Namespace() {
    return LAB.lab().host("node2").namespace();
  }

  /** Runs the capture on a thread of its own (it enters the namespace from there). */
  private static CompletableFuture<TraceSummary> runAsync(VxlanTrace trace) {
    CompletableFuture<TraceSummary> f = new CompletableFuture<>();
    Thread t = new Thread(() -> {
      try {
        f.complete(trace.run());
      } catch (Throwable e) {
        f.completeExceptionally(e);
      }
    }, "trace-test");
    t.setDaemon(true);
    t.start();
    return f;
  }

  @Test
  void pingsAreTracedAsTcpdumpSeesThem(@TempDir Path dir) throws Exception {
    Path ours = dir.resolve("ours.pcap");
    Path witness = dir.resolve("witness.pcap");
    int pings = 4;
    int packets = 2 * pings; // request in, reply out: both are UDP to port 4789 on node2's eth0
    Process tcpdump = startTcpdump(witness, packets);
    List<String> lines = Collections.synchronizedList(new ArrayList<>());
    TraceSummary summary;
    try (VxlanTrace trace = VxlanTrace.open(TraceSpec.of(node2Namespace()).withCount((long) packets)
        .withTimeout(TEN_SECONDS).withDumpFile(ours), lines::add)) {
      CompletableFuture<TraceSummary> running = runAsync(trace);
      run("node1", "ping", "-c", Integer.toString(pings), "-i", "0.2", "10.42.0.2");
      summary = running.get(15, TimeUnit.SECONDS);
    }
    assertTrue(tcpdump.waitFor(15, TimeUnit.SECONDS), "tcpdump did not see " + packets + " packets");
    lines.forEach(System.out::println);
    assertEquals(TraceSummary.Stop.COUNT, summary.stop(), summary.describe());
    assertEquals(packets, summary.printed(), summary.describe());
    assertEquals(0, summary.malformed(), summary.describe());
    assertEquals(packets, lines.size(), String.join("\n", lines));

    Pattern request = Pattern.compile("\\d\\d:\\d\\d:\\d\\d\\.\\d{6} 198\\.18\\.0\\.1:(\\d+) -> 198\\.18\\.0\\.2:4789 vni 42, "
        + "02:00:0a:2a:00:01 -> 02:00:0a:2a:00:02 IPv4, ICMP 10\\.42\\.0\\.1 -> 10\\.42\\.0\\.2 echo request id (\\d+) seq (\\d+), "
        + "length 148 \\(inner 98\\)");
    Pattern reply = Pattern.compile("\\d\\d:\\d\\d:\\d\\d\\.\\d{6} 198\\.18\\.0\\.2:(\\d+) -> 198\\.18\\.0\\.1:4789 vni 42, "
        + "02:00:0a:2a:00:02 -> 02:00:0a:2a:00:01 IPv4, ICMP 10\\.42\\.0\\.2 -> 10\\.42\\.0\\.1 echo reply id (\\d+) seq (\\d+), "
        + "length 148 \\(inner 98\\)");
    List<String> ourPackets = new ArrayList<>();
    for (int i = 0; i < packets; i++) {
      Matcher m = (i % 2 == 0 ? request : reply).matcher(lines.get(i));
      assertTrue(m.matches(), "line " + i + ": " + lines.get(i));
      assertEquals(Integer.toString(i / 2 + 1), m.group(3), lines.get(i));
      ourPackets.add((i % 2 == 0 ? "198.18.0.1." + m.group(1) + " > 198.18.0.2.4789 | 10.42.0.1 > 10.42.0.2: ICMP echo request"
          : "198.18.0.2." + m.group(1) + " > 198.18.0.1.4789 | 10.42.0.2 > 10.42.0.1: ICMP echo reply")
          + ", id " + m.group(2) + ", seq " + m.group(3));
    }

    // The witness saw the same packets, in the same order, with the same outer source ports and
    // ICMP ids; tcpdump decodes UDP 4789 as VXLAN itself.
    List<String> witnessPackets = tcpdumpPackets(witness);
    assertEquals(ourPackets, witnessPackets);
    // Our pcap file is valid and holds the same packets as the witness's.
    assertEquals(withoutTimestamps(tcpdumpRead(witness)), withoutTimestamps(tcpdumpRead(ours)));
  }

  @Test
  void vniFilterKeepsOnlyItsVni() throws Exception {
    List<String> vni42 = Collections.synchronizedList(new ArrayList<>());
    List<String> vni4242 = Collections.synchronizedList(new ArrayList<>());
    TraceSummary s42;
    TraceSummary s4242;
    try (VxlanTrace t42 = VxlanTrace.open(TraceSpec.of(node2Namespace()).withVni(42).withCount(4L).withTimeout(TEN_SECONDS), vni42::add);
        VxlanTrace t4242 = VxlanTrace.open(TraceSpec.of(node2Namespace()).withVni(4242).withTimeout(Duration.ofSeconds(3)), vni4242::add)) {
      CompletableFuture<TraceSummary> r42 = runAsync(t42);
      CompletableFuture<TraceSummary> r4242 = runAsync(t4242);
      run("node1", "ping", "-c", "4", "-i", "0.2", "10.42.0.2");
      s42 = r42.get(15, TimeUnit.SECONDS);
      s4242 = r4242.get(15, TimeUnit.SECONDS);
    }
    assertEquals(4, vni42.size(), String.join("\n", vni42));
    vni42.forEach(l -> assertTrue(l.contains(" vni 42, "), l));
    assertEquals(TraceSummary.Stop.COUNT, s42.stop());
    assertEquals(List.of(), vni4242);
    assertEquals(TraceSummary.Stop.TIMEOUT, s4242.stop(), s4242.describe());
    assertEquals(0, s4242.printed());
    assertTrue(s4242.otherVni() >= 8, s4242.describe());
  }

  @Test
  void arpThenPingOverVni43(@TempDir Path dir) throws Exception {
    run("node1", "ip", "neigh", "flush", "dev", "vx43");
    run("node2", "ip", "neigh", "flush", "dev", "vx43");
    Path ours = dir.resolve("arp.pcap");
    List<String> lines = Collections.synchronizedList(new ArrayList<>());
    try (VxlanTrace trace = VxlanTrace.open(TraceSpec.of(node2Namespace()).withVni(43).withCount(4L)
        .withTimeout(TEN_SECONDS).withDumpFile(ours), lines::add)) {
      CompletableFuture<TraceSummary> running = runAsync(trace);
      run("node1", "ping", "-c", "1", "10.43.0.2");
      assertEquals(TraceSummary.Stop.COUNT, running.get(15, TimeUnit.SECONDS).stop());
    }
    lines.forEach(System.out::println);
    // '#' stands for a number that changes from run to run (source port, ICMP id).
    String[] expected = {
        "198.18.0.1:# -> 198.18.0.2:4789 vni 43, 02:00:0a:2b:00:01 -> ff:ff:ff:ff:ff:ff ARP, request who-has 10.43.0.2 tell 10.43.0.1, length 92 (inner 42)",
        "198.18.0.2:# -> 198.18.0.1:4789 vni 43, 02:00:0a:2b:00:02 -> 02:00:0a:2b:00:01 ARP, reply 10.43.0.2 is-at 02:00:0a:2b:00:02, length 92 (inner 42)",
        "198.18.0.1:# -> 198.18.0.2:4789 vni 43, 02:00:0a:2b:00:01 -> 02:00:0a:2b:00:02 IPv4, ICMP 10.43.0.1 -> 10.43.0.2 echo request id # seq 1, length 148 (inner 98)",
        "198.18.0.2:# -> 198.18.0.1:4789 vni 43, 02:00:0a:2b:00:02 -> 02:00:0a:2b:00:01 IPv4, ICMP 10.43.0.2 -> 10.43.0.1 echo reply id # seq 1, length 148 (inner 98)",
    };
    assertEquals(4, lines.size(), String.join("\n", lines));
    for (int i = 0; i < 4; i++) {
      String regex = "\\d\\d:\\d\\d:\\d\\d\\.\\d{6} " + Pattern.quote(expected[i]).replace("#", "\\E\\d+\\Q");
      assertTrue(lines.get(i).matches(regex), lines.get(i) + "\n does not match\n" + expected[i]);
    }
    String witness = tcpdumpRead(ours);
    assertTrue(witness.contains("Request who-has 10.43.0.2 tell 10.43.0.1"), witness);
    assertTrue(witness.contains("Reply 10.43.0.2 is-at 02:00:0a:2b:00:02"), witness);
    assertEquals(4, count(witness, "VXLAN, flags [I] (0x08), vni 43"), witness);
  }

  @Test
  void malformedPayloadsPrintALineEach() throws Exception {
    List<String> lines = Collections.synchronizedList(new ArrayList<>());
    TraceSummary summary;
    try (VxlanTrace trace = VxlanTrace.open(TraceSpec.of(node2Namespace()).withCount(4L).withTimeout(TEN_SECONDS), lines::add)) {
      CompletableFuture<TraceSummary> running = runAsync(trace);
      run("node1", "sh", "-c", "printf hello | socat -u - UDP-SENDTO:198.18.0.2:4789");
      run("node1", "sh", "-c", "printf '\\000\\000\\000\\000\\000\\000\\052\\000abc' | socat -u - UDP-SENDTO:198.18.0.2:4789");
      run("node1", "sh", "-c", "printf '\\010\\000\\000\\000\\000\\000\\052\\000abc' | socat -u - UDP-SENDTO:198.18.0.2:4789");
      run("node1", "ping", "-c", "1", "10.42.0.2"); // the capture goes on after them
      summary = running.get(15, TimeUnit.SECONDS);
    }
    lines.forEach(System.out::println);
    assertEquals(4, lines.size(), String.join("\n", lines));
    assertTrue(lines.get(0).endsWith("-> 198.18.0.2:4789 malformed VXLAN: 5 bytes of UDP payload, a VXLAN header needs 8, length 47"), lines.get(0));
    assertTrue(lines.get(1).endsWith("-> 198.18.0.2:4789 malformed VXLAN: flags 0x00, the I flag (0x08) is not set, length 53"), lines.get(1));
    assertTrue(lines.get(2).endsWith("-> 198.18.0.2:4789 vni 42, malformed inner frame: 3 bytes, an Ethernet header needs 14, length 53 (inner 3)"),
        lines.get(2));
    assertTrue(lines.get(3).contains("ICMP 10.42.0.1 -> 10.42.0.2 echo request"), lines.get(3));
    assertEquals(3, summary.malformed(), summary.describe());
  }

  @Test
  void stopEndsAnUnboundedCapture() throws Exception {
    try (VxlanTrace trace = VxlanTrace.open(TraceSpec.of(node2Namespace()), l -> { })) {
      CompletableFuture<TraceSummary> running = runAsync(trace);
      Thread.sleep(300);
      long t0 = System.nanoTime();
      trace.stop();
      assertEquals(TraceSummary.Stop.STOPPED, running.get(5, TimeUnit.SECONDS).stop());
      assertTrue(System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(1), "stop took more than a second");
    }
  }

  @Test
  void timeoutEndsAQuietCapture() {
    long t0 = System.nanoTime();
    try (VxlanTrace trace = VxlanTrace.open(TraceSpec.of(node2Namespace()).withPort(4790).withTimeout(Duration.ofSeconds(1)), l -> { })) {
      TraceSummary s = trace.run();
      assertEquals(TraceSummary.Stop.TIMEOUT, s.stop());
      assertEquals(0, s.captured());
    }
    long ms = (System.nanoTime() - t0) / 1_000_000;
    assertTrue(ms >= 1000 && ms < 5000, ms + " ms");
  }

  @Test
  void errorsNameTheCapture(@TempDir Path dir) {
    String ns = node2Namespace();
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> VxlanTrace.open(TraceSpec.of(ns).withInterface("eth9"), l -> { }));
    assertTrue(e.getMessage().startsWith("capture on eth9 in netns " + ns + ": "), e.getMessage());
    Path nowhere = dir.resolve("missing/dir/x.pcap");
    e = assertThrows(IllegalStateException.class, () -> VxlanTrace.open(TraceSpec.of(ns).withDumpFile(nowhere), l -> { }));
    assertTrue(e.getMessage().startsWith("capture on eth0 in netns " + ns + ": cannot write pcap file " + nowhere + ": "), e.getMessage());
  }

  /** tcpdump on node2's eth0 writing {@code file}; returns once it is listening. */
  private static Process startTcpdump(Path file, int packets) throws Exception {
    Process p = HostCommand.start(LAB.lab().host("node2"), new ProcessBuilder("timeout", "20", "tcpdump", "-i", "eth0", "-nn", "-U",
        "-Z", "root", "-c", Integer.toString(packets), "-w", file.toString(), "udp", "dst", "port", "4789").redirectErrorStream(true));
    CompletableFuture<String> listening = CompletableFuture.supplyAsync(() -> {
      try {
        BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        StringBuilder seen = new StringBuilder();
        for (String line; (line = r.readLine()) != null; ) {
          seen.append(line).append('\n');
          if (line.contains("listening on eth0")) {
            return line;
          }
        }
        throw new IllegalStateException("tcpdump ended before listening: " + seen);
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    });
    listening.get(10, TimeUnit.SECONDS);
    return p;
  }

  private static String tcpdumpRead(Path file) {
    return run("node2", "tcpdump", "-nn", "-r", file.toString());
  }

  /**
   * The witness's reading of a pcap file, one string per VXLAN packet in our notation. tcpdump
   * prints two lines per packet:
   * <pre>
   * 00:40:24.376011 IP 198.18.0.1.42550 > 198.18.0.2.4789: VXLAN, flags [I] (0x08), vni 42
   * IP 10.42.0.1 > 10.42.0.2: ICMP echo request, id 20208, seq 1, length 64
   * </pre>
   */
  private static List<String> tcpdumpPackets(Path file) {
    Pattern outer = Pattern.compile("\\S+ IP (\\S+) > (\\S+): VXLAN, flags \\[I\\] \\(0x08\\), vni 42");
    Pattern inner = Pattern.compile("IP (10\\.42\\.0\\.\\d) > (10\\.42\\.0\\.\\d): ICMP (echo request|echo reply), id (\\d+), seq (\\d+), length 64");
    List<String> out = new ArrayList<>();
    String[] lines = tcpdumpRead(file).lines().filter(l -> !l.startsWith("reading from file")).toArray(String[]::new);
    for (int i = 0; i + 1 < lines.length; i += 2) {
      Matcher o = outer.matcher(lines[i]);
      Matcher n = inner.matcher(lines[i + 1]);
      assertTrue(o.matches(), lines[i]);
      assertTrue(n.matches(), lines[i + 1]);
      out.add(o.group(1) + " > " + o.group(2).replaceFirst(":$", "") + " | " + n.group(1) + " > " + n.group(2) + ": ICMP "
          + n.group(3) + ", id " + n.group(4) + ", seq " + n.group(5));
    }
    return out;
  }

  private static List<String> withoutTimestamps(String tcpdumpOutput) {
    return tcpdumpOutput.lines().filter(l -> !l.startsWith("reading from file"))
        .map(l -> l.replaceFirst("^\\d\\d:\\d\\d:\\d\\d\\.\\d{6} ", "")).toList();
  }

  private static int count(String text, String needle) {
    int n = 0;
    for (int i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + 1)) {
      n++;
    }
    return n;
  }
}
