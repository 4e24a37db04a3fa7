package meshplane.cluster.orchestrator;

import meshplane.dataplane.EndpointMode;
import meshplane.dataplane.PublishMode;
import meshplane.dataplane.Protocol;
import static meshplane.cluster.orchestrator.Fixtures.spec;
import static meshplane.cluster.orchestrator.Fixtures.tcp;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import meshplane.cluster.model.ClusterState;
import meshplane.cluster.model.Command;
import meshplane.cluster.model.InvalidRequestException;
import meshplane.cluster.model.PortConfig;
import meshplane.cluster.model.RestartPolicy;
import meshplane.cluster.model.ServiceMode;
import meshplane.cluster.model.ServiceSpec;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("unit")
class ServiceSpecValidatorTest {
  private final ClusterState s;

  ServiceSpecValidatorTest() {
    ClusterState c = Fixtures.cluster(1);
    s = c.apply(new Command.PutNetwork(NetworkAllocator.create(c, "web", null, 0)), c.index() + 1);
  }

  private static ServiceSpec with(ServiceSpec b, UnaryOperator<Object[]> change) {
    Object[] f = {b.name(), b.mode(), b.replicas(), b.networks(), b.ports(), b.endpointMode(), b.constraints(), b.cpus(),
        b.memory(), b.env(), b.image(), b.command(), b.restart(), b.executor()};
    f = change.apply(f);
    @SuppressWarnings("unchecked")
    ServiceSpec r = new ServiceSpec((String) f[0], (ServiceMode) f[1], (int) f[2], (List<String>) f[3],
        (List<PortConfig>) f[4], (EndpointMode) f[5], (List<String>) f[6], (long) f[7], (long) f[8], (Map<String, String>) f[9],
        (String) f[10], (List<String>) f[11], (RestartPolicy) f[12], (String) f[13]);
    return r;
  }

  private static ServiceSpec set(int field, Object value) {
    return with(spec("app", 2, "web"), f -> {
      f[field] = value;
      return f;
    });
  }

  private void refused(String field, ServiceSpec bad) {
    InvalidRequestException e = assertThrows(InvalidRequestException.class, () -> ServiceSpecValidator.check(s, bad), field);
    assertEquals(field, e.field(), e.getMessage());
  }

  @Test
  void aGoodSpecPasses() {
    ServiceSpecValidator.check(s, spec("app", 2, "web"));
    ServiceSpecValidator.check(s, Fixtures.withPorts(spec("a-1", 0), tcp(0, 80), new PortConfig(Protocol.UDP, 53, 53, PublishMode.INGRESS),
        tcp(53, 53)));
    ServiceSpecValidator.check(s, Fixtures.global("g"));
    ServiceSpecValidator.check(s, set(2, 1000));
    ServiceSpecValidator.check(s, set(5, EndpointMode.DNSRR));
  }

  @Test
  void eachRuleNamesItsField() {
    for (String bad : new String[] {"", "-a", "a-", "App", "a_b", "a.b", "x".repeat(64)}) {
      refused("name", set(0, bad));
    }
    refused("replicas", set(2, -1));
    refused("replicas", set(2, 1001));
    ServiceSpecValidator.check(s, with(Fixtures.global("g"), f -> {
      f[2] = -1;
      return f;
    }));
    refused("networks[1]", set(3, List.of("web", "nope")));
    refused("networks[0]", set(3, List.of("ingress")));
    refused("networks[1]", set(3, List.of("web", "web")));
    refused("ports[0].target", set(4, List.of(tcp(80, 0))));
    refused("ports[0].target", set(4, List.of(tcp(80, 65536))));
    refused("ports[1].published", set(4, List.of(tcp(80, 80), tcp(65536, 80))));
    refused("ports[0].published", set(4, List.of(tcp(-1, 80))));
    refused("ports[0].published", set(4, List.of(new PortConfig(Protocol.UDP, 4789, 80, PublishMode.INGRESS))));
    ServiceSpecValidator.check(s, set(4, List.of(tcp(4789, 80))));
    // the cluster's own ports on every node: the API, Raft, gossip
    for (PortConfig reserved : List.of(tcp(2377, 80), tcp(2378, 80), tcp(7946, 80),
        new PortConfig(Protocol.UDP, 7946, 80, PublishMode.INGRESS))) {
      InvalidRequestException e = assertThrows(InvalidRequestException.class,
          () -> ServiceSpecValidator.check(s, set(4, List.of(reserved))));
      assertEquals("ports[0].published", e.field());
      assertTrue(e.getMessage().contains("the cluster uses it on every node"), e.getMessage());
    }
    ServiceSpecValidator.check(s, set(4, List.of(new PortConfig(Protocol.UDP, 2377, 80, PublishMode.INGRESS))));
    refused("ports[0].mode", set(4, List.of(new PortConfig(Protocol.TCP, 80, 80, PublishMode.HOST))));
    refused("ports[1].published", set(4, List.of(tcp(80, 80), tcp(80, 81))));
    refused("endpointMode", with(set(5, EndpointMode.DNSRR), f -> {
      f[4] = List.of(tcp(80, 80));
      return f;
    }));
    refused("constraints[1]", set(6, List.of("node.role==manager", "node.role=manager")));
    refused("cpus", set(7, -1L));
    refused("memory", set(8, -1L));
    refused("image", set(10, ""));
    refused("image", set(10, null));
    refused("executor", set(13, "kvm"));
    refused("restart.condition", set(12, new RestartPolicy("always", 0, 0)));
    refused("restart.delayMillis", set(12, new RestartPolicy("any", -1, 0)));
    refused("restart.maxAttempts", set(12, new RestartPolicy("any", 0, -1)));
  }
}
