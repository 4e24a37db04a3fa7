package meshplane.cluster.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The rule that picks where meshctl's requests go (ApiTarget.resolve), and --host parsing. */
@Tag("unit")
class ApiClientTargetTest {
  static final ApiTarget.LabLookup LAB_UP = (lab, node) -> Optional.of(Path.of("/run/meshplane", lab, node + ".sock"));

  @Test
  void hostFlagWinsThenTheEnvironment() {
    assertEquals(new ApiTarget("198.18.0.2", 2377, null), ApiTarget.resolve("198.18.0.2", "10.0.0.1:9", "lab", "node3", LAB_UP));
    assertEquals(new ApiTarget("10.0.0.1", 9, null), ApiTarget.resolve(null, "10.0.0.1:9", "lab", null, LAB_UP));
    assertEquals(new ApiTarget("h", 1234, null), ApiTarget.resolve("tcp://h:1234", null, "lab", null, LAB_UP));
  }

  @Test
  void aLabThatIsUpMeansItsNodesLocalSocket() {
    assertEquals(ApiTarget.unix(Path.of("/run/meshplane/lab/node1.sock")), ApiTarget.resolve(null, null, "lab", null, LAB_UP));
    assertEquals(ApiTarget.unix(Path.of("/run/meshplane/t1/node2.sock")), ApiTarget.resolve(null, "", "t1", "node2", LAB_UP));
    assertEquals(ApiTarget.unix(Path.of("/x/y.sock")), ApiTarget.parse("unix:///x/y.sock", "--host"));
    assertThrows(IllegalArgumentException.class, () -> ApiTarget.parse("unix://rel.sock", "--host"));
  }

  @Test
  void aTcpTargetWithoutCertificatesIsRefusedBeforeAnyConnection() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new ApiClient(new ApiTarget("198.18.0.1", 2377, null)));
    assertTrue(e.getMessage().contains("mutual TLS only"), e.getMessage());
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
    assertEquals("unix:///run/meshplane/meshplane.sock", ApiTarget.LOCAL.describe());
    assertEquals("127.0.0.1:2377 in netns mp-lab-node1", new ApiTarget("127.0.0.1", 2377, "mp-lab-node1").describe());
  }
}
