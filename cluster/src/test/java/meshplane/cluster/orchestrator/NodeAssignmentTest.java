package meshplane.cluster.orchestrator;

import static meshplane.cluster.orchestrator.Fixtures.spec;
import static meshplane.cluster.orchestrator.Fixtures.tcp;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import meshplane.cluster.api.ApiJson;
import meshplane.cluster.assignment.AssignedTask;
import meshplane.cluster.assignment.Assignment;
import meshplane.cluster.assignment.AssignmentBuilder;
import meshplane.cluster.assignment.LocalDataplane;
import meshplane.cluster.model.Attachment;
import meshplane.cluster.model.Command;
import meshplane.cluster.model.Node;
import meshplane.cluster.model.NodeStatus;
import meshplane.cluster.model.Service;
import meshplane.cluster.model.ServiceSpec;
import meshplane.cluster.model.Subnets;
import meshplane.cluster.model.Task;
import meshplane.cluster.model.TaskState;
import meshplane.dataplane.Addresses;
import meshplane.dataplane.BackendSpec;
import meshplane.dataplane.DataplaneState;
import meshplane.dataplane.EndpointMode;
import meshplane.dataplane.EndpointSpec;
import meshplane.dataplane.NetworkSpec;
import meshplane.dataplane.PeerSpec;
import meshplane.dataplane.PortSpec;
import meshplane.dataplane.Protocol;
import meshplane.dataplane.PublishMode;
import meshplane.dataplane.StateValidator;
import meshplane.dataplane.TaskEndpoints;
import meshplane.netlink.IpPrefix;
import meshplane.netlink.MacAddress;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** What the dispatcher assigns each node: its tasks, and the slice of the data plane it serves. */
@Tag("unit")
class NodeAssignmentTest {
  private final Fixtures.Sim sim = new Fixtures.Sim(Fixtures.cluster(3));

  private Assignment assignment(String hostname) {
    return AssignmentBuilder.build(sim.state, sim.node(hostname).id());
  }

  /** Builds every node's local data plane, checks each passes the data plane's validator, and returns {@code hostname}'s. */
  private DataplaneState everyNode(String hostname) {
    DataplaneState wanted = null;
    for (Node n : sim.state.nodes().values()) {
      DataplaneState d = LocalDataplane.of(AssignmentBuilder.build(sim.state, n.id()), "mp-lab-" + n.hostname());
      StateValidator.check(d);
      if (n.hostname().equals(hostname)) {
        wanted = d;
      }
    }
    return wanted;
  }

  private static ServiceSpec withEnv(ServiceSpec s, Map<String, String> env) {
    return new ServiceSpec(s.name(), s.mode(), s.replicas(), s.networks(), s.ports(), s.endpointMode(), s.constraints(),
        s.cpus(), s.memory(), env, s.image(), s.command(), s.restart(), s.executor());
  }

  @Test
  void endpointIdsOfOneTaskNeverCollide() {
    assertEquals(List.of("abcdefghij", "abcdefghi1", "abcdefghi2"),
        List.of(0, 1, 2).stream().map(i -> TaskEndpoints.endpointId("abcdefghijklmnopqrstuvwxy", i)).toList());
    // the 10th character is "1": "abcdefghi" + index 1 would be the short id again
    assertEquals(List.of("abcdefghi1", "abcdefghi2", "abcdefghi3"),
        List.of(0, 1, 2).stream().map(i -> TaskEndpoints.endpointId("abcdefghi1klmnopqrstuvwxy", i)).toList());
    assertEquals(List.of("abcdefghi2", "abcdefghi1", "abcdefghi3"),
        List.of(0, 1, 2).stream().map(i -> TaskEndpoints.endpointId("abcdefghi2klmnopqrstuvwxy", i)).toList());
    Set<String> ids = new HashSet<>();
    for (int i = 0; i <= 34; i++) {
      String id = TaskEndpoints.endpointId("abcdefghi1klmnopqrstuvwxy", i);
      assertTrue(id.matches("[a-z0-9]{10}") && ids.add(id), "endpoint " + i + ": " + id + " unique and valid");
    }
  }

  @Test
  void anEmptyClusterHasTheIngressNetworkOnly() {
    sim.converge();
    DataplaneState d = everyNode("node1");
    Node n1 = sim.node("node1");
    assertEquals("node1", d.node());
    assertEquals(Addresses.ipv4("198.18.0.1"), d.underlay());
    assertEquals(List.of(new NetworkSpec("ingress", 4096, IpPrefix.parse("10.255.0.0/16"), Addresses.ipv4("10.255.0.1"), true,
        Optional.of(Addresses.ipv4("10.255.0.2")))), d.networks());
    assertEquals(List.of(
        new PeerSpec("ingress", Addresses.ipv4("10.255.0.3"), MacAddress.parse("02:42:0a:ff:00:03"), Addresses.ipv4("198.18.0.2")),
        new PeerSpec("ingress", Addresses.ipv4("10.255.0.4"), MacAddress.parse("02:42:0a:ff:00:04"), Addresses.ipv4("198.18.0.3"))),
        d.peers());
    assertEquals(Addresses.ipv4(n1.addr()), d.underlay());
    Assignment a = assignment("node1");
    assertEquals(n1.role(), a.role());
    assertEquals(sim.state.managers().stream().map(Node::apiAddress).toList(), a.managers());
  }

