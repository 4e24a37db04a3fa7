package meshplane.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import meshplane.lab.junit.LabExtension;
import meshplane.netlink.testing.Command;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

@Tag("e2e")
class LabE2ETest {
  @RegisterExtension
  static final LabExtension LAB = new LabExtension(3);

  @Test
  void node1PingsNode3() {
    String out = LAB.lab().run("node1", "ping", "-c", "2", "-W", "2", "198.18.0.3").orThrow();
    assertTrue(out.contains("2 received"), out);
  }

  @Test
  void clientReachesEveryNode() {
    for (LabHost node : LAB.lab().nodes()) {
      Command.Result r = LAB.lab().run("client", "ping", "-c", "1", "-W", "2", node.underlayAddress());
      assertTrue(r.ok(), "client -> " + node.name() + ": " + r.output());
    }
  }

  @Test
  void hostsHaveTheirUnderlayAddressOnEth0() {
    for (LabHost h : LAB.lab().hosts()) {
      if (h.role() == LabHost.Role.UNDERLAY) {
        continue;
      }
      String addrs = Command.run("ip", "-n", h.namespace(), "-j", "addr", "show", "dev", "eth0").orThrow();
      assertTrue(addrs.contains("\"local\":\"" + h.underlayAddress() + "\""), h.name() + ": " + addrs);
      assertTrue(addrs.contains("\"prefixlen\":24"), addrs);
    }
    String ports = Command.run("bridge", "-n", LAB.lab().host("underlay").namespace(), "-j", "link", "show").orThrow();
    for (String port : List.of("mp-node1", "mp-node2", "mp-node3", "mp-client")) {
      assertTrue(ports.contains("\"ifname\":\"" + port + "\""), port + " is a port of the underlay bridge: " + ports);
    }
  }

  @Test
  void nodesForwardAndTheClientDoesNot() {
    assertEquals("1", LAB.lab().run("node2", "cat", "/proc/sys/net/ipv4/ip_forward").orThrow().trim());
    assertEquals("0", LAB.lab().run("client", "cat", "/proc/sys/net/ipv4/ip_forward").orThrow().trim());
  }
}
