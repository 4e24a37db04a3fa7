package meshplane.cluster.orchestrator;

import meshplane.dataplane.EndpointMode;
import static meshplane.cluster.orchestrator.Fixtures.spec;
import static meshplane.cluster.orchestrator.Fixtures.tcp;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import meshplane.cluster.model.Attachment;
import meshplane.cluster.model.Availability;
import meshplane.cluster.model.Command;
import meshplane.cluster.model.Network;
import meshplane.cluster.model.NodeStatus;
import meshplane.cluster.model.RestartPolicy;
import meshplane.cluster.model.Service;
import meshplane.cluster.model.Subnets;
import meshplane.cluster.model.Task;
import meshplane.cluster.model.TaskState;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Orchestration scenarios run as the leader runs them: plan, apply, the agents report, again until nothing changes. */
@Tag("unit")
class OrchestratorTest {
  final Fixtures.Sim sim = newSim(Fixtures.cluster(3));

  /** Every plan a full pass; {@link DirtyOrchestratorTest} runs the same scenarios planning only what changed. */
  Fixtures.Sim newSim(meshplane.cluster.model.ClusterState s) {
    return new Fixtures.Sim(s);
  }

  private static List<Integer> slots(List<Task> ts) {
    return ts.stream().map(Task::slot).sorted().toList();
  }

  @Test
  void everyNodeGetsAnLbAddressOnEveryNetworkThenNothingChanges() {
    sim.network("web");
    List<Command> first = sim.plan();
    assertEquals(1, first.size(), first.toString());
    Network ingress = sim.state.networks().get("ingress");
    assertEquals(Set.of("10.255.0.2", "10.255.0.3", "10.255.0.4"), new HashSet<>(ingress.lbAddresses().values()));
    assertEquals(3, sim.state.networks().get("web").lbAddresses().size(), "made with the network");
    sim.putNode(Fixtures.node("node4", 4));
    sim.plan();
    assertEquals("10.0.0.5", sim.state.networks().get("web").lbAddresses().get(sim.node("node4").id()));
    assertEquals(List.of(), sim.plan(), "converged: no commands");
  }

  @Test
  void createSpreadsReplicasWithAttachmentsAndConverges() {
    sim.network("web");
    sim.network("back");
    Service svc = sim.create(Fixtures.withPorts(spec("app", 3, "back", "web"), tcp(8080, 80)));
    sim.converge();
    assertEquals(Map.of("node1", 1, "node2", 1, "node3", 1), sim.runningPerNode("app"));
    assertEquals(List.of(1, 2, 3), slots(sim.running("app")));
    Set<String> ips = new HashSet<>();
    Set<String> prefixes = new HashSet<>();
    for (Task t : sim.running("app")) {
      assertEquals(List.of("ingress", "n4098".equals(t.attachments().get(1).network()) ? "n4098" : "back", "web"),
          t.attachments().stream().map(Attachment::network).toList(), "ingress first, then the spec's order");
      for (Attachment a : t.attachments()) {
        assertTrue(ips.add(a.ip()), a.ip());
        assertEquals(Subnets.macOf(a.ip()), a.mac());
        assertNotEquals(svc.vips().get(a.network()), a.ip());
        assertTrue(!sim.state.networks().get(a.network()).lbAddresses().containsValue(a.ip()), a.ip());
      }
      assertTrue(prefixes.add(t.id().substring(0, 9)));
      assertEquals("app." + t.slot() + "." + t.id(), t.name());
      assertEquals(0, t.attempt());
    }
    assertEquals(List.of(), Orchestrator.plan(sim.state, sim.now, sim.ids));
    assertEquals(3, sim.state.tasks().size());
  }

  @Test
  void scaleUpAndDown() {
    sim.create(spec("app", 2));
    sim.converge();
    sim.update("app", sim.state.service("app").orElseThrow().spec().withReplicas(5));
    sim.converge();
    assertEquals(List.of(1, 2, 3, 4, 5), slots(sim.running("app")));
    assertEquals(Map.of("node1", 2, "node2", 2, "node3", 1), sim.runningPerNode("app"));
    sim.update("app", sim.state.service("app").orElseThrow().spec().withReplicas(2));
    sim.converge();
    assertEquals(List.of(1, 2), slots(sim.running("app")));
    assertEquals(2, sim.tasks("app").size(), "the scaled-down tasks are removed once stopped");
  }

