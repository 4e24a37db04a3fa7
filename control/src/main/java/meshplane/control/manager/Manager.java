package meshplane.control.manager;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import meshplane.control.api.Router;
import meshplane.control.daemon.DaemonConfig;
import meshplane.control.model.ClusterState;
import meshplane.control.model.Command;
import meshplane.control.orchestrator.IdGenerator;
import meshplane.control.orchestrator.RandomIds;
import meshplane.control.raft.RaftStore;
import meshplane.control.raft.RaftStoreConfig;
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
      "/v1/state", "/v1/nodes", "/v1/networks", "/v1/services", "/v1/agent");

  private final RaftStore store;
  private final LeaderWriter writer;
  private final StateWatch watch;
  private final OrchestratorLoop loop;
  private final Router router;

  private Manager(DaemonConfig cfg, Router router, boolean bootstrap) {
    this.router = router;
    try {
      this.store = RaftStore.start(bootstrap ? RaftStoreConfig.founding(cfg.raftDir(), cfg.raftAddress())
          : RaftStoreConfig.joining(cfg.raftDir(), cfg.raftAddress()));
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException("cannot start the Raft store in " + cfg.raftDir(), e);
    }
    this.writer = new LeaderWriter(store);
    this.watch = new StateWatch(store.local());
    IdGenerator ids = new RandomIds();
    Dispatcher dispatcher = new Dispatcher(writer);
    this.loop = new OrchestratorLoop(store, writer, dispatcher, ids);
    store.addStateListener(watch::changed);
    store.addLeaderListener(loop::leaderChanged);
    if (store.isLeader()) {
      loop.leaderChanged(true);
    }
    ManagerContext ctx = new ManagerContext(store, writer, new LeaderProxy(store), dispatcher, watch, ids);
    new ClusterRoutes(ctx).register(router);
    new ServiceRoutes(ctx, new LogFanout()).register(router);
    new AgentRoutes(ctx).register(router);
    LOG.info("manager started: raft {} ({})", cfg.raftAddress(), bootstrap ? "new cluster" : "joining");
  }

  public static Manager start(DaemonConfig cfg, Router router, boolean bootstrap) {
    return new Manager(cfg, router, bootstrap);
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
    loop.close();
    watch.close();
    writer.close();
    store.close();
  }
}
