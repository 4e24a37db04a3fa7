package meshplane.cluster.orchestrator;

import meshplane.dataplane.EndpointMode;
import meshplane.dataplane.PublishMode;
import meshplane.dataplane.Protocol;
import static meshplane.cluster.orchestrator.Fixtures.spec;
import static meshplane.cluster.orchestrator.Fixtures.tcp;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import meshplane.cluster.model.ClusterSettings;
import meshplane.cluster.model.ClusterState;
import meshplane.cluster.model.CommandRejectedException;
import meshplane.cluster.model.InvalidRequestException;
import meshplane.cluster.model.PortConfig;
import meshplane.cluster.model.Service;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("unit")
class ServiceAllocatorTest {
  private final Fixtures.Sim sim = new Fixtures.Sim(Fixtures.cluster(2));

  ServiceAllocatorTest() {
    sim.network("web"); // 10.0.0.0/24, lb .2 .3
    sim.network("back"); // 10.0.1.0/24, lb .2 .3
  }

  @Test
  void marksAndVipsAreAllocated() {
    Service a = sim.create(spec("a", 1, "web", "back"));
    assertEquals(1, a.version());
    assertEquals(256, a.mark());
    assertEquals(Map.of("web", "10.0.0.4", "back", "10.0.1.4"), a.vips());
    Service b = sim.create(Fixtures.withPorts(spec("b", 1, "web"), tcp(8080, 80)));
    assertEquals(257, b.mark());
    assertEquals(Map.of("web", "10.0.0.5", "ingress", "10.255.0.2"), b.vips(), "no lb address yet on ingress: .2 is free");
    Service c = sim.create(Fixtures.withEndpointMode(spec("c", 1, "web"), EndpointMode.DNSRR));
    assertEquals(Map.of(), c.vips(), "dnsrr has no VIP");
    sim.apply(new meshplane.cluster.model.Command.RemoveService(a.id()));
    assertEquals(256, sim.create(spec("d", 1)).mark(), "the smallest free mark");
  }

  @Test
  void port0PicksTheLowestFreeAutoPortPerProtocol() {
    sim.state = new ClusterState(sim.state.clusterId(), sim.state.index(), sim.state.tokens(), sim.state.pki(), new ClusterSettings(5000, 30000, 30002),
        sim.state.nodes(), sim.state.networks(), sim.state.services(), sim.state.tasks());
    Service a = sim.create(Fixtures.withPorts(spec("a", 1), tcp(30000, 80), tcp(0, 81), new PortConfig(Protocol.UDP, 0, 53, PublishMode.INGRESS)));
    assertEquals(List.of(tcp(30000, 80), tcp(30001, 81), new PortConfig(Protocol.UDP, 30000, 53, PublishMode.INGRESS)), a.spec().ports());
    Service b = sim.create(Fixtures.withPorts(spec("b", 1), tcp(0, 80)));
    assertEquals(List.of(tcp(30002, 80)), b.spec().ports());
    assertEquals("no free tcp port left in 30000-30002 to publish", assertThrows(CommandRejectedException.class,
        () -> ServiceAllocator.create(sim.state, Fixtures.withPorts(spec("c", 1), tcp(0, 80)), 0, sim.serviceIds)).getMessage());
  }

  @Test
  void conflictsAreRejected() {
    sim.create(Fixtures.withPorts(spec("web", 1), tcp(8080, 80)));
    assertEquals("port 8080/tcp is already published by service web", assertThrows(CommandRejectedException.class,
        () -> ServiceAllocator.create(sim.state, Fixtures.withPorts(spec("api", 1), tcp(8080, 80)), 0, sim.serviceIds)).getMessage());
    assertEquals("service name web is taken", assertThrows(CommandRejectedException.class,
        () -> ServiceAllocator.create(sim.state, spec("web", 1), 0, sim.serviceIds)).getMessage());
    assertEquals("replicas", assertThrows(InvalidRequestException.class,
        () -> ServiceAllocator.create(sim.state, spec("x", -1), 0, sim.serviceIds)).field());
    ServiceAllocator.create(sim.state, Fixtures.withPorts(spec("api", 1), new PortConfig(Protocol.UDP, 8080, 80, PublishMode.INGRESS)), 0, sim.serviceIds);
  }

  @Test
  void updateKeepsIdMarkAndVipsOfNetworksThatStay() {
    Service a = sim.create(spec("a", 1, "web", "back"));
    sim.create(spec("other", 1, "web")); // takes web's next address
    Service u = sim.update("a", Fixtures.withPorts(spec("a", 1, "back"), tcp(0, 80)));
    assertEquals(a.id(), u.id());
    assertEquals(a.mark(), u.mark());
    assertEquals(2, u.version());
    assertEquals(Map.of("back", "10.0.1.4", "ingress", "10.255.0.2"), u.vips());
    Service v = sim.update("a", Fixtures.withPorts(spec("a", 1, "back", "web"), tcp(0, 80)));
    assertEquals(Map.of("back", "10.0.1.4", "ingress", "10.255.0.2", "web", "10.0.0.4"), v.vips(), "web's old VIP was freed");
    assertEquals(List.of(tcp(30000, 80)), v.spec().ports(), "the published port of the same target is kept");
    assertEquals(3, v.version());
    Service scaled = sim.update("a", v.spec().withReplicas(5));
    assertEquals(3, scaled.version(), "a pure scale does not replace the tasks");
    assertEquals(5, scaled.spec().replicas());
    assertEquals("port 30000/tcp is already published by service a", assertThrows(CommandRejectedException.class,
        () -> ServiceAllocator.update(sim.state, sim.state.service("other").orElseThrow(),
            Fixtures.withPorts(spec("other", 1), tcp(30000, 80)), 0)).getMessage());
    Service dnsrr = sim.update("a", Fixtures.withEndpointMode(spec("a", 1, "web"), EndpointMode.DNSRR));
    assertEquals(Map.of(), dnsrr.vips());
    assertEquals(List.of(), dnsrr.spec().ports());
    ServiceAllocator.update(sim.state, sim.state.service("other").orElseThrow(), Fixtures.withPorts(spec("other", 1), tcp(30000, 80)), 0);
  }
}