  @Test
  void aDownNodesTasksAreOrphanedAndRescheduled() {
    sim.create(spec("app", 3));
    sim.converge();
    Task onNode2 = sim.running("app").stream().filter(t -> t.nodeId().equals(sim.node("node2").id())).findFirst().orElseThrow();
    sim.putNode(sim.node("node2").withStatus(NodeStatus.DOWN));
    sim.converge();
    assertEquals(Map.of("node1", 2, "node3", 1), sim.runningPerNode("app"));
    Task orphan = sim.state.tasks().get(onNode2.id());
    assertEquals(TaskState.ORPHANED, orphan.state(), "kept as the slot's history");
    assertEquals(TaskState.SHUTDOWN, orphan.desired());
    assertEquals(onNode2.slot(), sim.running("app").stream().filter(t -> t.nodeId().equals(sim.node("node1").id()))
        .mapToInt(Task::slot).max().orElseThrow(), "node1 has the slot now (hostname breaks the tie)");
    sim.apply(new Command.RemoveNode(sim.node("node2").id()));
    sim.converge();
    assertNull(sim.state.tasks().get(onNode2.id()), "removed with its node");
  }

  @Test
  void drainMovesTasksAndPauseKeepsThem() {
    sim.create(spec("app", 3));
    sim.converge();
    sim.putNode(sim.node("node2").withAvailability(Availability.PAUSE));
    sim.converge();
    assertEquals(Map.of("node1", 1, "node2", 1, "node3", 1), sim.runningPerNode("app"));
    sim.putNode(sim.node("node3").withAvailability(Availability.DRAIN));
    sim.converge();
    assertEquals(Map.of("node1", 2, "node2", 1), sim.runningPerNode("app"));
    Task drained = sim.tasks("app").stream().filter(t -> t.nodeId().equals(sim.node("node3").id())).findFirst().orElseThrow();
    assertEquals(TaskState.SHUTDOWN, drained.state());
    assertEquals(TaskState.SHUTDOWN, drained.desired());
  }

  private Task failOne(String service, TaskState how) {
    Task t = sim.running(service).get(0);
    sim.report(t, how, how == TaskState.COMPLETE ? 0 : 1);
    return t;
  }

  @Test
  void restartWaitsForTheDelayAndStopsAtMaxAttempts() {
    sim.create(Fixtures.withRestart(spec("app", 1), new RestartPolicy("any", 10_000, 2)));
    sim.converge();
    Task first = failOne("app", TaskState.FAILED);
    for (int i = 0; i < 9; i++) {
      sim.converge();
    }
    assertEquals(List.of(), sim.running("app"), "not before the delay");
    assertEquals(1, sim.tasks("app").size());
    sim.now += 1000;
    sim.converge();
    Task second = sim.running("app").get(0);
    assertEquals(1, second.attempt());
    assertEquals(first.slot(), second.slot());
    assertEquals(TaskState.SHUTDOWN, sim.state.tasks().get(first.id()).desired());
    failOne("app", TaskState.FAILED);
    sim.now += 10_000;
    sim.converge();
    assertEquals(2, sim.running("app").get(0).attempt());
    failOne("app", TaskState.FAILED);
    sim.now += 10_000;
    sim.converge();
    assertEquals(List.of(), sim.running("app"), "2 replacements, then no more");
    assertEquals(3, sim.tasks("app").size(), "all three kept as history");
    assertEquals(List.of(), Orchestrator.plan(sim.state, sim.now + 1_000_000, sim.ids));
  }

  @Test
  void onFailureRestartsFailuresNotCompletionsAndNoneNeither() {
    sim.create(Fixtures.withRestart(spec("onf", 1), new RestartPolicy("on-failure", 0, 0)));
    sim.create(Fixtures.withRestart(spec("any", 1), new RestartPolicy("any", 0, 0)));
    sim.create(Fixtures.withRestart(spec("none", 1), new RestartPolicy("none", 0, 0)));
    sim.converge();
    failOne("onf", TaskState.REJECTED);
    failOne("any", TaskState.COMPLETE);
    failOne("none", TaskState.FAILED);
    sim.converge();
    assertEquals(1, sim.running("onf").size());
    assertEquals(1, sim.running("any").size());
    assertEquals(0, sim.running("none").size());
    failOne("onf", TaskState.COMPLETE);
    sim.converge();
    assertEquals(0, sim.running("onf").size());
    assertEquals(List.of(), sim.plan());
  }

  @Test
  void rollingUpdateReplacesOneTaskAtATimeStopFirst() {
    sim.create(spec("app", 3));
    sim.converge();
    Service v2 = sim.update("app", Fixtures.withImage(spec("app", 3), "busybox:2"));
    assertEquals(2, v2.version());
    int maxNew = 0;
    for (int round = 0; round < 80; round++) {
      sim.plan();
      List<Task> live = sim.tasks("app").stream().filter(t -> t.desired() == TaskState.RUNNING).toList();
      long startingNew = live.stream().filter(t -> t.serviceVersion() == 2 && t.state() != TaskState.RUNNING).count();
      long stoppingOld = sim.tasks("app").stream()
          .filter(t -> t.serviceVersion() == 1 && t.desired() == TaskState.SHUTDOWN && !t.state().isTerminal()).count();
      assertTrue(startingNew + stoppingOld <= 1, "one at a time: " + sim.tasks("app"));
      assertTrue(stoppingOld == 0 || startingNew == 0, "stop-first: the new task only once the old one stopped");
      maxNew = Math.max(maxNew, (int) (startingNew + stoppingOld));
      if (round % 2 == 1) { // the leader plans more often than the agents report
        sim.agents();
      }
      sim.now += 1000;
    }
    assertEquals(1, maxNew);
    assertEquals(3, sim.running("app").size());
    assertTrue(sim.running("app").stream().allMatch(t -> t.serviceVersion() == 2));
    assertEquals(List.of(1, 2, 3), slots(sim.running("app")));
    assertEquals(List.of(), sim.plan());
  }

