package meshplane.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import meshplane.cli.MeshctlTest.Run;
import meshplane.netlink.NetNamespace;
import meshplane.testkit.lab.LabExtension;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code meshctl dataplane apply|show|reset} and {@code meshctl debug netns} in-process on a lab,
 * with the documented example states (docs/examples, renamed to this lab's namespaces).
 */
@Tag("e2e")
class DataplaneCliE2ETest {
  @RegisterExtension static final LabExtension LAB = new LabExtension(3);

  static Path state(Path dir, int node) throws Exception {
    String json = Files.readString(Path.of("../docs/examples/lab-node" + node + ".json"))
        .replace("mp-lab-", "mp-" + LAB.lab().name() + "-");
    Path p = dir.resolve("node" + node + ".json");
    Files.writeString(p, json);
    return p;
  }

  @Test
  void applyShowDebugAndReset(@TempDir Path dir) throws Exception {
    String lab = LAB.lab().name();
    for (int k = 1; k <= 3; k++) {
      Run r = MeshctlTest.meshctl("dataplane", "apply", "--name", lab, "--node", "node" + k, "-f", state(dir, k).toString());
      assertEquals(0, r.status(), r.err());
      assertTrue(r.out().contains("step(s) changed"), r.out());
      assertTrue(r.out().contains("load balancer: auto -> nftables (IPVS not available: "), "the choice is said: " + r.out());
    }
    Run again = MeshctlTest.meshctl("dataplane", "apply", "--name", lab, "--node", "node1", "-f", state(dir, 1).toString());
    assertTrue(again.out().contains("nothing to change"), again.out());

    Run show = MeshctlTest.meshctl("dataplane", "show", "--name", lab, "--node", "node1");
    assertEquals(0, show.status(), show.err());
    assertTrue(show.out().contains("\"name\" : \"web\"") && show.out().contains("\"lbAddress\" : \"10.255.0.11\""), show.out());

    Run walk = MeshctlTest.meshctl("debug", "netns", "--name", lab, "--node", "node1");
    assertEquals(0, walk.status(), walk.err());
    for (String want : List.of("load balancer: nftables (balancing maps in mp-" + lab, "--lb auto here: auto -> nftables",
        "ingress_sbox  mp-" + lab + "-node1-ingress_sbox", "publish: tcp/8080 -> DNAT to ingress_sbox",
        "mark:   tcp/8080 -> 0x101 (web)", "vip:    10.0.1.2 -> 0x101 (web)", "nsenter --net=/run/netns/mp-" + lab + "-node1-lb_web")) {
      assertTrue(walk.out().contains(want), "debug netns shows \"" + want + "\":\n" + walk.out());
    }

    Run bad = MeshctlTest.meshctl("dataplane", "apply", "--name", lab, "--node", "node1", "--lb", "fast", "-f", state(dir, 1).toString());
    assertEquals(2, bad.status());
    assertTrue(bad.err().contains("--lb \"fast\" must be auto, ipvs or nftables"), bad.err());

    for (int k = 1; k <= 3; k++) {
      Run reset = MeshctlTest.meshctl("dataplane", "reset", "--name", lab, "--node", "node" + k);
      assertEquals(0, reset.status(), reset.err());
      assertEquals(List.of(), NetNamespace.listWithPrefix(LAB.lab().host("node" + k).namespace() + "-"));
    }
  }
}