  @Test
  void multiNetworkTasksGiveEndpointsPeersVipsAndBackends() {
    sim.network("web");
    sim.network("back");
    sim.network("idle"); // used by no service and no task: not listed
    Service app = sim.create(Fixtures.withPorts(spec("app", 3, "web", "back"), tcp(8080, 80)));
    sim.create(Fixtures.withEndpointMode(spec("db", 3, "back"), EndpointMode.DNSRR));
    sim.converge();
    DataplaneState d = everyNode("node1");
    assertEquals(List.of("ingress", "back", "web"), d.networks().stream().map(NetworkSpec::id).toList());
    Node n1 = sim.node("node1");
    for (NetworkSpec n : d.networks()) {
      assertEquals(sim.state.networks().get(n.id()).lbAddresses().get(n1.id()), n.lbAddress().orElseThrow().getHostAddress());
    }
    Task mine = sim.running("app").stream().filter(t -> t.nodeId().equals(n1.id())).findFirst().orElseThrow();
    List<EndpointSpec> appEndpoints = d.endpoints().stream().filter(e -> e.task().equals(Optional.of(mine.name()))).toList();
    String ns = "mp-lab-node1-" + mine.shortId();
    List<Attachment> a = mine.attachments();
    assertEquals(List.of(
        endpoint(mine.id().substring(0, 10), "ingress", a.get(0), ns, "eth0", mine.name()),
        endpoint(mine.id().substring(0, 9) + "1", "web", a.get(1), ns, "eth1", mine.name()),
        endpoint(mine.id().substring(0, 9) + "2", "back", a.get(2), ns, "eth2", mine.name())),
        appEndpoints);
    assertEquals(3 + 1, d.endpoints().size(), "app's three attachments, db's one");

    Set<String> peerIps = d.peers().stream().map(p -> p.ip().getHostAddress()).collect(Collectors.toSet());
    for (Task t : sim.state.tasks().values()) {
      for (Attachment at : t.attachments()) {
        assertEquals(!t.nodeId().equals(n1.id()), peerIps.contains(at.ip()), "peers are the other nodes' tasks: " + at);
      }
    }
    for (PeerSpec p : d.peers()) {
      assertEquals(MacAddress.parse(Subnets.macOf(p.ip().getHostAddress())), p.mac());
      Node owner = sim.state.nodes().values().stream().filter(x -> x.addr().equals(p.vtep().getHostAddress())).findFirst().orElseThrow();
      assertFalse(owner.id().equals(n1.id()));
    }
    assertEquals(2 * 3 + 2 * 3 + 2, d.peers().size(),
        "the 2 other nodes' lb addresses on 3 networks, their 2 app tasks x 3 attachments, their 2 db tasks");

    meshplane.dataplane.ServiceSpec appSvc = d.services().stream().filter(s -> s.name().equals("app")).findFirst().orElseThrow();
    assertEquals(EndpointMode.VIP, appSvc.endpointMode());
    assertEquals(app.mark(), appSvc.mark());
    assertEquals(app.vips().keySet(), appSvc.vips().keySet());
    assertEquals(3, appSvc.vips().size());
    assertEquals(List.of(new PortSpec(Protocol.TCP, 8080, 80, PublishMode.INGRESS)), appSvc.ports());
    assertEquals(9, appSvc.backends().size());
    assertTrue(appSvc.backends().contains(new BackendSpec("web", Addresses.ipv4(a.get(1).ip()), Optional.of(mine.name()))));
    meshplane.dataplane.ServiceSpec dbSvc = d.services().stream().filter(s -> s.name().equals("db")).findFirst().orElseThrow();
    assertEquals(EndpointMode.DNSRR, dbSvc.endpointMode());
    assertEquals(Map.of(), dbSvc.vips());
    assertEquals(List.of(), dbSvc.ports());
    assertEquals(3, dbSvc.backends().size());
    assertTrue(dbSvc.backends().stream().allMatch(b -> b.network().equals("back")));
  }

