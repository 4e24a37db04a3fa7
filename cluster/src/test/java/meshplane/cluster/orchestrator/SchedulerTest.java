package meshplane.cluster.orchestrator;

import static meshplane.cluster.orchestrator.Fixtures.spec;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import meshplane.cluster.model.Availability;
import meshplane.cluster.model.ClusterState;
import meshplane.cluster.model.NodeStatus;
import meshplane.cluster.model.Service;
import meshplane.cluster.model.ServiceSpec;
import meshplane.cluster.model.Task;
import meshplane.cluster.model.TaskState;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("unit")
class SchedulerTest {
  private final Fixtures.Sim sim = new Fixtures.Sim(Fixtures.cluster(3));

  private static Task task(String id, Service svc, String nodeId, TaskState desired, TaskState state) {
    return new Task(id, svc.id(), svc.name(), svc.version(), 1, nodeId, desired, state, null, null, List.of(), 0, 0, 0);
  }

  /** The simulated cluster's state with exactly {@code tasks} as its tasks (the working set a round would hold). */
  private ClusterState withTasks(List<Task> tasks) {
    Map<String, Task> m = new java.util.TreeMap<>();
    tasks.forEach(t -> m.put(t.id(), t));
    return sim.state.withTasks(m);
  }

  /** Places {@code n} tasks one after another, each counted for the next, and returns the hostnames. */
  private List<String> placeMany(Service svc, int n, List<Task> existing) {
    List<Task> tasks = new ArrayList<>(existing);
    List<String> hosts = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      Placement p = Scheduler.place(withTasks(tasks), svc.id(), svc.spec());
      if (!p.placed()) {
        hosts.add(p.reason());
        continue;
      }
      hosts.add(p.node().hostname());
      tasks.add(task("x" + i, svc, p.node().id(), TaskState.RUNNING, TaskState.ASSIGNED));
    }
    return hosts;
  }

  @Test
  void spreadsOnePerNodeThenByTotalThenHostname() {
    Service web = sim.create(spec("web", 3));
    assertEquals(List.of("node1", "node2", "node3", "node1"), placeMany(web, 4, List.of()));
    Service api = sim.create(spec("api", 1));
    List<Task> busy = List.of(task("a", web, sim.node("node1").id(), TaskState.RUNNING, TaskState.RUNNING),
        task("b", web, sim.node("node2").id(), TaskState.RUNNING, TaskState.RUNNING),
        task("c", web, sim.node("node1").id(), TaskState.SHUTDOWN, TaskState.RUNNING),
        task("d", web, sim.node("node3").id(), TaskState.RUNNING, TaskState.FAILED));
    assertEquals(List.of("node3", "node1", "node2"), placeMany(api, 3, busy),
        "node3 first: fewest live tasks in all (desired SHUTDOWN and ended tasks do not count); then fewest of this service");
  }

  @Test
  void onlyReadyActiveNodesTakeNewTasks() {
    sim.putNode(sim.node("node1").withAvailability(Availability.DRAIN));
    sim.putNode(sim.node("node2").withAvailability(Availability.PAUSE));
    Service web = sim.create(spec("web", 2));
    assertEquals(List.of("node3", "node3"), placeMany(web, 2, List.of()));
    sim.putNode(sim.node("node3").withStatus(NodeStatus.DOWN));
    Placement p = Scheduler.place(withTasks(List.of()), web.id(), web.spec());
    assertNull(p.node());
    assertEquals("no suitable node (3 nodes not available for new tasks)", p.reason());
  }

  @Test
  void constraintsFilter() {
    sim.putNode(sim.node("node2").withLabels(Map.of("zone", "b")));
    Service z = sim.create(Fixtures.withConstraints(spec("z", 2), "node.labels.zone==b"));
    assertEquals(List.of("node2", "node2"), placeMany(z, 2, List.of()));
    Service m = sim.create(Fixtures.withConstraints(spec("m", 2), "node.role==manager"));
    assertEquals(List.of("node1"), placeMany(m, 1, List.of()));
    Service w = sim.create(Fixtures.withConstraints(spec("w", 2), "node.role!=manager", "node.hostname!=node2"));
    assertEquals(List.of("node3"), placeMany(w, 1, List.of()));
    Service none = sim.create(Fixtures.withConstraints(spec("none", 1), "node.labels.zone==c"));
    sim.putNode(sim.node("node3").withAvailability(Availability.DRAIN));
    assertEquals(List.of("no suitable node (1 node not available for new tasks; 2 nodes do not satisfy the constraints)"),
        placeMany(none, 1, List.of()));
  }

  @Test
  void reservationsCountLiveTasksIncludingThosePlacedThisRound() {
    // each node offers 4000 millicores and 8 GiB
    Service big = sim.create(Fixtures.withReservations(spec("big", 4), 3000, 1L << 30));
    List<String> hosts = placeMany(big, 4, List.of());
    assertEquals(List.of("node1", "node2", "node3", "no suitable node (3 nodes have insufficient cpu)"), hosts);
    Service mem = sim.create(Fixtures.withReservations(spec("mem", 1), 0, 5L << 30));
    List<Task> existing = List.of(task("a", mem, sim.node("node1").id(), TaskState.RUNNING, TaskState.RUNNING),
        task("b", mem, sim.node("node2").id(), TaskState.RUNNING, TaskState.STARTING),
        task("c", mem, sim.node("node3").id(), TaskState.SHUTDOWN, TaskState.RUNNING),
        task("d", mem, sim.node("node3").id(), TaskState.RUNNING, TaskState.COMPLETE));
    assertEquals(List.of("node3", "no suitable node (3 nodes have insufficient memory)"), placeMany(mem, 2, existing));
  }

  @Test
  void eligibleAppliesEveryFilter() {
    ServiceSpec s = Fixtures.withReservations(Fixtures.withConstraints(Fixtures.global("g"), "node.role==worker"), 0, 8L << 30);
    ClusterState st = withTasks(List.of());
    assertFalse(Scheduler.eligible(st, s, sim.node("node1")));
    assertTrue(Scheduler.eligible(st, s, sim.node("node2")));
    assertFalse(Scheduler.eligible(st, s, sim.node("node2").withAvailability(Availability.PAUSE)));
    assertFalse(Scheduler.eligible(st, s, sim.node("node2").withStatus(NodeStatus.DOWN)));
  }

  @Test
  void noNodesAtAll() {
    ClusterState empty = sim.state.withNodes(Map.of());
    assertEquals("no suitable node (the swarm has no nodes)", Scheduler.place(empty, "x", spec("x", 1)).reason());
  }
}
