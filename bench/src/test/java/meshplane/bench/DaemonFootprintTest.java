package meshplane.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("unit")
class DaemonFootprintTest {
  @Test
  void readsThreadsAndRssOfThisJvm() {
    DaemonFootprint f = DaemonFootprint.of("self", ProcessHandle.current().pid());
    assertTrue(f.threads() >= 2, f.toString());
    assertTrue(f.rssKiB() > 1024, f.toString());
  }

  @Test
  void theFieldIsTheNumberAfterItsName() {
    List<String> status = List.of("Name:\tjava", "VmRSS:\t  301234 kB", "Threads:\t57");
    assertEquals(301234, DaemonFootprint.field(status, "VmRSS:", Path.of("status")));
    assertEquals(57, DaemonFootprint.field(status, "Threads:", Path.of("status")));
    assertThrows(IllegalStateException.class, () -> DaemonFootprint.field(status, "VmHWM:", Path.of("status")));
  }
}