  private static EndpointSpec endpoint(String id, String network, Attachment a, String ns, String iface, String task) {
    return new EndpointSpec(id, network, Addresses.ipv4(a.ip()), MacAddress.parse(a.mac()), ns, iface, Optional.of(task));
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
    meshplane.dataplane.ServiceSpec app = d1.services().get(0);
    Set<String> backendTasks = app.backends().stream().map(b -> b.task().orElseThrow()).collect(Collectors.toSet());
    assertEquals(2, backendTasks.size(), app.toString());
    assertFalse(backendTasks.contains(failed.name()));
    assertFalse(d1.peers().stream().anyMatch(p -> p.ip().getHostAddress().equals(failed.attachments().get(0).ip())),
        "an ended task is no peer");
    Set<String> node2Endpoints = d2.endpoints().stream().map(e -> e.task().orElseThrow()).collect(Collectors.toSet());
    assertFalse(node2Endpoints.contains(failed.name()));
    List<AssignedTask> toRun = assignment("node2").tasks().stream().filter(AssignedTask::wanted).toList();
    assertEquals(toRun.stream().map(AssignedTask::name).collect(Collectors.toSet()), node2Endpoints);
    assertTrue(toRun.stream().anyMatch(t -> t.state() == TaskState.ASSIGNED), "the replacement, to start");
    assertFalse(assignment("node2").tasks().stream().anyMatch(t -> t.id().equals(failed.id())), "an ended task is not assigned");
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
    assertEquals(List.of(), d.services());
    sim.converge();
    d = everyNode("node4");
    assertEquals(List.of("ingress"), d.networks().stream().map(NetworkSpec::id).toList(),
        "no task of node4 is on web: it gets no lb_web, only the routing mesh");
    assertEquals(List.of("app"), d.services().stream().map(meshplane.dataplane.ServiceSpec::name).toList());
    assertEquals(Set.of("ingress"), d.services().get(0).vips().keySet(), "its VIP on the routing mesh only");
    assertEquals(1, d.services().get(0).ports().size());
    assertTrue(d.services().get(0).backends().stream().allMatch(b -> b.network().equals("ingress")));
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
      AssignmentBuilder.build(sim.state, n.id()).tasks().stream()
          .filter(t -> t.desired() == TaskState.SHUTDOWN).forEach(t -> stopping.add(t.name()));
    }
    assertEquals(2, stopping.size());
    long backends = sim.state.nodes().values().stream()
        .map(n -> everyNode(n.hostname()).services()).filter(s -> !s.isEmpty())
        .mapToLong(s -> s.get(0).backends().size()).max().orElse(0);
    assertEquals(1, backends, "stopping tasks are no backends");
    sim.converge();
    sim.putNode(sim.node("node2").withStatus(NodeStatus.DOWN));
    sim.apply(new Command.PutNode(sim.node("node3").withStatus(NodeStatus.DOWN)));
    sim.converge();
    everyNode("node1");
    everyNode("node2");
  }

  @Test
  void aNodeGetsNoJoinTokensAndNoOtherNodesTaskSpecs() throws Exception {
    meshplane.cluster.model.ClusterState s = meshplane.cluster.model.ClusterState.EMPTY.apply(new Command.Init("cluster1",
        new meshplane.cluster.model.JoinTokens("SWMTKN-1-worker-secret", "SWMTKN-1-manager-secret"), null,
        meshplane.cluster.model.ClusterSettings.DEFAULT, Fixtures.node("node1", 1), NetworkAllocator.ingress(0)), 1);
    for (int i = 2; i <= 3; i++) {
      s = s.apply(new Command.PutNode(Fixtures.node("node" + i, i)), s.index() + 1);
    }
    Fixtures.Sim sim = new Fixtures.Sim(s);
    sim.network("web");
    sim.create(withEnv(spec("app", 1, "web"), Map.of("DB_PASSWORD", "s3cret-of-app")));
    sim.converge();
    Task appTask = sim.running("app").get(0);
    for (Node n : sim.state.nodes().values()) {
      String json = ApiJson.MAPPER.writeValueAsString(AssignmentBuilder.build(sim.state, n.id()));
      assertFalse(json.contains("SWMTKN"), "no join token in " + n.hostname() + "'s assignment: " + json);
      assertEquals(n.id().equals(appTask.nodeId()), json.contains("s3cret-of-app"),
          "app's env only to the node that runs it: " + n.hostname());
    }
  }

  @Test
  void anAssignmentDoesNotGrowWithServicesTheNodeDoesNotServe() throws Exception {
    sim.network("web");
    Node idle = sim.node("node3");
    sim.apply(new Command.PutNode(idle.withAvailability(meshplane.cluster.model.Availability.DRAIN)));
    sim.create(spec("s0", 2, "web"));
    sim.converge();
    int few = ApiJson.MAPPER.writeValueAsBytes(AssignmentBuilder.build(sim.state, idle.id())).length;
    for (int i = 1; i < 60; i++) {
      sim.create(spec("s" + i, 2, "web"));
    }
    sim.converge();
    int many = ApiJson.MAPPER.writeValueAsBytes(AssignmentBuilder.build(sim.state, idle.id())).length;
    assertEquals(few, many, "node3 runs none of the 60 services: its assignment stays the same");
    int busy = ApiJson.MAPPER.writeValueAsBytes(AssignmentBuilder.build(sim.state, sim.node("node1").id())).length;
    assertTrue(busy > 10 * many, "node1 runs them: " + busy + " bytes");
  }

  @Test
  void anAssignmentReadsBackAsItWasWritten() throws Exception {
    sim.network("web");
    sim.create(Fixtures.withPorts(spec("app", 3, "web"), tcp(8080, 80)));
    sim.converge();
    Assignment a = assignment("node1").withVersion(42);
    assertEquals(a, ApiJson.MAPPER.readValue(ApiJson.MAPPER.writeValueAsBytes(a), Assignment.class));
  }
}
