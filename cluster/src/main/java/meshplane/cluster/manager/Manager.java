package meshplane.cluster.manager;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import meshplane.cluster.api.ClientTls;
import meshplane.cluster.api.Router;
import meshplane.pki.CertRole;
import meshplane.pki.LiveCredentials;
import meshplane.cluster.model.ClusterState;
import meshplane.cluster.model.Command;
import meshplane.cluster.orchestrator.IdGenerator;
import meshplane.cluster.orchestrator.RandomIds;
import meshplane.cluster.raft.RaftStore;
import meshplane.cluster.raft.RaftStoreConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One manager: its Raft replica, the cluster routes on the daemon's API, the dispatcher and the
 * orchestrator loop (active while it leads). {@code bootstrap} starts a new one-manager Raft
 * group ({@code swarm init}); otherwise the store waits to be added by the leader (join, promote).
 */
public final class Manager implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Manager.class);
  /** The route prefixes a manager serves; a worker answers them with 503. */
  public static final List<String> PREFIXES = List.of("/v1/swarm/join-token", "/v1/swarm/register", "/v1/swarm/raft-join",
      "/v1/swarm/ca", "/v1/swarm/ca/rotate", "/v1/swarm/renew", "/v1/swarm/client-cert", "/v1/swarm/update",
      "/v1/state", "/v1/nodes", "/v1/networks", "/v1/services", "/v1/agent");

  private final RaftStore store;
  private final LeaderWriter writer;
  private final StateWatch watch;
  private final OrchestratorLoop loop;
  private final Router router;

  private final LeaderProxy proxy;

  private Manager(RaftStoreConfig storeConfig, Router router, LiveCredentials credentials) {
    this.router = router;
    try {
      this.store = RaftStore.start(storeConfig);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException("cannot start the Raft store in " + storeConfig.dataDir(), e);
    }
    this.writer = new LeaderWriter(store);
    this.watch = new StateWatch(store.local());
    IdGenerator ids = new RandomIds();
    Dispatcher dispatcher = new Dispatcher(writer);
    this.loop = new OrchestratorLoop(store, writer, dispatcher, ids);
    store.addStateListener(watch::changed);
    store.addStateListener(new RootRotationWatcher(store, writer)::changed);
    store.addCommandListener(loop::applied);
    store.addLeaderListener(loop::leaderChanged);
    if (store.isLeader()) {
      loop.leaderChanged(true);
    }
    this.proxy = new LeaderProxy(store, ClientTls.of(credentials, CertRole.MANAGER));
    ManagerContext ctx = new ManagerContext(store, writer, proxy, dispatcher, watch, new Assignments(watch), ids,
        new CertificateIssuer());
    router.guard(new RemovedNodeGuard(store));
    new ClusterRoutes(ctx).register(router);
    new ServiceRoutes(ctx, new LogFanout(ClientTls.of(credentials, null))).register(router);
    new AgentRoutes(ctx).register(router);
    LOG.info("manager started: raft {} ({})", storeConfig.self(), storeConfig.initialPeers().isEmpty() ? "joining" : "new cluster");
  }

  /**
   * Starts the Raft store ({@link RaftStoreConfig#founding} or {@link RaftStoreConfig#joining}) and
   * registers the manager's routes; {@code credentials} are the node's, for its calls to the leader
   * and to the nodes.
   */
  public static Manager start(RaftStoreConfig storeConfig, Router router, LiveCredentials credentials) {
    return new Manager(storeConfig, router, credentials);
  }

  public RaftStore store() {
    return store;
  }

  /** Proposes {@code c} on the leader's writer (this manager must lead). */
  public CompletableFuture<ClusterState> propose(Command c) {
    return writer.write(s -> c);
  }

  /** Waits until this manager leads, its state current (true), or {@code limit} passes (false). */
  public boolean awaitLeadership(Duration limit) throws InterruptedException {
    long end = System.nanoTime() + limit.toNanos();
    while (System.nanoTime() < end) {
      if (store.isLeader()) {
        return true;
      }
      Thread.sleep(50);
    }
    return false;
  }

  /** Waits until this replica holds an initialized state (a joining manager catching up). */
  public boolean awaitState(Duration limit) throws InterruptedException {
    long end = System.nanoTime() + limit.toNanos();
    while (System.nanoTime() < end) {
      if (store.local().initialized()) {
        return true;
      }
      Thread.sleep(50);
    }
    return false;
  }

  @Override
  public void close() {
    PREFIXES.forEach(router::removePrefix);
    router.guard(null);
    proxy.close();
    loop.close();
    watch.close();
    writer.close();
    store.close();
  }
}
