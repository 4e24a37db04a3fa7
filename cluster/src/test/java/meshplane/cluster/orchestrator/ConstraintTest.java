package meshplane.cluster.orchestrator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import meshplane.cluster.model.InvalidRequestException;
import meshplane.cluster.model.Node;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("unit")
class ConstraintTest {
  private final Node manager = Fixtures.node("node1", 1).withLabels(Map.of("zone", "a", "ssd", "true"));
  private final Node worker = Fixtures.node("node2", 2);

  @Test
  void parsesEveryKey() {
    assertEquals(new Constraint("node.labels.zone", true, "a"), Constraint.parse("node.labels.zone==a"));
    assertEquals(new Constraint("node.role", false, "manager"), Constraint.parse(" node.role != manager "));
    assertEquals(new Constraint("node.hostname", true, "node2"), Constraint.parse("node.hostname == node2"));
    assertEquals("node.id==abc", Constraint.parse("node.id==abc").toString());
  }

  @Test
  void matchesNodes() {
    assertTrue(Constraint.parse("node.labels.zone==a").matches(manager));
    assertFalse(Constraint.parse("node.labels.zone==a").matches(worker), "a missing label equals nothing");
    assertTrue(Constraint.parse("node.labels.zone!=a").matches(worker));
    assertFalse(Constraint.parse("node.labels.zone!=a").matches(manager));
    assertTrue(Constraint.parse("node.role==manager").matches(manager));
    assertTrue(Constraint.parse("node.role==worker").matches(worker));
    assertFalse(Constraint.parse("node.role==worker").matches(manager));
    assertTrue(Constraint.parse("node.hostname!=node1").matches(worker));
    assertTrue(Constraint.parse("node.id==" + worker.id()).matches(worker));
    assertFalse(Constraint.parse("node.id==" + worker.id()).matches(manager));
  }

  @Test
  void badSyntaxIsRefusedNamingTheField() {
    for (String bad : new String[] {"", "node.role", "node.role=manager", "node.role==boss", "node.labels.==a",
        "node.platform.os==linux", "node.hostname==", "==x"}) {
      InvalidRequestException e = assertThrows(InvalidRequestException.class, () -> Constraint.parse(bad, "constraints[1]"), bad);
      assertEquals("constraints[1]", e.field());
    }
  }
}
