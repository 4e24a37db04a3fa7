package meshplane.node.agent;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import meshplane.node.exec.TaskExecutor;
import meshplane.cluster.assignment.Assignment;
import meshplane.cluster.assignment.LocalDataplane;
import meshplane.dataplane.DataplaneState;
import meshplane.vxlan.VtepHost;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node agent. Four threads, however many tasks it runs: the session (a heartbeat every
 * period, carrying the tasks' reports), the assignment long poll, the sync (each new assignment:
 * tasks prepared, the data plane applied with the node's own endpoints added, tasks started;
 * then the assignment handed to the daemon's hook, which must not block), and a monitor that
 * ticks the task supervisor (tasks ending, stops timed). A sync that fails (a kernel error) is
 * retried with the next state or after a few seconds; it never stops the session.
 */
public final class Agent implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Agent.class);
  private static final long RETRY_MS = 3_000;

  private final AgentConfig cfg;
  private final String nodeId;
  private final ManagerLink link;
  private final TaskSupervisor supervisor;
  private final DataplaneApplier dataplane;
  private final Consumer<Assignment> onAssignment;
  private final AtomicBoolean running = new AtomicBoolean(true);
  private final AtomicReference<Assignment> latest = new AtomicReference<>();
  private final Object wake = new Object();
  private volatile long heartbeatMillis = 5_000;
  /** The version of the last assignment synced whole (tasks prepared, data plane applied), -1 before one. */
  private volatile long appliedVersion = -1;
  private volatile boolean dirty;
  private final List<Thread> threads;

  /** {@code tls}: the node's certificate, to the managers (which must show a manager's). */
  public Agent(AgentConfig cfg, String nodeId, List<String> managers, meshplane.cluster.api.ClientTls tls,
      Map<String, TaskExecutor> executors, Consumer<Assignment> onAssignment) {
    this.cfg = cfg;
    this.nodeId = nodeId;
    this.link = new ManagerLink(managers, tls);
    this.onAssignment = onAssignment;
    this.supervisor = new TaskSupervisor(cfg.namespace(), cfg.logsDir(), cfg.tasksDir(), executors);
    try {
      this.dataplane = new DataplaneApplier(new VtepHost(cfg.namespace(), (Inet4Address) InetAddress.getByName(cfg.addr()),
          cfg.underlayDevice()), cfg.lb());
    } catch (java.net.UnknownHostException e) {
      throw new IllegalArgumentException("advertise address " + cfg.addr() + " is not an IPv4 address", e);
    }
    this.threads = List.of(thread("agent-session", this::sessionLoop), thread("agent-poll", this::pollLoop),
        thread("agent-sync", this::syncLoop), thread("agent-monitor", this::monitorLoop));
    threads.forEach(Thread::start);
    LOG.info("agent of node {} started; managers {}", nodeId, managers);
  }

  public String nodeId() {
    return nodeId;
  }

  public List<String> managers() {
    return link.managers();
  }

  /** The version of the last assignment this agent synced whole, -1 before the first. */
  public long appliedVersion() {
    return appliedVersion;
  }

  public String loadBalancer() {
    return dataplane.loadBalancer();
  }

  public java.nio.file.Path logFile(String taskId) {
    return supervisor.logFile(taskId);
  }

  public boolean hasTask(String taskId) {
    return supervisor.knows(taskId);
  }

  private static Thread thread(String name, Runnable body) {
    Thread t = new Thread(body, name);
    t.setDaemon(true);
    return t;
  }

  /**
   * A heartbeat every period, and sooner when a task's state moved (checked every
   * {@value #REPORT_CHECK_MS} ms): a task that started or ended is reported at once, as SwarmKit's
   * agent reports task status, not up to a heartbeat period later.
   */
  private void sessionLoop() {
    java.util.Map<String, meshplane.cluster.model.TaskState> sent = java.util.Map.of();
    long lastBeat = 0;
    while (running.get()) {
      List<meshplane.cluster.model.TaskReport> reports = supervisor.reports();
      java.util.Map<String, meshplane.cluster.model.TaskState> states = new java.util.HashMap<>();
      reports.forEach(r -> states.put(r.taskId(), r.state()));
      if (System.currentTimeMillis() - lastBeat >= heartbeatMillis || !states.equals(sent)) {
        try {
          heartbeatMillis = link.heartbeat(reports);
          sent = states;
        } catch (IOException e) {
          LOG.warn("heartbeat to {} failed: {}", link.using(), e.getMessage());
        }
        lastBeat = System.currentTimeMillis();
      }
      sleep(Math.min(REPORT_CHECK_MS, heartbeatMillis));
    }
  }

  /** How often the session looks for task states to report before the next heartbeat is due. */
  static final long REPORT_CHECK_MS = 250;

  private void pollLoop() {
    long since = -1;
    while (running.get()) {
      try {
        Assignment a = link.assignment(since);
        if (a.version() != since) {
          since = a.version();
          latest.set(a);
          link.managers(a.managers());
          kick();
        }
      } catch (IOException e) {
        LOG.warn("state poll from {} failed: {}", link.using(), e.getMessage());
        sleep(1_000);
      }
    }
  }

  /** Asks the sync loop for another round (a new state, or a task that changed). */
  private void kick() {
    synchronized (wake) {
      dirty = true;
      wake.notifyAll();
    }
  }

  private void syncLoop() {
    while (running.get()) {
      synchronized (wake) {
        while (!dirty && running.get()) {
          try {
            wake.wait(RETRY_MS);
          } catch (InterruptedException e) {
            return;
          }
          if (!dirty) {
            dirty = true; // a periodic round: retries a failed apply, repairs drift
          }
        }
        dirty = false;
      }
      Assignment a = latest.get();
      if (a == null) {
        continue;
      }
      try {
        supervisor.sync(a.tasks());
        DataplaneState desired = LocalDataplane.of(a, cfg.namespace());
        List<String> changes = dataplane.apply(desired);
        if (!changes.isEmpty()) {
          LOG.info("data plane: {} change(s) at assignment {}", changes.size(), a.version());
        }
        supervisor.dataplaneApplied();
        appliedVersion = a.version();
      } catch (RuntimeException e) {
        LOG.warn("sync of assignment {} failed: {}", a.version(), e.toString());
      }
      try {
        onAssignment.accept(a);
      } catch (RuntimeException e) {
        LOG.warn("assignment hook failed: {}", e.toString());
      }
    }
  }

  private void monitorLoop() {
    while (running.get()) {
      supervisor.tick();
      sleep(500);
    }
  }

  private void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Leaves: stops every task and removes the node's data plane. */
  public void leave() {
    running.set(false);
    supervisor.stopAll();
    dataplane.reset();
  }

  @Override
  public void close() {
    running.set(false);
    threads.forEach(Thread::interrupt);
    supervisor.stopAll();
    supervisor.close();
    dataplane.close();
  }
}
