package meshplane.cluster.orchestrator;

import meshplane.dataplane.EndpointMode;
import static meshplane.cluster.orchestrator.Fixtures.spec;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import meshplane.cluster.model.ClusterState;
import meshplane.cluster.model.Command;
import meshplane.cluster.model.NodeStatus;
import meshplane.cluster.model.RestartPolicy;
import meshplane.cluster.model.Service;
import meshplane.cluster.model.Task;
import meshplane.cluster.model.TaskState;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Planning only what changed: every scenario of {@link OrchestratorTest} again, each plan looking
 * only at what the commands since the previous one touched (as the leader's loop between its full
 * passes), and what a dirty mark does and does not bring into a plan.
 */
@Tag("unit")
class DirtyOrchestratorTest extends OrchestratorTest {

  @Override
  Fixtures.Sim newSim(ClusterState s) {
    return new Fixtures.Sim(s, true);
  }

  /** The services whose tasks {@code plan} puts or removes. */
  private Set<String> servicesIn(Plan plan) {
    return plan.commands().stream().filter(c -> c instanceof Command.PutTasks).map(c -> (Command.PutTasks) c)
        .flatMap(p -> java.util.stream.Stream.concat(p.put().stream().map(Task::serviceId),
            p.remove().stream().map(id -> sim.state.tasks().get(id).serviceId())))
        .map(id -> sim.state.services().containsKey(id) ? sim.state.services().get(id).name() : id)
        .collect(Collectors.toSet());
  }

  @Test
  void anUntouchedServiceIsNotReplanned() {
    Service a = sim.create(spec("a", 1));
    Service b = sim.create(spec("b", 1));
    sim.converge();
    // b wants 3 replicas, but the change is made behind the marks' back: only a full pass sees it
    sim.state = sim.state.putService(new Service(b.id(), b.spec().withReplicas(3), b.version(), b.mark(), b.vips(), 0, 0));
    assertEquals(Set.of(), servicesIn(Orchestrator.plan(sim.state, Dirty.services(Set.of(a.id())), sim.now, sim.ids)),
        "a has converged and b was not looked at");
    assertEquals(List.of(), Orchestrator.plan(sim.state, Dirty.NONE, sim.now, sim.ids).commands());
    assertEquals(Set.of("b"), servicesIn(Orchestrator.plan(sim.state, Dirty.services(Set.of(b.id())), sim.now, sim.ids)));
    assertEquals(Set.of("b"), servicesIn(Orchestrator.plan(sim.state, Dirty.ALL, sim.now, sim.ids)), "the full pass finds it");
  }

  @Test
  void aCommandMarksWhatItTouched() {
    Service a = sim.create(spec("a", 1));
    sim.converge();
    Task t = sim.running("a").get(0);
    ClusterState s = sim.state;
    assertEquals(Dirty.services(Set.of(a.id())), Dirty.of(new Command.PutService(a), s));
    assertEquals(Dirty.services(Set.of(a.id())), Dirty.of(new Command.RemoveService(a.id()), s));
    assertEquals(Dirty.services(Set.of(a.id())), Dirty.of(new Command.PutTasks(List.of(t), List.of()), s));
    assertEquals(new Dirty(false, Set.of(), Set.of(t.nodeId()), true),
        Dirty.of(new Command.PutNode(s.nodes().get(t.nodeId())), s));
    assertEquals(new Dirty(false, Set.of(a.id()), Set.of(), false), Dirty.of(new Command.ReportTasks(t.nodeId(),
        List.of(new meshplane.cluster.model.TaskReport(t.id(), TaskState.RUNNING, "started", null, 1L))), s));
    assertEquals(new Dirty(false, Set.of(a.id()), Set.of(), true), Dirty.of(new Command.ReportTasks(t.nodeId(),
        List.of(new meshplane.cluster.model.TaskReport(t.id(), TaskState.FAILED, "exit 1", 1, 1L))), s),
        "an ended task frees its node: placement may change");
    assertEquals(Dirty.NONE, Dirty.of(new Command.RemoveNetwork("web"), s));
    assertTrue(Dirty.of(new Command.Init("c", null, null, null, s.nodes().get(t.nodeId()), NetworkAllocator.ingress(0)), s).all());
  }

