package meshplane.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import meshplane.cli.MeshctlTest.Run;
import meshplane.lab.HostCommand;
import meshplane.testkit.lab.LabExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code meshctl trace} in-process against a lab with a VXLAN tunnel built by hand
 * (VNI 42, 10.42.0.1 on node1 and 10.42.0.2 on node2, permanent neighbours, IPv6 off), while
 * node1 pings node2 through it.
 */
@Tag("e2e")
class MeshctlTraceE2ETest {
  @RegisterExtension static final LabExtension LAB = new LabExtension(2);

  @BeforeAll
  static void tunnel() {
    for (int k = 1; k <= 2; k++) {
      int other = 3 - k;
      String host = "node" + k;
      run(host, "ip", "link", "add", "vx42", "address", "02:00:0a:2a:00:0" + k, "type", "vxlan", "id", "42", "dstport", "4789",
          "local", "198.18.0." + k, "remote", "198.18.0." + other, "nolearning");
      run(host, "sysctl", "-qw", "net.ipv6.conf.vx42.disable_ipv6=1");
      run(host, "ip", "addr", "add", "10.42.0." + k + "/24", "dev", "vx42");
      run(host, "ip", "link", "set", "vx42", "mtu", "1450", "up");
      run(host, "ip", "neigh", "add", "10.42.0." + other, "lladdr", "02:00:0a:2a:00:0" + other, "dev", "vx42", "nud", "permanent");
    }
  }

  private static String run(String host, String... argv) {
    return LAB.lab().run(host, argv).orThrow();
  }

  /** Pings node2 over the tunnel for a bounded time (about 6 s) on a thread of its own. */
  private static CompletableFuture<HostCommand.Result> pingInBackground() {
    return CompletableFuture.supplyAsync(() -> LAB.lab().run("node1", "ping", "-c", "30", "-i", "0.2", "10.42.0.2"));
  }

  @Test
  void traceCountsAndStops() throws Exception {
    CompletableFuture<HostCommand.Result> pings = pingInBackground();
    Run r = MeshctlTest.meshctl("trace", "--name", LAB.lab().name(), "--node", "node2", "--count", "3", "--timeout", "10");
    System.out.print(r.out());
    System.err.print(r.err());
    assertEquals(0, r.status(), r.err());
    List<String> lines = r.out().lines().toList();
    assertEquals(3, lines.size(), r.out());
    for (String line : lines) {
      assertTrue(line.matches("\\d\\d:\\d\\d:\\d\\d\\.\\d{6} 198\\.18\\.0\\.[12]:\\d+ -> 198\\.18\\.0\\.[12]:4789 vni 42, .* IPv4, "
          + "ICMP 10\\.42\\.0\\.[12] -> 10\\.42\\.0\\.[12] echo (request|reply) id \\d+ seq \\d+, length 148 \\(inner 98\\)"), line);
    }
    assertTrue(r.err().contains("tracing VXLAN on node2 (eth0 in netns " + LAB.lab().host("node2").namespace()
        + "): udp dst port 4789; until 3 packets or 10 s"), r.err());
    assertTrue(r.err().contains("3 packets printed (0 malformed)"), r.err());
    assertTrue(r.err().contains("; count reached"), r.err());
    pings.get(20, TimeUnit.SECONDS);
  }

  @Test
  void vniFilterAndPcapFile(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("vni42.pcap");
    CompletableFuture<HostCommand.Result> pings = pingInBackground();
    Run other = MeshctlTest.meshctl("trace", "--name", LAB.lab().name(), "--node", "node2", "--vni", "7", "--timeout", "2");
    Run mine = MeshctlTest.meshctl("trace", "--name", LAB.lab().name(), "--node", "node2", "--vni", "42", "--count", "4",
        "--timeout", "10", "-w", file.toString());
    assertEquals(0, other.status(), other.err());
    assertEquals("", other.out());
    assertTrue(other.err().contains("0 packets printed"), other.err());
    assertTrue(other.err().contains("; timeout"), other.err());
    assertEquals(0, mine.status(), mine.err());
    assertEquals(4, mine.out().lines().count(), mine.out());
    // The witness reads our file: a valid pcap with the same four packets.
    String witness = run("node2", "tcpdump", "-nn", "-r", file.toString());
    assertEquals(4, witness.lines().filter(l -> l.contains("VXLAN, flags [I] (0x08), vni 42")).count(), witness);
    pings.get(20, TimeUnit.SECONDS);
  }

  @Test
  void theUnderlayHostIsRefused() {
    Run r = MeshctlTest.meshctl("trace", "--name", LAB.lab().name(), "--node", "underlay", "--count", "1");
    assertEquals(2, r.status());
    assertTrue(r.err().contains("--node underlay has no eth0: trace runs on a node (node1..nodeN) or the client"), r.err());
  }
}
