package meshplane.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("unit")
class ControlOptionsTest {
  @Test
  void defaultsAreTheIssuesCounts() {
    ControlOptions o = ControlOptions.parse(new String[0]);
    assertEquals(List.of(10, 100, 1000), o.latencyLevels());
    assertEquals(5, o.firstFootprintServices()); // 10 tasks of 2 replicas
    assertEquals(300, o.secondFootprintServices()); // 600 tasks
    assertEquals(10, o.firstAssignmentServices());
    assertEquals(16, o.clients());
    assertEquals(50, o.window());
  }

  @Test
  void aSmallTrialKeepsTheStepsInOrder() {
    ControlOptions o = ControlOptions.parse(new String[] {"--services", "20", "--window", "5"});
    assertEquals(List.of(1, 2, 20), o.latencyLevels());
    assertEquals(1, o.firstFootprintServices());
    assertEquals(6, o.secondFootprintServices());
    assertTrue(o.firstAssignmentServices() >= o.firstFootprintServices());
    assertTrue(o.firstAssignmentServices() < o.secondFootprintServices());
    assertTrue(o.secondFootprintServices() < o.services());
  }

  @Test
  void badFlagsAreRefusedNamingTheFlag() {
    IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
        () -> ControlOptions.parse(new String[] {"--service", "10"}));
    assertTrue(unknown.getMessage().contains("--service"), unknown.getMessage());
    IllegalArgumentException range = assertThrows(IllegalArgumentException.class,
        () -> ControlOptions.parse(new String[] {"--clients", "0"}));
    assertTrue(range.getMessage().contains("--clients 0"), range.getMessage());
    assertThrows(IllegalArgumentException.class, () -> ControlOptions.parse(new String[] {"--rounds"}));
    assertThrows(IllegalArgumentException.class, () -> ControlOptions.parse(new String[] {"--rounds", "x"}));
  }
}
