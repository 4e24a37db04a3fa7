package meshplane.cluster.orchestrator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import meshplane.cluster.model.ClusterState;
import meshplane.cluster.model.Command;
import meshplane.cluster.model.InvalidRequestException;
import meshplane.cluster.model.Service;
import meshplane.cluster.model.ServiceSpec;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The whole state's bounds: services, tasks asked for, networks, nodes, each refusal naming the limit. */
@Tag("unit")
class StateLimitsTest {
  private static final Fixtures.SeqIds IDS = new Fixtures.SeqIds('s');

  @Test
  void tasksInAllAreBoundedOnCreateUpdateAndScale() {
    ClusterState s = Fixtures.cluster(1);
    for (int i = 0; i < StateLimits.MAX_TASKS / ServiceSpecValidator.MAX_REPLICAS; i++) {
      Service svc = ServiceAllocator.create(s, Fixtures.spec("s" + i, ServiceSpecValidator.MAX_REPLICAS), 0, IDS);
      s = s.apply(new Command.PutService(svc), s.index() + 1);
    }
    ClusterState full = s;
    InvalidRequestException e = assertThrows(InvalidRequestException.class,
        () -> ServiceAllocator.create(full, Fixtures.spec("one-more", 1), 0, IDS));
    assertEquals("replicas", e.field());
    assertTrue(e.getMessage().contains((StateLimits.MAX_TASKS + 1) + " tasks, at most " + StateLimits.MAX_TASKS), e.getMessage());
    Service first = full.services().values().iterator().next();
    ServiceAllocator.update(full, first, first.spec().withReplicas(5), 0); // fewer: fine
    assertThrows(InvalidRequestException.class, () -> StateLimits.checkTasks(full, null, Fixtures.spec("x", 1)));
  }

  @Test
  void networksAndNodesAreBounded() {
    ClusterState s = Fixtures.cluster(1);
    for (int i = 1; i < StateLimits.MAX_NETWORKS; i++) { // the ingress network is one
      s = s.apply(new Command.PutNetwork(NetworkAllocator.create(s, "n" + i, null, 0)), s.index() + 1);
    }
    ClusterState full = s;
    InvalidRequestException e = assertThrows(InvalidRequestException.class, () -> NetworkAllocator.create(full, "more", null, 0));
    assertEquals("networks", e.field());
    assertTrue(e.getMessage().contains("at most " + StateLimits.MAX_NETWORKS), e.getMessage());

    ClusterState many = Fixtures.cluster(1);
    for (int i = 2; i <= StateLimits.MAX_NODES; i++) {
      many = many.apply(new Command.PutNode(Fixtures.node("h" + i, i)), many.index() + 1);
    }
    ClusterState nodes = many;
    e = assertThrows(InvalidRequestException.class, () -> StateLimits.checkNodes(nodes));
    assertEquals("nodes", e.field());
    assertTrue(e.getMessage().contains(StateLimits.MAX_NODES + " nodes, at most " + StateLimits.MAX_NODES), e.getMessage());
  }

  @Test
  void commandsAndEnvironmentsInAllAreBounded() {
    ClusterState s = Fixtures.cluster(1);
    Map<String, String> env = new java.util.TreeMap<>();
    for (int i = 0; i < 8; i++) {
      env.put("V" + i, "v".repeat(SpecLimits.MAX_ENV_VALUE - 10));
    }
    ServiceSpec base = Fixtures.spec("x", 1);
    int n = 0;
    InvalidRequestException refused = null;
    while (refused == null && n < 1_000) {
      ServiceSpec spec = new ServiceSpec("e" + n, base.mode(), 1, List.of(), List.of(), null, List.of(), 0, 0, env, "sleep",
          List.of(), null, null);
      try {
        s = s.apply(new Command.PutService(ServiceAllocator.create(s, spec, 0, IDS)), s.index() + 1);
        n++;
      } catch (InvalidRequestException e) {
        refused = e;
      }
    }
    assertTrue(refused != null, "refused after " + n + " services");
    assertEquals("command", refused.field());
    assertTrue(refused.getMessage().contains("at most " + StateLimits.MAX_EXEC_BYTES), refused.getMessage());
    assertTrue(n >= 200 && n < 300, n + " services of 256 KiB each");
  }
}
