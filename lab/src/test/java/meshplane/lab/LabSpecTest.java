package meshplane.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("unit")
class LabSpecTest {
  @Test
  void hostsAreUnderlayNodesAndClientWithPrefixedNamespaces() {
    List<LabHost> hosts = new LabSpec("lab", 3).hosts();
    assertEquals(List.of("underlay", "node1", "node2", "node3", "client"), hosts.stream().map(LabHost::name).toList());
    assertEquals("mp-lab-node3", hosts.get(3).namespace());
    assertEquals("198.18.0.3", hosts.get(3).underlayAddress());
    assertEquals("198.18.0.200", hosts.get(4).underlayAddress());
    assertEquals("nsenter --net=/run/netns/mp-lab-node1", hosts.get(1).nsenterCommand());
    hosts.forEach(h -> assertTrue(h.namespace().startsWith("mp-lab-"), h.namespace()));
  }

  @Test
  void macShowsTheUnderlayAddress() {
    LabHost node7 = new LabSpec("lab", 7).hosts().get(7);
    assertEquals("02:00:c6:12:00:07", Lab.macFor(node7).toString());
  }

  @Test
  void badSpecsAreRefusedWithTheFieldAndTheRule() {
    IllegalArgumentException nodes = assertThrows(IllegalArgumentException.class, () -> new LabSpec("x", 0));
    assertEquals("--nodes 0 must be between 1 and 50", nodes.getMessage());
    assertThrows(IllegalArgumentException.class, () -> new LabSpec("x", 51));
    IllegalArgumentException label = assertThrows(IllegalArgumentException.class, () -> new LabSpec("Bad Name", 3));
    assertTrue(label.getMessage().startsWith("lab name \"Bad Name\" must be"), label.getMessage());
  }
}
