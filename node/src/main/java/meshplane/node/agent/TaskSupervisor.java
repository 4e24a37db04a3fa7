package meshplane.node.agent;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import meshplane.cluster.assignment.AssignedTask;
import meshplane.cluster.assignment.TaskRuntime;
import meshplane.cluster.model.TaskReport;
import meshplane.cluster.model.TaskState;
import meshplane.dataplane.TaskEndpoints;
import meshplane.netlink.NetNamespace;
import meshplane.netlink.rtnl.RtnlHandle;
import meshplane.node.exec.TaskController;
import meshplane.node.exec.TaskExecutor;
import meshplane.node.exec.TaskLaunch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs this node's tasks as its assignment says, by {@link TaskStep}: on each sync, after each
 * data-plane apply and on each monitor tick, every task is observed and taken through the steps
 * that apply, each done through its {@link TaskController}. The supervisor decides nothing
 * itself. Tasks that survived an agent restart are adopted; task state folders nobody wants any
 * more (leftovers of an earlier run) are taken as tasks gone from the assignment: stopped if
 * they still run, and removed.
 *
 * <p>Threads: none per task. Steps run on the caller's thread (the agent's sync and monitor
 * threads); a stop is a signal and a deadline, not a wait; only removals (docker rm, namespace
 * unmount) go to a pool of {@value #REMOVERS} threads that end when idle.
 */
final class TaskSupervisor implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(TaskSupervisor.class);
  static final int REMOVERS = 2;
  /** Steps one task takes in a row at most (a task settles in far fewer: NEW, FRESH, PREPARED). */
  private static final int MAX_STEPS = 8;
  private static final long STOP_ALL_POLL_MILLIS = 100;

  private final String nodeNamespace;
  private final TaskFolders folders;
  private final Map<String, TaskExecutor> executors;
  private final Map<String, LocalTask> tasks = new ConcurrentHashMap<>();
  private final ThreadPoolExecutor removers;
  private boolean closing;
  /** How often the logs of ended tasks beyond {@link TaskLogRetention#KEEP_ENDED} are removed (on a monitor tick). */
  private static final Duration LOG_PRUNE_EVERY = Duration.ofSeconds(10);
  private long lastLogPrune = System.nanoTime();

  TaskSupervisor(String nodeNamespace, Path logsDir, Path tasksDir, Map<String, TaskExecutor> executors) {
    this.nodeNamespace = nodeNamespace;
    this.folders = new TaskFolders(logsDir, tasksDir);
    this.executors = Map.copyOf(executors);
    this.removers = new ThreadPoolExecutor(REMOVERS, REMOVERS, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
      Thread t = new Thread(r, "task-remove");
      t.setDaemon(true);
      return t;
    });
    removers.allowCoreThreadTimeOut(true);
  }

  /** The namespace a task of this node runs in (the one its endpoints are named in). */
  String namespaceOf(String taskId) {
    return TaskEndpoints.namespace(nodeNamespace, taskId);
  }

  Path logFile(String taskId) {
    return folders.logFile(taskId);
  }

  boolean knows(String taskId) {
    return tasks.containsKey(taskId) || Files.exists(logFile(taskId));
  }

  /**
   * Step one of a sync: records what the assignment wants of each task (and of the leftovers:
   * nothing), then steps every task. New tasks are prepared here, before the data plane is
   * applied; {@link #dataplaneApplied} starts them.
   */
  synchronized void sync(List<AssignedTask> assigned) {
    if (closing) {
      return;
    }
    Set<String> listed = new HashSet<>();
    Set<String> withFolder = stateFolders();
    for (AssignedTask t : assigned) {
      listed.add(t.id());
      Wanted wanted = t.wanted() ? Wanted.RUNNING : Wanted.SHUTDOWN;
      // a task with a state folder of an earlier run may run though the managers never heard it start
      // (the agent was killed before it reported): adopted, not started a second time
      boolean startedBefore = t.state() == TaskState.STARTING || t.state() == TaskState.RUNNING || withFolder.contains(t.id());
      LocalTask lt = tasks.computeIfAbsent(t.id(), id -> newTask(t, wanted, startedBefore));
      lt.wanted = wanted;
      lt.startedBefore = startedBefore;
    }
    for (LocalTask lt : tasks.values()) {
      if (!listed.contains(lt.id)) {
        lt.wanted = Wanted.GONE;
      }
    }
    for (String id : withFolder) {
      tasks.computeIfAbsent(id, this::leftover);
    }
    tasks.values().forEach(this::advance);
  }

  /** The ids of the tasks with a state folder (of this run or an earlier one); none when they cannot be listed. */
  private Set<String> stateFolders() {
    try {
      return new HashSet<>(folders.withStateFolder());
    } catch (RuntimeException e) {
      LOG.warn("looking for tasks left by an earlier run: {}", e.getMessage());
      return Set.of();
    }
  }

  /** Step two of a sync: the data plane has plumbed the prepared tasks' endpoints; they start. */
  synchronized void dataplaneApplied() {
    for (LocalTask lt : tasks.values()) {
      if (lt.local == LocalState.PREPARED) {
        lt.plumbed = true;
        advance(lt);
      }
    }
  }

  /**
   * The monitor's tick: notices tasks that ended, times stops, removes and forgets. Tasks not
   * started yet are left to the sync, which prepares them before the data plane is applied and
   * starts them after.
   */
  void tick() {
    for (LocalTask lt : tasks.values()) {
      if (!lt.local.beforeStart()) {
        advance(lt);
      }
    }
    long now = System.nanoTime();
    if (now - lastLogPrune > LOG_PRUNE_EVERY.toNanos()) {
      lastLogPrune = now;
      try {
        TaskLogRetention.prune(folders.logsDir(), Set.copyOf(tasks.keySet()), TaskLogRetention.KEEP_ENDED);
      } catch (RuntimeException e) {
        LOG.warn("removing old tasks' logs: {}", e.getMessage());
      }
    }
  }

  /** What the next heartbeat says: every task this agent has a word on. */
  List<TaskReport> reports() {
    return tasks.values().stream().map(lt -> lt.report).filter(Objects::nonNull).toList();
  }

  private LocalTask newTask(AssignedTask t, Wanted wanted, boolean startedBefore) {
    TaskRuntime rt = t.runtime();
    String executor = rt != null ? rt.executor() : folders.executorOf(t.id()).orElse(null);
    TaskLaunch launch = rt != null
        ? new TaskLaunch(t.id(), t.name(), namespaceOf(t.id()), rt.image(), rt.command(), rt.env(), logFile(t.id()),
            folders.stateDir(t.id()), rt.limits(), rt.logOptions())
        : launchOfLeftover(t.id(), t.name());
    return new LocalTask(t.id(), t.name(), executor, controller(executor, launch), t.attachments().isEmpty(),
        wanted, startedBefore);
  }

  /** A state folder of a task no longer in the assignment, found after an agent restart. */
  private LocalTask leftover(String id) {
    String executor = folders.executorOf(id).orElse(null);
    return new LocalTask(id, id, executor, controller(executor, launchOfLeftover(id, id)), false, Wanted.GONE, false);
  }

  private TaskLaunch launchOfLeftover(String id, String name) {
    return new TaskLaunch(id, name, namespaceOf(id), "", List.of(), Map.of(), logFile(id), folders.stateDir(id));
  }

  private TaskController controller(String executor, TaskLaunch launch) {
    TaskExecutor e = executor == null ? null : executors.get(executor);
    return e == null ? null : new TaskController(e, launch);
  }

  /** Takes the task through the steps that apply now, unless another thread has it. */
  private void advance(LocalTask lt) {
    if (!lt.claim()) {
      return;
    }
    boolean handedOff = false;
    try {
      for (int i = 0; i < MAX_STEPS; i++) {
        TaskObservation o;
        try {
          o = lt.observe(System.nanoTime());
        } catch (RuntimeException e) {
          LOG.warn("task {}: cannot tell whether it still runs: {}", lt.name, e.getMessage());
          return; // the next step tries again; the other tasks go on
        }
        TaskAction action = TaskStep.next(o);
        switch (action) {
          case NONE:
            return;
          case FORGET:
            tasks.remove(lt.id, lt);
            return;
          case REMOVE:
            handedOff = removeLater(lt, o);
            return;
          default:
            lt.apply(perform(lt, action, o), System.currentTimeMillis());
            if (lt.local == o.local()) {
              return; // a repeated signal: the next tick takes the next step
            }
        }
      }
    } finally {
      if (!handedOff) {
        lt.release();
      }
    }
  }

  private boolean removeLater(LocalTask lt, TaskObservation o) {
    Runnable removal = () -> {
      try {
        lt.apply(perform(lt, TaskAction.REMOVE, o), System.currentTimeMillis());
      } finally {
        lt.release();
      }
    };
    try {
      removers.execute(removal);
      return true;
    } catch (RejectedExecutionException closed) {
      lt.apply(perform(lt, TaskAction.REMOVE, o), System.currentTimeMillis());
      return false;
    }
  }

  /** Does one action through the task's controller; the outcome is {@link TaskStep}'s. */
  private TaskTransition perform(LocalTask lt, TaskAction action, TaskObservation o) {
    TaskController c = lt.controller;
    try {
      switch (action) {
        case ADOPT -> {
          if (!c.adopt()) {
            return TaskStep.failed(action, o, "nothing to adopt");
          }
        }
        case PREPARE -> prepare(lt);
        case START -> c.start();
        case SHUTDOWN -> c.shutdown();
        case TERMINATE -> c.terminate();
        case REMOVE -> remove(lt);
        default -> {
          // REJECT, CANCEL, REPORT_EXIT, REPORT_STOPPED, ABANDON: only the report changes
        }
      }
    } catch (RuntimeException e) {
      TaskTransition t = TaskStep.failed(action, o, String.valueOf(e.getMessage()));
      LOG.warn("task {}: {} failed: {}", lt.name, action.name().toLowerCase(java.util.Locale.ROOT), e.getMessage());
      logReport(lt, t);
      return t;
    }
    TaskTransition t = TaskStep.succeeded(action, o);
    if (action == TaskAction.REPORT_EXIT && t.report() == meshplane.cluster.model.TaskState.FAILED) {
      t = withEndReason(c, t);
    }
    logReport(lt, t);
    return t;
  }

  /** The report's message led by why the task ended, when its executor knows: "OOM killed (memory limit 64 MiB): task: non-zero exit (137)". */
  private static TaskTransition withEndReason(TaskController c, TaskTransition t) {
    try {
      return c.endReason().map(why -> new TaskTransition(t.next(), t.report(), why + ": " + t.message(), t.exitCode()))
          .orElse(t);
    } catch (RuntimeException e) {
      LOG.warn("cannot tell why a task ended: {}", e.getMessage());
      return t;
    }
  }

  private void prepare(LocalTask lt) {
    TaskLaunch launch = lt.controller.launch();
    folders.create(lt.id, lt.controller.executorName());
    lt.controller.prepare();
    if (lt.isolated && !NetNamespace.exists(launch.netns())) {
      isolatedNamespace(launch.netns());
    }
  }

  /**
   * The namespace of a task on no network (none named, no port published): only {@code lo},
   * up, as a container with network "none".
   */
  private static void isolatedNamespace(String name) {
    try (NetNamespace ns = NetNamespace.create(name); RtnlHandle h = RtnlHandle.open(ns)) {
      h.links().setUp("lo");
    }
  }

  /** What the executor made, the namespace, and (for a task of no executor here) the state folder. */
  private void remove(LocalTask lt) {
    String netns = namespaceOf(lt.id);
    if (lt.controller != null) {
      lt.controller.remove();
    } else {
      folders.deleteStateDir(lt.id);
    }
    NetNamespace.delete(netns); // also a bare file a create killed halfway left; nothing if none
  }

  private static void logReport(LocalTask lt, TaskTransition t) {
    if (t.report() != null) {
      LOG.info("task {}: {} ({})", lt.name, t.report().lower(), t.message());
    }
  }

  /**
   * Stops every task (the daemon stops, or the node leaves) and waits, at most the grace period
   * and the kill wait, for them to end and be removed. Leftovers stay for the next run.
   */
  void stopAll() {
    synchronized (this) {
      closing = true;
      tasks.values().forEach(lt -> lt.wanted = Wanted.GONE);
    }
    Duration limit = TaskStep.GRACE.plus(TaskStep.KILL_WAIT).plusSeconds(5);
    long deadline = System.nanoTime() + limit.toNanos();
    while (!tasks.isEmpty() && System.nanoTime() < deadline) {
      tasks.values().forEach(this::advance);
      try {
        Thread.sleep(STOP_ALL_POLL_MILLIS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    if (!tasks.isEmpty()) {
      LOG.warn("stopping every task: {} not done after {} s: {}", tasks.size(), limit.toSeconds(), tasks.values());
    }
  }

  @Override
  public void close() {
    removers.shutdownNow();
  }
}
