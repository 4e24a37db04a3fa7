package meshplane.cluster.orchestrator;

import static meshplane.cluster.orchestrator.Fixtures.cluster;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import meshplane.cluster.model.Attachment;
import meshplane.cluster.model.ClusterState;
import meshplane.cluster.model.Command;
import meshplane.cluster.model.CommandRejectedException;
import meshplane.cluster.model.Network;
import meshplane.cluster.model.Service;
import meshplane.cluster.model.Task;
import meshplane.cluster.model.TaskState;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("unit")
class IpAllocatorTest {
  @Test
  void skipsGatewayLbAddressesVipsAndTaskAddresses() {
    ClusterState s = cluster(1);
    Network n = new Network("web", "web", 4097, "10.0.0.0/24", "10.0.0.1", false, Map.of("x", "10.0.0.2"), 0);
    s = s.apply(new Command.PutNetwork(n), 2);
    assertEquals("10.0.0.3", IpAllocator.lowestFree(s, n));
    Service svc = new Service("s1", Fixtures.spec("web", 1, "web"), 1, 256, Map.of("web", "10.0.0.3"), 0, 0);
    s = s.apply(new Command.PutService(svc), 3);
    assertEquals("10.0.0.4", IpAllocator.lowestFree(s, n));
    Task ended = new Task("t1", "s1", "web", 1, 1, null, TaskState.SHUTDOWN, TaskState.FAILED, null, 1,
        List.of(new Attachment("web", "10.0.0.4", "02:42:0a:00:00:04")), 0, 0, 0);
    Task other = new Task("t2", "s1", "web", 1, 1, null, TaskState.SHUTDOWN, TaskState.FAILED, null, 1,
        List.of(new Attachment("elsewhere", "10.0.0.5", "02:42:0a:00:00:05")), 0, 0, 0);
    s = s.apply(new Command.PutTasks(List.of(ended, other), List.of()), 4);
    assertEquals("10.0.0.5", IpAllocator.lowestFree(s, n), "an ended task kept as history holds its address; another network's does not");
  }

  @Test
  void aFullNetworkIsAConflict() {
    ClusterState s = cluster(1);
    Network n = new Network("tiny", "tiny", 4097, "10.0.0.0/29", "10.0.0.1", false, Map.of(), 0);
    var used = IpAllocator.used(s, n);
    for (int i = 2; i <= 6; i++) {
      assertEquals("10.0.0." + i, IpAllocator.take(n, used));
    }
    assertEquals("network tiny (10.0.0.0/29) has no free address left",
        assertThrows(CommandRejectedException.class, () -> IpAllocator.take(n, used)).getMessage());
  }
}
