package meshplane.cluster.model;

import meshplane.dataplane.EndpointMode;
import meshplane.dataplane.PublishMode;
import meshplane.dataplane.Protocol;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Applying a command shares what it did not change; the queries answer from the indexes. */
@Tag("unit")
class ClusterStateTest {
  private static Node node(String id, String hostname) {
    return new Node(id, hostname, NodeRole.WORKER, Availability.ACTIVE, Map.of(), "198.18.0.9", 2377, 2378, NodeStatus.READY,
        1000, 1L << 30, 0);
  }

  private static Service service(String id, String name, int mark, int port) {
    ServiceSpec spec = new ServiceSpec(name, null, 1, List.of(), port == 0 ? List.of() : List.of(new PortConfig(Protocol.TCP, port, 80, PublishMode.INGRESS)),
        null, List.of(), 0, 0, Map.of(), "sleep", List.of(), null, null);
    return new Service(id, spec, 1, mark, Map.of(), 0, 0);
  }

  private static Task task(String id, String serviceId, String nodeId) {
    return new Task(id, serviceId, "svc", 1, 1, nodeId, TaskState.RUNNING, nodeId == null ? TaskState.PENDING : TaskState.ASSIGNED,
        null, null, List.of(), 0, 0, 0);
  }

  private static ClusterState state() {
    ClusterState s = ClusterState.EMPTY.apply(new Command.Init("c", new JoinTokens("w", "m"), null, null, node("n1", "one"),
        new Network("ingress", "ingress", 4096, "10.255.0.0/16", "10.255.0.1", true, Map.of(), 0)), 1);
    s = s.apply(new Command.PutNode(node("n2", "two")), 2);
    s = s.apply(new Command.PutService(service("s1", "web", 256, 8080)), 3);
    s = s.apply(new Command.PutService(service("s2", "api", 257, 0)), 4);
    return s.apply(new Command.PutTasks(List.of(task("t1", "s1", "n1"), task("t2", "s1", "n2"), task("t3", "s2", "n2"),
        task("t4", "s2", null)), List.of()), 5);
  }

  @Test
  void aCommandSharesEveryTableItDoesNotChange() {
    ClusterState s = state();
    ClusterState next = s.apply(new Command.PutService(service("s3", "db", 258, 0)), 6);
    assertSame(s.tasks(), next.tasks());
    assertSame(s.nodes(), next.nodes());
    assertSame(s.networks(), next.networks());
    ClusterState reported = next.apply(new Command.ReportTasks("n1", List.of(new TaskReport("t1", TaskState.RUNNING, "up", null, 1))), 7);
    assertSame(next.services(), reported.services());
    assertSame(next.tasks().get("t2"), reported.tasks().get("t2"), "unchanged tasks are the same objects");
    ClusterState nothing = reported.apply(new Command.ReportTasks("n2", List.of(new TaskReport("t1", TaskState.RUNNING, "not mine", null, 1))), 8);
    assertSame(reported.tasks(), nothing.tasks(), "a report that moves nothing changes nothing");
  }

  @Test
  void queriesAnswerFromTheIndexesAndFollowChanges() {
    ClusterState s = state();
    assertEquals(List.of("t1", "t2"), s.tasksOf("s1").stream().map(Task::id).toList());
    assertEquals(List.of("t2", "t3"), s.tasksOn("n2").stream().map(Task::id).toList());
    assertEquals(List.of("t4"), s.unassignedTasks().stream().map(Task::id).toList());
    assertEquals("s1", s.service("web").orElseThrow().id());
    assertEquals("s2", s.serviceWithMark(257).orElseThrow().id());
    assertEquals(List.of("s1"), s.servicesPublishing(8080, Protocol.TCP).stream().map(Service::id).toList());
    assertEquals("n2", s.node("two").orElseThrow().id());
    assertEquals("ingress", s.network("ingress").orElseThrow().id());
    ClusterState moved = s.apply(new Command.PutTasks(List.of(task("t2", "s1", "n1")), List.of("t3")), 6)
        .apply(new Command.RemoveService("s1"), 7);
    assertEquals(List.of("t1", "t2"), moved.tasksOn("n1").stream().map(Task::id).toList());
    assertEquals(List.of(), moved.tasksOn("n2"));
    assertTrue(moved.service("web").isEmpty());
    assertTrue(moved.servicesPublishing(8080, Protocol.TCP).isEmpty(), "its port is free again");
    assertEquals(List.of("t1", "t2"), moved.tasksOf("s1").stream().map(Task::id).toList(), "its tasks stay for the orchestrator");
  }

  @Test
  void aStateBuiltFromPlainMapsGetsTheSameIndexes() {
    ClusterState s = state();
    ClusterState plain = new ClusterState(s.clusterId(), s.index(), s.tokens(), s.pki(), s.settings(), new java.util.HashMap<>(s.nodes()),
        new java.util.HashMap<>(s.networks()), new java.util.HashMap<>(s.services()), new java.util.HashMap<>(s.tasks()));
    assertEquals(s, plain);
    assertEquals(s.tasksOn("n2"), plain.tasksOn("n2"));
    assertEquals(List.copyOf(s.tasks().keySet()), List.copyOf(plain.tasks().keySet()), "sorted by id");
  }

  @Test
  void theLowestFreeMarkIsFoundPastADenseRunAndInAGap() {
    ClusterState s = state(); // marks 256, 257
    assertEquals(258, s.lowestFreeMark(256));
    assertEquals(300, s.lowestFreeMark(300));
    for (int m = 258; m < 1300; m++) {
      s = s.putService(service("x" + m, "x" + m, m, 0));
    }
    assertEquals(1300, s.lowestFreeMark(256));
    s = s.removeService("x1000");
    assertEquals(1000, s.lowestFreeMark(256), "the gap first");
    assertEquals(1300, s.lowestFreeMark(1001));
    assertEquals("x999", s.serviceWithMark(999).orElseThrow().id());
  }
}
