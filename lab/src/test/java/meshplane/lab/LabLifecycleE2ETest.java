package meshplane.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Set;
import java.util.TreeSet;
import meshplane.netlink.NetNamespace;
import meshplane.testkit.Command;
import meshplane.testkit.IpJson;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Up and down leave the machine as it was: no namespace, no link in the root namespace. */
@Tag("e2e")
class LabLifecycleE2ETest {

  private static Set<String> rootLinks() {
    Set<String> names = new TreeSet<>();
    for (JsonNode n : IpJson.ipInOwnNamespace("link", "show")) {
      names.add(n.path("ifname").asText() + "@" + n.path("ifindex").asInt());
    }
    return names;
  }

  @Test
  void downLeavesNothingBehind() throws Exception {
    String name = "tlife" + (ProcessHandle.current().pid() % 1000);
    Set<String> linksBefore = rootLinks();
    Set<String> netnsBefore = new TreeSet<>(NetNamespace.list());
    try {
      Lab lab = Lab.up(new LabSpec(name, 2));
      assertEquals(4, NetNamespace.listWithPrefix(LabSpec.prefix(name)).size(), "underlay, node1, node2, client");
      assertTrue(Lab.find(name).isPresent());
      assertTrue(Command.run("ip", "netns", "list").orThrow().contains(lab.host("node2").namespace()),
          "ip netns sees the lab's namespaces");
      IllegalStateException twice = assertThrows(IllegalStateException.class, () -> Lab.up(new LabSpec(name, 2)));
      assertTrue(twice.getMessage().contains("already up"), twice.getMessage());
      assertEquals(linksBefore, rootLinks(), "the root namespace gained no link");
    } finally {
      Lab.down(name);
    }
    assertEquals(netnsBefore, new TreeSet<>(NetNamespace.list()));
    assertEquals(linksBefore, rootLinks());
    assertTrue(Lab.find(name).isEmpty());
  }
}
