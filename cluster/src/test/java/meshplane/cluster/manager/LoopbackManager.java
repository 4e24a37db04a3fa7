package meshplane.cluster.manager;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import meshplane.cluster.api.ApiClient;
import meshplane.cluster.api.ApiServer;
import meshplane.cluster.api.ApiTarget;
import meshplane.cluster.api.ClientTls;
import meshplane.cluster.api.Router;
import meshplane.cluster.api.ServerTls;
import meshplane.cluster.api.TestPki;
import meshplane.cluster.model.Availability;
import meshplane.cluster.model.ClusterSettings;
import meshplane.cluster.model.Command;
import meshplane.cluster.model.Node;
import meshplane.cluster.model.NodeRole;
import meshplane.cluster.model.NodeStatus;
import meshplane.cluster.orchestrator.NetworkAllocator;
import meshplane.cluster.raft.RaftStoreConfig;
import meshplane.pki.CertRole;
import meshplane.pki.LiveCredentials;

/**
 * One manager of a swarm of its own (cluster {@code pki.clusterId}) on loopback, for the manager's
 * tests: its Raft store in a temporary folder, {@code swarm init} written with the PKI's CA and
 * tokens (heartbeat 10 minutes, so no node goes down during a test), the API over mutual TLS on a
 * free port. Its node is {@code nodeId}, hostname {@code m1}.
 */
final class LoopbackManager implements AutoCloseable {
  final Manager manager;
  final ApiServer api;
  final ApiTarget target;
  final LiveCredentials self;
  private final Path dir;

  private LoopbackManager(Manager manager, ApiServer api, LiveCredentials self, Path dir) {
    this.manager = manager;
    this.api = api;
    this.target = new ApiTarget("127.0.0.1", api.address().getPort(), null);
    this.self = self;
    this.dir = dir;
  }

  static LoopbackManager start(TestPki pki, String nodeId, String folder) throws Exception {
    Path dir = Files.createTempDirectory(folder);
    int raft;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      raft = s.getLocalPort();
    }
    Router router = new Router();
    LiveCredentials self = pki.credentials(nodeId, CertRole.MANAGER);
    Manager manager = Manager.start(RaftStoreConfig.founding(dir.resolve("raft"), "127.0.0.1:" + raft, self), router, self);
    assertTrue(manager.awaitLeadership(Duration.ofSeconds(20)), "a one-manager group leads itself");
    long now = System.currentTimeMillis();
    Node m1 = new Node(nodeId, "m1", NodeRole.MANAGER, Availability.ACTIVE, Map.of(), "127.0.0.1", 2377, raft, NodeStatus.READY,
        2000, 4L << 30, now);
    manager.propose(new Command.Init(pki.clusterId, pki.tokens, pki.pki(), new ClusterSettings(600_000, 30000, 32767), m1,
        NetworkAllocator.ingress(now))).get(15, TimeUnit.SECONDS);
    ApiServer api = ApiServer.tcp(router, new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), new ServerTls(self));
    return new LoopbackManager(manager, api, self, dir);
  }

  /** A client as the manager's own node. */
  ApiClient asSelf() {
    return new ApiClient(target, ClientTls.of(self, CertRole.MANAGER));
  }

  @Override
  public void close() throws Exception {
    api.close();
    manager.close();
    try (var w = Files.walk(dir)) {
      w.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }
}
