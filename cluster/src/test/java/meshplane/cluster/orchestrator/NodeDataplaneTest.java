package meshplane.cluster.orchestrator;

import static meshplane.cluster.orchestrator.Fixtures.spec;
import static meshplane.cluster.orchestrator.Fixtures.tcp;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import meshplane.cluster.model.Attachment;
import meshplane.cluster.model.Command;
import meshplane.cluster.model.Node;
import meshplane.cluster.model.NodeStatus;
import meshplane.cluster.model.Service;
import meshplane.cluster.model.Subnets;
import meshplane.cluster.model.Task;
import meshplane.cluster.model.TaskState;
import meshplane.mesh.state.BackendSpec;
import meshplane.mesh.state.DataplaneState;
import meshplane.mesh.state.EndpointSpec;
import meshplane.mesh.state.NetworkSpec;
import meshplane.mesh.state.PeerSpec;
import meshplane.mesh.state.PortSpec;
import meshplane.mesh.state.ServiceSpec;
import meshplane.mesh.state.StateValidator;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("unit")
class NodeDataplaneTest {
  private final Fixtures.Sim sim = new Fixtures.Sim(Fixtures.cluster(3));

  /** Builds every node's state, checks each passes the data plane's validator, and returns node1's. */
  private DataplaneState everyNode(String hostname) {
    DataplaneState wanted = null;
    for (Node n : sim.state.nodes().values()) {
      DataplaneState d = NodeDataplane.build(sim.state, n.id(), "mp-lab-" + n.hostname());
      StateValidator.check(d);
      if (n.hostname().equals(hostname)) {
        wanted = d;
      }
    }
    return wanted;
  }

  @Test
  void endpointIdsOfOneTaskNeverCollide() {
    List<Attachment> three = List.of(new Attachment("ingress", "10.255.0.5", "02:42:0a:ff:00:05"),
        new Attachment("web", "10.0.0.5", "02:42:0a:00:00:05"), new Attachment("back", "10.0.1.5", "02:42:0a:00:01:05"));
    Task plain = new Task("abcdefghijklmnopqrstuvwxy", "s", "app", 1, 1, "n", TaskState.RUNNING, TaskState.RUNNING, null, null,
        three, 0, 0, 0);
    assertEquals(List.of("abcdefghij", "abcdefghi1", "abcdefghi2"), List.of(0, 1, 2).stream().map(i -> NodeDataplane.endpointId(plain, i)).toList());
    // the 10th character is "1": "abcdefghi" + index 1 would be the short id again
    Task one = new Task("abcdefghi1klmnopqrstuvwxy", "s", "app", 1, 1, "n", TaskState.RUNNING, TaskState.RUNNING, null, null,
        three, 0, 0, 0);
    assertEquals(List.of("abcdefghi1", "abcdefghi2", "abcdefghi3"), List.of(0, 1, 2).stream().map(i -> NodeDataplane.endpointId(one, i)).toList());
    Task two = new Task("abcdefghi2klmnopqrstuvwxy", "s", "app", 1, 1, "n", TaskState.RUNNING, TaskState.RUNNING, null, null,
        three, 0, 0, 0);
    assertEquals(List.of("abcdefghi2", "abcdefghi1", "abcdefghi3"), List.of(0, 1, 2).stream().map(i -> NodeDataplane.endpointId(two, i)).toList());
    Set<String> ids = new HashSet<>();
    for (int i = 0; i <= 34; i++) {
      String id = NodeDataplane.endpointId(one, i);
      assertTrue(id.matches("[a-z0-9]{10}") && ids.add(id), "endpoint " + i + ": " + id + " unique and valid");
    }
  }

