package meshplane.testkit.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import meshplane.lab.HostCommand;
import meshplane.lab.LabHost;
import meshplane.testkit.BridgeJson;
import meshplane.testkit.IpJson;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The lab through its JUnit fixture: three nodes and a client on one underlay bridge. */
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
      HostCommand.Result r = LAB.lab().run("client", "ping", "-c", "1", "-W", "2", node.underlayAddress());
      assertTrue(r.ok(), "client -> " + node.name() + ": " + r.output());
    }
  }

  @Test
  void hostsHaveTheirUnderlayAddressOnEth0() {
    for (LabHost h : LAB.lab().hosts()) {
      if (h.role() == LabHost.Role.UNDERLAY) {
        continue;
      }
      JsonNode eth0 = IpJson.ip(h.namespace(), "addr", "show", "dev", "eth0");
      List<String> addrs = new ArrayList<>();
      eth0.get(0).path("addr_info").forEach(a -> addrs.add(a.path("local").asText() + "/" + a.path("prefixlen").asInt()));
      assertTrue(addrs.contains(h.underlayAddress() + "/24"), h.name() + ": " + eth0);
    }
    List<String> ports = new ArrayList<>();
    BridgeJson.bridge(LAB.lab().host("underlay").namespace(), "link", "show").forEach(l -> ports.add(l.path("ifname").asText()));
    for (String port : List.of("mp-node1", "mp-node2", "mp-node3", "mp-client")) {
      assertTrue(ports.contains(port), port + " is a port of the underlay bridge: " + ports);
    }
  }

  @Test
  void nodesForwardAndTheClientDoesNot() {
    assertEquals("1", LAB.lab().run("node2", "cat", "/proc/sys/net/ipv4/ip_forward").orThrow().trim());
    assertEquals("0", LAB.lab().run("client", "cat", "/proc/sys/net/ipv4/ip_forward").orThrow().trim());
  }
}
