package meshplane.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Bad trace options are refused with the option and its rule (exit 2) before any lab is looked up. */
@Tag("unit")
class TraceCommandTest {
  private static void refused(String message, String... args) {
    MeshctlTest.Run r = MeshctlTest.meshctl(args);
    assertEquals(2, r.status(), r.err());
    assertTrue(r.err().contains(message), r.err());
  }

  @Test
  void badOptionsAreRefused() {
    refused("--vni 16777216 must be between 0 and 16777215", "trace", "--name", "tnone", "--node", "node1", "--vni", "16777216");
    refused("--count 0 must be at least 1", "trace", "--name", "tnone", "--node", "node1", "--count", "0");
    refused("--port 0 must be between 1 and 65535", "trace", "--name", "tnone", "--node", "node1", "--port", "0");
    refused("--timeout 0 must be more than 0 seconds", "trace", "--name", "tnone", "--node", "node1", "--timeout", "0");
    refused("Missing required option: '--node=NODE'", "trace", "--name", "tnone");
    refused("--count", "trace", "--node", "node1", "--count", "many");
  }

  @Test
  void aLabThatIsNotUpSaysHowToStartIt() {
    MeshctlTest.Run r = MeshctlTest.meshctl("trace", "--name", "tnone", "--node", "node1", "--count", "1");
    assertEquals(1, r.status());
    assertTrue(r.err().contains("lab tnone is not up: run meshctl lab up --nodes N --name tnone"), r.err());
  }

  @Test
  void helpListsTheOptions() {
    MeshctlTest.Run r = MeshctlTest.meshctl("trace", "--help");
    assertEquals(0, r.status());
    for (String option : new String[] {"--node", "--vni", "--count", "-w", "--port", "--timeout", "--name"}) {
      assertTrue(r.out().contains(option), r.out());
    }
  }
}
