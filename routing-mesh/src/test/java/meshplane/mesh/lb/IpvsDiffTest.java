package meshplane.mesh.lb;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import java.util.Set;
import meshplane.mesh.lb.IpvsChange.AddDestination;
import meshplane.mesh.lb.IpvsChange.AddService;
import meshplane.mesh.lb.IpvsChange.DeleteDestination;
import meshplane.mesh.lb.IpvsChange.DeleteService;
import meshplane.mesh.lb.IpvsChange.SetWeight;
import meshplane.mesh.lb.IpvsDiff.Observed;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("unit")
class IpvsDiffTest {
  static final Observed SERVING = new Observed(1, 3);
  static final Observed DRAINED_BUSY = new Observed(0, 2);
  static final Observed DRAINED_IDLE = new Observed(0, 0);

  @Test
  void aNewServiceGetsItsDestinations() {
    assertEquals(List.of(new AddService(0x101), new AddDestination(0x101, "10.0.1.3"), new AddDestination(0x101, "10.0.1.4")),
        IpvsDiff.changes(Map.of(0x101, List.of("10.0.1.3", "10.0.1.4")), Map.of(), null));
  }

  @Test
  void aRemovedBackendIsDrainedFirstThenDeletedOnceIdle() {
    Map<Integer, List<String>> want = Map.of(0x101, List.of("10.0.1.3"));
    assertEquals(List.of(new SetWeight(0x101, "10.0.1.4", 0)),
        IpvsDiff.changes(want, Map.of(0x101, Map.of("10.0.1.3", SERVING, "10.0.1.4", SERVING)), null));
    assertEquals(List.of(), IpvsDiff.changes(want, Map.of(0x101, Map.of("10.0.1.3", SERVING, "10.0.1.4", DRAINED_BUSY)), null),
        "still has active connections: left draining");
    assertEquals(List.of(new DeleteDestination(0x101, "10.0.1.4")),
        IpvsDiff.changes(want, Map.of(0x101, Map.of("10.0.1.3", SERVING, "10.0.1.4", DRAINED_IDLE)), null));
  }

  @Test
  void aDrainedBackendThatComesBackServesAgain() {
    assertEquals(List.of(new SetWeight(0x101, "10.0.1.4", 1)),
        IpvsDiff.changes(Map.of(0x101, List.of("10.0.1.4")), Map.of(0x101, Map.of("10.0.1.4", DRAINED_BUSY)), null));
  }

  @Test
  void aRemovedServiceIsDrainedThenDeleted() {
    assertEquals(List.of(new SetWeight(0x102, "10.0.1.9", 0)),
        IpvsDiff.changes(Map.of(), Map.of(0x102, Map.of("10.0.1.9", SERVING)), null));
    assertEquals(List.of(new DeleteDestination(0x102, "10.0.1.9"), new DeleteService(0x102)),
        IpvsDiff.changes(Map.of(), Map.of(0x102, Map.of("10.0.1.9", DRAINED_IDLE)), null));
  }

  @Test
  void marksOutsideTheScopeAreLeftAlone() {
    assertEquals(List.of(), IpvsDiff.changes(Map.of(0x101, List.of("10.0.1.3")),
        Map.of(0x101, Map.of("10.0.1.3", SERVING), 0x777, Map.of("10.0.9.9", SERVING)), Set.of(0x101)));
  }
}