  @Test
  void anEmptyClusterHasTheIngressNetworkOnly() {
    sim.converge();
    DataplaneState d = everyNode("node1");
    Node n1 = sim.node("node1");
    assertEquals("node1", d.node());
    assertEquals("198.18.0.1", d.underlay());
    assertEquals(List.of(new NetworkSpec("ingress", 4096, "10.255.0.0/16", "10.255.0.1", true, "10.255.0.2")), d.networks());
    assertEquals(List.of(new PeerSpec("ingress", "10.255.0.3", "02:42:0a:ff:00:03", "198.18.0.2"),
        new PeerSpec("ingress", "10.255.0.4", "02:42:0a:ff:00:04", "198.18.0.3")), d.peers());
    assertEquals(n1.addr(), d.underlay());
  }

  @Test
  void multiNetworkTasksGiveEndpointsPeersVipsAndBackends() {
    sim.network("web");
    sim.network("back");
    sim.network("idle"); // used by no service and no task: not listed
    Service app = sim.create(Fixtures.withPorts(spec("app", 3, "web", "back"), tcp(8080, 80)));
    sim.create(Fixtures.withEndpointMode(spec("db", 2, "back"), "dnsrr"));
    sim.converge();
    DataplaneState d = everyNode("node1");
    assertEquals(List.of("ingress", "back", "web"), d.networks().stream().map(NetworkSpec::id).toList());
    Node n1 = sim.node("node1");
    for (NetworkSpec n : d.networks()) {
      assertEquals(sim.state.networks().get(n.id()).lbAddresses().get(n1.id()), n.lbAddress());
    }
    Task mine = sim.running("app").stream().filter(t -> t.nodeId().equals(n1.id())).findFirst().orElseThrow();
    List<EndpointSpec> appEndpoints = d.endpoints().stream().filter(e -> mine.name().equals(e.task())).toList();
    String ns = "mp-lab-node1-" + mine.shortId();
    List<Attachment> a = mine.attachments();
    assertEquals(List.of(
        new EndpointSpec(mine.id().substring(0, 10), "ingress", a.get(0).ip(), a.get(0).mac(), ns, "eth0", mine.name()),
        new EndpointSpec(mine.id().substring(0, 9) + "1", "web", a.get(1).ip(), a.get(1).mac(), ns, "eth1", mine.name()),
        new EndpointSpec(mine.id().substring(0, 9) + "2", "back", a.get(2).ip(), a.get(2).mac(), ns, "eth2", mine.name())),
        appEndpoints);
    long dbHere = sim.running("db").stream().filter(t -> t.nodeId().equals(n1.id())).count();
    assertEquals(3 + dbHere, d.endpoints().size());

    Set<String> peerIps = d.peers().stream().map(PeerSpec::ip).collect(Collectors.toSet());
    for (Task t : sim.state.tasks().values()) {
      for (Attachment at : t.attachments()) {
        assertEquals(!t.nodeId().equals(n1.id()), peerIps.contains(at.ip()), "peers are the other nodes' tasks: " + at);
      }
    }
    for (PeerSpec p : d.peers()) {
      assertEquals(Subnets.macOf(p.ip()), p.mac());
      Node owner = sim.state.nodes().values().stream().filter(x -> x.addr().equals(p.vtep())).findFirst().orElseThrow();
      assertFalse(owner.id().equals(n1.id()));
    }
    assertEquals(2 * 3 + 2 * 3 + (2 - dbHere), d.peers().size(),
        "the 2 other nodes' lb addresses on 3 networks, their 2 app tasks x 3 attachments, their db tasks");

    ServiceSpec appSvc = d.services().stream().filter(s -> s.name().equals("app")).findFirst().orElseThrow();
    assertEquals("vip", appSvc.endpointMode());
    assertEquals(app.mark(), appSvc.mark());
    assertEquals(app.vips(), appSvc.vips());
    assertEquals(3, appSvc.vips().size());
    assertEquals(List.of(new PortSpec("tcp", 8080, 80, "ingress")), appSvc.ports());
    assertEquals(9, appSvc.backends().size());
    assertTrue(appSvc.backends().contains(new BackendSpec("web", a.get(1).ip(), mine.name())));
    ServiceSpec dbSvc = d.services().stream().filter(s -> s.name().equals("db")).findFirst().orElseThrow();
    assertEquals("dnsrr", dbSvc.endpointMode());
    assertEquals(Map.of(), dbSvc.vips());
    assertEquals(List.of(), dbSvc.ports());
    assertEquals(2, dbSvc.backends().size());
    assertTrue(dbSvc.backends().stream().allMatch(b -> b.network().equals("back")));
  }

