package meshplane.cluster.manager;

import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import meshplane.cluster.model.ClusterState;
import meshplane.cluster.model.Command;
import meshplane.cluster.orchestrator.IdGenerator;
import meshplane.cluster.orchestrator.Orchestrator;
import meshplane.cluster.raft.RaftStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * On the leader, every tick: the dispatcher's session check, then the orchestrator's plan,
 * each command written through the {@link LeaderWriter}. A converged cluster plans nothing, so
 * an idle cluster writes nothing to the log.
 */
final class OrchestratorLoop implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(OrchestratorLoop.class);
  static final long TICK_MS = 500;
  static final int MAX_WRITES_PER_TICK = 20;

  private final RaftStore store;
  private final LeaderWriter writer;
  private final Dispatcher dispatcher;
  private final IdGenerator ids;
  private final AtomicBoolean leading = new AtomicBoolean();
  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "orchestrator");
    t.setDaemon(true);
    return t;
  });

  OrchestratorLoop(RaftStore store, LeaderWriter writer, Dispatcher dispatcher, IdGenerator ids) {
    this.store = store;
    this.writer = writer;
    this.dispatcher = dispatcher;
    this.ids = ids;
    timer.scheduleWithFixedDelay(this::tick, TICK_MS, TICK_MS, TimeUnit.MILLISECONDS);
  }

  void leaderChanged(boolean isLeader) {
    if (isLeader && !leading.getAndSet(true)) {
      LOG.info("this manager leads: orchestrating");
      dispatcher.becameLeader(store.local(), System.currentTimeMillis());
    } else if (!isLeader) {
      leading.set(false);
    }
  }

  private void tick() {
    if (!leading.get() || !store.isLeader()) {
      return;
    }
    try {
      ClusterState s = store.local();
      if (!s.initialized()) {
        return;
      }
      long now = System.currentTimeMillis();
      dispatcher.checkSessions(s, now);
      // plan on the writer's thread so each plan sees every earlier write; a plan's commands
      // go one at a time, each re-planned on the state the previous one made (bounded per tick)
      for (int round = 0; round < MAX_WRITES_PER_TICK && leading.get(); round++) {
        AtomicBoolean wrote = new AtomicBoolean();
        writer.write(st -> {
          List<Command> plan = Orchestrator.plan(st, System.currentTimeMillis(), ids);
          wrote.set(!plan.isEmpty());
          return plan.isEmpty() ? null : plan.get(0);
        }).get(30, TimeUnit.SECONDS);
        if (!wrote.get()) {
          break;
        }
      }
    } catch (Exception e) {
      LOG.warn("orchestrator round failed: {}", e.getCause() != null ? e.getCause().toString() : e.toString());
    }
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
