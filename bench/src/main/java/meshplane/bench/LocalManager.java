package meshplane.bench;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import meshplane.cluster.api.ApiClient;
import meshplane.cluster.api.ApiServer;
import meshplane.cluster.api.ClientTls;
import meshplane.cluster.api.ServerTls;
import meshplane.cluster.model.ClusterPki;
import meshplane.pki.CertRole;
import meshplane.pki.ClusterCa;
import meshplane.pki.JoinToken;
import meshplane.pki.LiveCredentials;
import meshplane.pki.NodeIdentity;
import meshplane.cluster.api.ApiTarget;
import meshplane.cluster.api.Router;
import meshplane.cluster.manager.Manager;
import meshplane.cluster.model.Availability;
import meshplane.cluster.model.ClusterSettings;
import meshplane.cluster.model.Command;
import meshplane.cluster.model.JoinTokens;
import meshplane.cluster.model.Node;
import meshplane.cluster.model.NodeRole;
import meshplane.cluster.model.NodeStatus;
import meshplane.cluster.orchestrator.NetworkAllocator;
import meshplane.pki.CertRole;
import meshplane.pki.ClusterCa;
import meshplane.pki.NodeCredentials;
import meshplane.pki.NodeIdentity;
import meshplane.pki.NodeKey;

/**
 * A one-manager swarm in this JVM, as {@code swarm init} makes it but with no node daemon: the
 * Raft store in a temporary folder (removed on close), its log fsynced as in production, the
 * manager's API on a free loopback port. The manager node ({@value #HOSTNAME}) is READY and
 * takes tasks; no agent runs, so they stay ASSIGNED. Its heartbeat period is long enough that
 * the dispatcher never writes it down during a run.
 */
final class LocalManager implements AutoCloseable {
  /** The manager's own node: the one the bench's services are placed on and its pollers ask for. */
  static final String NODE_ID = "m1benchnode0000000000000";

  static final String HOSTNAME = "m1";

  private final Path dir;
  private final Manager manager;
  private final ApiServer api;
  private final ApiServer local;
  private final LiveCredentials credentials;

  private LocalManager(Path dir, Manager manager, ApiServer api, ApiServer local, LiveCredentials credentials) {
    this.dir = dir;
    this.manager = manager;
    this.api = api;
    this.local = local;
    this.credentials = credentials;
  }

  static LocalManager start() throws Exception {
    Path dir = Files.createTempDirectory("mp-bench-control");
    int raft = freePort();
    Router router = new Router();
    ClusterCa ca = ClusterCa.create();
    LiveCredentials creds = new LiveCredentials(ca.credentialsFor(new NodeIdentity(NODE_ID, CertRole.MANAGER, "bench"),
        ClusterCa.NODE_VALIDITY));
    Manager manager = Manager.start(meshplane.cluster.raft.RaftStoreConfig.founding(dir.resolve("raft"), "127.0.0.1:" + raft,
        creds), router, creds);
    try {
      if (!manager.awaitLeadership(Duration.ofSeconds(30))) {
        throw new IllegalStateException("the one-manager Raft group on 127.0.0.1:" + raft + " did not elect itself within 30 s");
      }
      long now = System.currentTimeMillis();
      Node self = new Node(NODE_ID, HOSTNAME, NodeRole.MANAGER, Availability.ACTIVE, Map.of(), "127.0.0.1",
          2377, raft, NodeStatus.READY, 64_000, 256L << 30, now);
      manager.propose(new Command.Init("bench", new JoinTokens(JoinToken.generate(ca.root()).text(),
          JoinToken.generate(ca.root()).text()), new ClusterPki(ca.rootPem(), ca.keyPem(), java.util.Set.of()),
          new ClusterSettings(3_600_000, 30000, 32767), self, NetworkAllocator.ingress(now))).get(30, TimeUnit.SECONDS);
      ApiServer api = ApiServer.tcp(router, new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), new ServerTls(creds));
      ApiServer local = ApiServer.unix(router, dir.resolve("api.sock"));
      return new LocalManager(dir, manager, api, local, creds);
    } catch (Exception | Error e) {
      manager.close();
      delete(dir);
      throw e;
    }
  }

  /** A manager certificate of a CA of the bench's own, for the one manager's Raft port (mutual TLS). */
  private static NodeCredentials credentials() {
    ClusterCa ca = ClusterCa.create();
    NodeKey k = NodeKey.generate();
    return new NodeCredentials(k.privateKey(), ca.issue(k.csr(), new NodeIdentity(NODE_ID, CertRole.MANAGER, "bench"),
        ClusterCa.NODE_VALIDITY), ca.root());
  }

  ApiTarget target() {
    return new ApiTarget("127.0.0.1", api.address().getPort(), null);
  }

  /** As the manager's own node, over mutual TLS (the bench's clients and pollers are that node). */
  ClientTls tls() {
    return ClientTls.of(credentials, CertRole.MANAGER);
  }

  ApiClient client() {
    return new ApiClient(target(), tls());
  }

  /** The same manager's local unix socket (no TLS): the benchmark's baseline. */
  ApiClient localClient() {
    return new ApiClient(ApiTarget.unix(dir.resolve("api.sock")));
  }

  Manager manager() {
    return manager;
  }

  @Override
  public void close() throws IOException {
    try {
      api.close();
      local.close();
    } finally {
      manager.close();
      delete(dir);
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  private static void delete(Path dir) throws IOException {
    try (var w = Files.walk(dir)) {
      w.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }
}