  @Test
  void onlyRunningTasksAreBackendsAndOnlyLiveLocalTasksAreEndpoints() {
    sim.network("web");
    sim.create(spec("app", 3, "web"));
    sim.converge();
    Task failed = sim.running("app").stream().filter(t -> t.nodeId().equals(sim.node("node2").id())).findFirst().orElseThrow();
    sim.report(failed, TaskState.FAILED, 1);
    sim.plan(); // replaced: the new task is ASSIGNED, not RUNNING yet
    DataplaneState d1 = everyNode("node1");
    DataplaneState d2 = everyNode("node2");
    ServiceSpec app = d1.services().get(0);
    Set<String> backendTasks = app.backends().stream().map(BackendSpec::task).collect(Collectors.toSet());
    assertEquals(2, backendTasks.size(), app.toString());
    assertFalse(backendTasks.contains(failed.name()));
    assertFalse(d1.peers().stream().anyMatch(p -> p.ip().equals(failed.attachments().get(0).ip())), "an ended task is no peer");
    Set<String> node2Endpoints = d2.endpoints().stream().map(EndpointSpec::task).collect(Collectors.toSet());
    assertFalse(node2Endpoints.contains(failed.name()));
    List<Task> toRun = NodeDataplane.tasksToRun(sim.state, sim.node("node2").id());
    assertEquals(toRun.stream().map(Task::name).collect(Collectors.toSet()), node2Endpoints);
    assertTrue(toRun.stream().anyMatch(t -> t.state() == TaskState.ASSIGNED), "the replacement, to start");
  }

  @Test
  void aNodeWithoutItsLbAddressYetListsNeitherTheNetworkNorWhatIsOnIt() {
    sim.network("web");
    sim.create(Fixtures.withPorts(spec("app", 2, "web"), tcp(80, 80)));
    sim.converge();
    sim.putNode(Fixtures.node("node4", 4)); // before the orchestrator gives it lb addresses
    DataplaneState d = everyNode("node4");
    assertEquals(List.of(), d.networks());
    assertEquals(List.of(), d.peers());
    assertEquals(Map.of(), d.services().get(0).vips());
    assertEquals(List.of(), d.services().get(0).ports());
    sim.converge();
    d = everyNode("node4");
    assertEquals(List.of("ingress", "web"), d.networks().stream().map(NetworkSpec::id).toList());
  }

  @Test
  void tasksOnADownNodeAndTasksStoppingAreHandled() {
    sim.network("web");
    sim.create(spec("app", 3, "web"));
    sim.converge();
    sim.update("app", sim.state.service("app").orElseThrow().spec().withReplicas(1));
    sim.plan(); // slots 2 and 3 told to stop, still running
    Set<String> stopping = new HashSet<>();
    for (Node n : sim.state.nodes().values()) {
      NodeDataplane.tasksToStop(sim.state, n.id()).forEach(t -> stopping.add(t.name()));
    }
    assertEquals(2, stopping.size());
    DataplaneState d = everyNode("node1");
    assertEquals(1, d.services().get(0).backends().size(), "stopping tasks are no backends");
    sim.converge();
    sim.putNode(sim.node("node2").withStatus(NodeStatus.DOWN));
    sim.apply(new Command.PutNode(sim.node("node3").withStatus(NodeStatus.DOWN)));
    sim.converge();
    everyNode("node1");
    everyNode("node2");
  }
}
