package meshplane.cluster.manager;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import meshplane.cluster.model.ClusterState;
import meshplane.cluster.model.Command;
import meshplane.cluster.orchestrator.Dirty;
import meshplane.cluster.orchestrator.IdGenerator;
import meshplane.cluster.orchestrator.Orchestrator;
import meshplane.cluster.orchestrator.Plan;
import meshplane.cluster.raft.RaftStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * On the leader, every tick: the dispatcher's session check, then the orchestrator's plan of what
 * changed, its commands written through the {@link LeaderWriter}. Every applied command marks
 * what it touched ({@link Dirty#of}, on the state machine's thread); a tick plans only that on the
 * writer's thread. A full pass runs on becoming leader, and every {@value #FULL_PASS_MS} ms as a
 * safety net, computed on this thread ({@link Orchestrator#drift}) so writes are not held up by
 * it: what it would change is marked and planned next tick. A converged cluster plans nothing, so
 * an idle cluster writes nothing to the log.
 */
final class OrchestratorLoop implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(OrchestratorLoop.class);
  static final long TICK_MS = 100;
  static final long FULL_PASS_MS = 10_000;
  private static final long WRITE_TIMEOUT_S = 30;

  private final RaftStore store;
  private final LeaderWriter writer;
  private final Dispatcher dispatcher;
  private final IdGenerator ids;
  private final AtomicBoolean leading = new AtomicBoolean();
  private final AtomicReference<Dirty> dirty = new AtomicReference<>(Dirty.NONE);
  private long nextFullPass;
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

  /**
   * On the state machine's thread, after each applied command: marks what it touched, while this
   * manager leads (a follower keeps no marks: becoming leader plans everything).
   */
  void applied(Command c, ClusterState after) {
    if (leading.get()) {
      mark(Dirty.of(c, after));
    }
  }

  private void mark(Dirty d) {
    if (!d.isEmpty()) {
      dirty.accumulateAndGet(d, Dirty::plus);
    }
  }

  void leaderChanged(boolean isLeader) {
    if (isLeader && !leading.getAndSet(true)) {
      LOG.info("this manager leads: orchestrating");
      mark(Dirty.ALL);
      dispatcher.becameLeader(store.local(), System.currentTimeMillis());
    } else if (!isLeader) {
      leading.set(false);
    }
  }

  private void tick() {
    if (!leading.get() || !store.isLeader()) {
      return;
    }
    Dirty d = Dirty.NONE;
    try {
      ClusterState s = store.local();
      if (!s.initialized()) {
        return;
      }
      long now = System.currentTimeMillis();
      dispatcher.checkSessions(s, now);
      if (now >= nextFullPass) {
        nextFullPass = now + FULL_PASS_MS;
        mark(Orchestrator.drift(s, now, ids)); // here, not on the writer's thread: writes go on meanwhile
      }
      d = dirty.getAndSet(Dirty.NONE);
      if (d.isEmpty()) {
        return;
      }
      Dirty planned = d;
      // planned on the writer's thread, on the state every earlier write leads to; its commands'
      // own changes come back as marks and are looked at again next tick (converged: no command)
      AtomicReference<Plan> plan = new AtomicReference<>();
      writer.writeAll(st -> {
        plan.set(Orchestrator.plan(st, planned, System.currentTimeMillis(), ids));
        return plan.get().commands();
      }).get(WRITE_TIMEOUT_S, TimeUnit.SECONDS);
      mark(Dirty.services(plan.get().recheck()));
    } catch (Exception e) {
      mark(d); // looked at again next tick
      LOG.warn("orchestrator round failed: {}", e.getCause() != null ? e.getCause().toString() : e.toString());
    }
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
