package meshplane.cluster.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The rule that picks where meshctl's requests go (ApiTarget.resolve), and --host parsing. */
@Tag("unit")
class ApiClientTargetTest {
  static final ApiTarget.LabLookup LAB_UP = (lab, node) -> Optional.of("mp-" + lab + "-" + node);

  @Test
  void hostFlagWinsThenTheEnvironment() {
    assertEquals(new ApiTarget("198.18.0.2", 2377, null), ApiTarget.resolve("198.18.0.2", "10.0.0.1:9", "lab", "node3", LAB_UP));
    assertEquals(new ApiTarget("10.0.0.1", 9, null), ApiTarget.resolve(null, "10.0.0.1:9", "lab", null, LAB_UP));
    assertEquals(new ApiTarget("h", 1234, null), ApiTarget.resolve("tcp://h:1234", null, "lab", null, LAB_UP));
  }

  @Test
  void aLabThatIsUpMeansItsNodeNamespace() {
    assertEquals(new ApiTarget("127.0.0.1", 2377, "mp-lab-node1"), ApiTarget.resolve(null, null, "lab", null, LAB_UP));
    assertEquals(new ApiTarget("127.0.0.1", 2377, "mp-t1-node2"), ApiTarget.resolve(null, "", "t1", "node2", LAB_UP));
  }

  @Test
  void noLabMeansLocalAndANodeFlagWithoutALabIsAnError() {
    assertEquals(ApiTarget.LOCAL, ApiTarget.resolve(null, null, "lab", null, ApiTarget.LabLookup.NONE));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ApiTarget.resolve(null, null, "lab", "node2", ApiTarget.LabLookup.NONE));
    assertTrue(e.getMessage().contains("--node node2: lab lab is not up"), e.getMessage());
  }

  @Test
  void badHostsAreRefusedNamingTheSource() {
    for (String bad : new String[] {"h:0", "h:70000", "h:x", ":2377", "a/b"}) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ApiTarget.parse(bad, "--host"));
      assertTrue(e.getMessage().startsWith("--host \"" + bad + "\" must be ADDR or ADDR:PORT"), e.getMessage());
    }
    assertTrue(ApiTarget.LOCAL.describe().equals("127.0.0.1:2377"));
    assertEquals("127.0.0.1:2377 in netns mp-lab-node1", new ApiTarget("127.0.0.1", 2377, "mp-lab-node1").describe());
  }
}
