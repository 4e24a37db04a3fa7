package meshplane.dataplane;

import meshplane.dataplane.json.StateJson;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The example states the demo applies (docs/examples) stay valid as the rules evolve. */
@Tag("unit")
class ExampleStatesTest {
  @Test
  void theDemosStatesAreValid() throws Exception {
    for (int k = 1; k <= 3; k++) {
      DataplaneState s = StateJson.parse(Files.readString(Path.of("../docs/examples/lab-node" + k + ".json")));
      assertEquals("node" + k, s.node());
      assertEquals(2, s.services().size());
    }
  }
}