  @Test
  void removedServiceTasksAreShutDownThenRemoved() {
    Service svc = sim.create(spec("app", 3));
    sim.converge();
    sim.apply(new Command.RemoveService(svc.id()));
    sim.plan();
    assertTrue(sim.state.tasksOf(svc.id()).stream().allMatch(t -> t.desired() == TaskState.SHUTDOWN));
    sim.converge();
    assertEquals(List.of(), sim.state.tasksOf(svc.id()));
  }

  @Test
  void historyKeepsFiveEndedTasksPerSlot() {
    sim.create(Fixtures.withRestart(spec("app", 1), new RestartPolicy("any", 0, 0)));
    sim.converge();
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < 8; i++) {
      seen.add(failOne("app", TaskState.FAILED).id());
      sim.converge();
      assertEquals(Math.min(i + 1, 5) + 1, sim.tasks("app").size());
    }
    List<Task> kept = sim.tasks("app");
    assertEquals(8, kept.stream().mapToInt(Task::attempt).max().orElseThrow());
    assertEquals(Set.of(3, 4, 5, 6, 7), kept.stream().filter(t -> t.state().isTerminal()).map(Task::attempt)
        .collect(java.util.stream.Collectors.toSet()), "the newest ended ones stay");
  }

  @Test
  void pendingWhenNothingFitsThenPlacedOnceANodeJoins() {
    sim.create(Fixtures.withConstraints(spec("app", 2), "node.labels.gpu==yes"));
    sim.converge();
    List<Task> pending = sim.tasks("app");
    assertEquals(2, pending.size());
    for (Task t : pending) {
      assertEquals(TaskState.PENDING, t.state());
      assertNull(t.nodeId());
      assertEquals("no suitable node (3 nodes do not satisfy the constraints)", t.message());
    }
    assertEquals(List.of(), sim.plan(), "retried but nothing changes while nothing fits");
    sim.putNode(Fixtures.node("node4", 4).withLabels(Map.of("gpu", "yes")));
    sim.converge();
    assertEquals(Map.of("node4", 2), sim.runningPerNode("app"));
    assertEquals(pending.stream().map(Task::id).sorted().toList(), sim.running("app").stream().map(Task::id).sorted().toList(),
        "the same tasks, placed");
    sim.update("app", sim.state.service("app").orElseThrow().spec().withReplicas(3));
    sim.putNode(sim.node("node4").withStatus(NodeStatus.DOWN));
    sim.converge();
    assertTrue(sim.tasks("app").stream().filter(t -> t.desired() == TaskState.RUNNING)
        .allMatch(t -> t.state() == TaskState.PENDING && t.nodeId() == null), sim.tasks("app").toString());
    sim.update("app", sim.state.service("app").orElseThrow().spec().withReplicas(0));
    sim.converge();
    assertTrue(sim.tasks("app").stream().noneMatch(t -> t.desired() == TaskState.RUNNING));
  }

  @Test
  void globalRunsOnePerEligibleNode() {
    sim.putNode(sim.node("node3").withLabels(Map.of("edge", "no")));
    sim.create(Fixtures.withConstraints(Fixtures.global("agent"), "node.labels.edge!=no"));
    sim.converge();
    assertEquals(Map.of("node1", 1, "node2", 1), sim.runningPerNode("agent"));
    Task t = sim.running("agent").get(0);
    assertEquals(0, t.slot());
    assertEquals("agent." + t.nodeId() + "." + t.id(), t.name());
    sim.putNode(Fixtures.node("node4", 4));
    sim.putNode(sim.node("node2").withAvailability(Availability.PAUSE));
    sim.converge();
    assertEquals(Map.of("node1", 1, "node2", 1, "node4", 1), sim.runningPerNode("agent"), "pause keeps its task");
    sim.putNode(sim.node("node2").withAvailability(Availability.DRAIN));
    sim.putNode(sim.node("node1").withLabels(Map.of("edge", "no")));
    sim.converge();
    assertEquals(Map.of("node4", 1), sim.runningPerNode("agent"));
    sim.update("agent", Fixtures.withImage(sim.state.service("agent").orElseThrow().spec(), "v2"));
    sim.converge();
    assertEquals(2L, sim.running("agent").get(0).serviceVersion());
    assertEquals(List.of(), sim.plan());
  }
}
