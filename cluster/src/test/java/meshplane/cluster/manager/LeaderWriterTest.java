package meshplane.cluster.manager;

import meshplane.cluster.api.TestPki;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import meshplane.cluster.model.Availability;
import meshplane.cluster.model.ClusterSettings;
import meshplane.cluster.model.ClusterState;
import meshplane.cluster.model.Command;
import meshplane.cluster.model.CommandRejectedException;
import meshplane.cluster.model.JoinTokens;
import meshplane.cluster.model.Node;
import meshplane.cluster.model.NodeRole;
import meshplane.cluster.model.NodeStatus;
import meshplane.cluster.model.Service;
import meshplane.cluster.model.ServiceSpec;
import meshplane.cluster.orchestrator.NetworkAllocator;
import meshplane.cluster.orchestrator.RandomIds;
import meshplane.cluster.orchestrator.ServiceAllocator;
import meshplane.cluster.raft.RaftStore;
import meshplane.cluster.raft.RaftStoreConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The pipelined writer on a one-manager Raft store: decisions see the writes still in flight. */
@Tag("unit")
class LeaderWriterTest {
  private Path dir;
  private RaftStore store;
  private LeaderWriter writer;

  @BeforeEach
  void start() throws Exception {
    dir = Files.createTempDirectory("mpt-leader-writer");
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    store = RaftStore.start(RaftStoreConfig.founding(dir, "127.0.0.1:" + port, TestPki.SHARED.manager("m1")));
    long end = System.currentTimeMillis() + 20_000;
    while (!store.isLeader() && System.currentTimeMillis() < end) {
      Thread.sleep(20);
    }
    assertTrue(store.isLeader(), "a group of one elects itself");
    writer = new LeaderWriter(store);
    Node self = new Node("m1", "m1", NodeRole.MANAGER, Availability.ACTIVE, Map.of(), "127.0.0.1", 2377, port,
        NodeStatus.READY, 2000, 1L << 30, 0);
    writer.write(s -> new Command.Init("c", new JoinTokens("w", "m"), null, ClusterSettings.DEFAULT, self, NetworkAllocator.ingress(0)))
        .get(15, TimeUnit.SECONDS);
  }

  @AfterEach
  void stop() throws Exception {
    writer.close();
    store.close();
    try (var w = Files.walk(dir)) {
      w.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  private static ServiceSpec spec(String name) {
    return new ServiceSpec(name, null, 1, List.of(), List.of(), null, List.of(), 0, 0, Map.of(), "sleep", List.of(), null, null);
  }

  @Test
  void writesInFlightAreSeenByTheNextDecisionSoAllocationsNeverCollide() throws Exception {
    RandomIds ids = new RandomIds();
    List<CompletableFuture<ClusterState>> writes = new ArrayList<>();
    java.util.concurrent.atomic.AtomicInteger decidedAhead = new java.util.concurrent.atomic.AtomicInteger();
    for (int i = 0; i < 300; i++) {
      String name = "s" + i;
      writes.add(writer.write(s -> {
        if (s.services().size() > store.local().services().size()) {
          decidedAhead.incrementAndGet(); // on the state the writes in flight lead to
        }
        return new Command.PutService(ServiceAllocator.create(s, spec(name), 0, ids));
      }));
    }
    for (CompletableFuture<ClusterState> w : writes) {
      w.get(30, TimeUnit.SECONDS);
    }
    ClusterState s = store.local();
    assertEquals(300, s.services().size());
    Set<Integer> marks = new HashSet<>();
    s.services().values().forEach(x -> marks.add(x.mark()));
    assertEquals(300, marks.size(), "every decision took a mark no earlier write had taken");
    assertEquals(256 + 299, marks.stream().mapToInt(Integer::intValue).max().orElseThrow(), "the smallest free each time");
    assertTrue(decidedAhead.get() > 0, "300 writes queued at once: some were decided before the previous one was committed");
  }

  @Test
  void aCommandTheStateAheadRefusesIsRefusedWithoutALogEntry() throws Exception {
    RandomIds ids = new RandomIds();
    Service first = writer.write(s -> new Command.PutService(ServiceAllocator.create(s, spec("web"), 0, ids)))
        .get(15, TimeUnit.SECONDS).service("web").orElseThrow();
    long index = store.local().index();
    Service clash = new Service("other", spec("web"), 1, first.mark() + 1, Map.of(), 0, 0);
    ExecutionException e = assertThrows(ExecutionException.class,
        () -> writer.write(s -> new Command.PutService(clash)).get(15, TimeUnit.SECONDS));
    assertInstanceOf(CommandRejectedException.class, e.getCause());
    assertEquals("service name web is taken", e.getCause().getMessage());
    assertEquals(index, store.local().index(), "nothing was written to the log");
    assertEquals(index, writer.write(s -> null).get(15, TimeUnit.SECONDS).index());
  }
}