  @Test
  void aNodeGoingDownReplansTheServicesWithTasksOnItAndOnlyThose() {
    sim.create(spec("a", 1));
    sim.create(spec("b", 1));
    sim.create(spec("c", 1));
    sim.converge();
    assertEquals(Map.of("node1", 1), sim.runningPerNode("a"));
    assertEquals(Map.of("node2", 1), sim.runningPerNode("b"), "spread over the nodes");
    Task onNode2 = sim.running("b").get(0);
    Command down = new Command.PutNode(sim.node("node2").withStatus(NodeStatus.DOWN));
    ClusterState after = sim.state.apply(down, sim.state.index() + 1);
    Plan plan = Orchestrator.plan(after, Dirty.of(down, after), sim.now, sim.ids);
    sim.state = after;
    assertEquals(Set.of("b"), servicesIn(plan), plan.toString());
    Command.PutTasks put = (Command.PutTasks) plan.commands().get(plan.commands().size() - 1);
    Task orphan = put.put().stream().filter(t -> t.id().equals(onNode2.id())).findFirst().orElseThrow();
    assertEquals(TaskState.ORPHANED, orphan.state());
    assertEquals(TaskState.SHUTDOWN, orphan.desired());
    Task replacement = put.put().stream().filter(t -> !t.id().equals(onNode2.id())).findFirst().orElseThrow();
    assertEquals(onNode2.slot(), replacement.slot());
    assertTrue(!replacement.nodeId().equals(onNode2.nodeId()), "placed on a node that is up: " + replacement);
  }

  @Test
  void aRemovedServicesTasksShutDownAndOthersAreLeftAlone() {
    Service a = sim.create(spec("a", 2));
    sim.create(spec("b", 2));
    sim.converge();
    Command rm = new Command.RemoveService(a.id());
    ClusterState after = sim.state.apply(rm, sim.state.index() + 1);
    Plan plan = Orchestrator.plan(after, Dirty.of(rm, after), sim.now, sim.ids);
    sim.state = after;
    assertEquals(Set.of(a.id()), servicesIn(plan), "named by id: the service is gone");
    Command.PutTasks put = (Command.PutTasks) plan.commands().get(0);
    assertEquals(2, put.put().size());
    assertTrue(put.put().stream().allMatch(t -> t.desired() == TaskState.SHUTDOWN && t.serviceId().equals(a.id())), put.toString());
  }

  @Test
  void aRestartWaitingForItsDelayIsRecheckedWithoutAnyCommand() {
    Service a = sim.create(Fixtures.withRestart(spec("a", 1), new RestartPolicy("any", 5_000, 0)));
    sim.converge();
    Task t = sim.running("a").get(0);
    sim.report(t, TaskState.FAILED, 1);
    Plan waiting = Orchestrator.plan(sim.state, Dirty.services(Set.of(a.id())), sim.now, sim.ids);
    assertEquals(List.of(), waiting.commands());
    assertEquals(Set.of(a.id()), waiting.recheck(), "nothing in the state changes when the delay is over");
    Plan due = Orchestrator.plan(sim.state, Dirty.services(waiting.recheck()), sim.now + 5_000, sim.ids);
    assertEquals(Set.of("a"), servicesIn(due));
    assertEquals(Set.of(), due.recheck());
  }

  @Test
  void theSafetyNetsDriftMarksOnlyWhatAFullPassWouldChange() {
    Service a = sim.create(spec("a", 1));
    Service b = sim.create(spec("b", 1));
    sim.converge();
    assertEquals(Dirty.NONE, Orchestrator.drift(sim.state, sim.now, sim.ids), "converged: nothing");
    sim.state = sim.state.putService(new Service(b.id(), b.spec().withReplicas(2), b.version(), b.mark(), b.vips(), 0, 0));
    assertEquals(Dirty.services(Set.of(b.id())), Orchestrator.drift(sim.state, sim.now, sim.ids));
    sim.state = sim.state.putNode(Fixtures.node("node4", 4));
    assertTrue(Orchestrator.drift(sim.state, sim.now, sim.ids).all(), "a node without lb addresses: everything");
    assertEquals(1, sim.tasks("a").size(), "drift writes nothing");
  }
}
