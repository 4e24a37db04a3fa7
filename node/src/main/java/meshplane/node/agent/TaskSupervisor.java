package meshplane.node.agent;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import meshplane.node.exec.RunningTask;
import meshplane.node.exec.TaskExecutor;
import meshplane.node.exec.TaskLaunch;
import meshplane.cluster.assignment.AssignedTask;
import meshplane.cluster.assignment.TaskRuntime;
import meshplane.cluster.model.TaskReport;
import meshplane.dataplane.TaskEndpoints;
import meshplane.cluster.model.TaskState;
import meshplane.netlink.NetNamespace;
import meshplane.netlink.rtnl.RtnlHandle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs this node's tasks as its assignment says: a task with desired RUNNING is prepared
 * (before the data plane is applied, so its namespace can be plumbed), then started; one with
 * desired SHUTDOWN, or gone from the assignment, is stopped (SIGTERM, then SIGKILL after the grace
 * period) and cleaned up. A task that exits is reported COMPLETE or FAILED and never restarted
 * here: the orchestrator decides (restart policy). After a restart of the agent, tasks still
 * running are adopted, not restarted.
 */
final class TaskSupervisor implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(TaskSupervisor.class);
  static final Duration STOP_GRACE = Duration.ofSeconds(10);
  /** In a task's state folder: the name of the executor that runs it (for leftovers after a restart). */
  static final String EXECUTOR_FILE = "executor";

  private final String nodeId;
  private final String nodeNamespace;
  private final Path logsDir;
  private final Path tasksDir;
  private final Map<String, TaskExecutor> executors;
  private final Map<String, LocalTask> tasks = new ConcurrentHashMap<>();
  private final Set<String> reclaiming = ConcurrentHashMap.newKeySet();
  private final ExecutorService stoppers = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "task-stop");
    t.setDaemon(true);
    return t;
  });

  TaskSupervisor(String nodeId, String nodeNamespace, Path logsDir, Path tasksDir, Map<String, TaskExecutor> executors) {
    this.nodeId = nodeId;
    this.nodeNamespace = nodeNamespace;
    this.logsDir = logsDir;
    this.tasksDir = tasksDir;
    this.executors = executors;
  }

  /** The namespace a task of this node runs in (the one its endpoints are named in). */
  String namespaceOf(String taskId) {
    return TaskEndpoints.namespace(nodeNamespace, taskId);
  }

  Path logFile(String taskId) {
    return logsDir.resolve(taskId + ".log");
  }

  boolean knows(String taskId) {
    return tasks.containsKey(taskId) || java.nio.file.Files.exists(logFile(taskId));
  }

  /**
   * Step one of a sync: prepares new tasks, adopts ones that survived a restart, stops the ones
   * no longer wanted. Returns true when tasks were prepared and wait for {@link #startPrepared}.
   */
  synchronized boolean sync(List<AssignedTask> assigned) {
    Set<String> mine = new HashSet<>();
    boolean prepared = false;
    for (AssignedTask t : assigned) {
      mine.add(t.id());
      boolean wanted = t.wanted();
      LocalTask local = tasks.get(t.id());
      if (wanted && local == null) {
        prepared |= prepare(t, t.runtime());
      } else if (!wanted && local != null) {
        stop(local);
      }
    }
    for (LocalTask local : new ArrayList<>(tasks.values())) {
      if (!mine.contains(local.launch.taskId())) {
        stop(local);
        if (local.state.isTerminal() && local.running == null) {
          tasks.remove(local.launch.taskId());
        }
      }
    }
    reclaimLeftovers();
    return prepared;
  }

  private boolean prepare(AssignedTask t, TaskRuntime rt) {
    TaskLaunch launch = new TaskLaunch(t.id(), t.name(), namespaceOf(t.id()), rt.image(), rt.command(),
        rt.env(), logFile(t.id()), tasksDir.resolve(t.id()));
    TaskExecutor exec = executors.get(rt.executor());
    if (exec == null) {
      tasks.put(t.id(), new LocalTask(launch, null, TaskState.REJECTED, "no executor \"" + rt.executor() + "\" on this node"));
      return false;
    }
    try {
      if (t.state() == TaskState.RUNNING || t.state() == TaskState.STARTING) {
        RunningTask adopted = exec.adopt(launch);
        if (adopted != null) {
          LocalTask lt = new LocalTask(launch, exec, TaskState.RUNNING, "adopted after an agent restart");
          lt.running = adopted;
          tasks.put(t.id(), lt);
          LOG.info("task {}: adopted (still running)", t.name());
          return false;
        }
      }
      java.nio.file.Files.createDirectories(logsDir);
      java.nio.file.Files.createDirectories(launch.stateDir());
      java.nio.file.Files.writeString(launch.stateDir().resolve(EXECUTOR_FILE), exec.name());
      exec.prepare(launch);
      if (t.attachments().isEmpty() && !NetNamespace.exists(launch.netns())) {
        isolatedNamespace(launch.netns()); // no network: the routing mesh makes nothing for it
      }
      tasks.put(t.id(), new LocalTask(launch, exec, TaskState.ASSIGNED, "preparing"));
      return true;
    } catch (Exception e) {
      LOG.warn("task {}: rejected: {}", t.name(), e.getMessage());
      tasks.put(t.id(), new LocalTask(launch, exec, TaskState.REJECTED, String.valueOf(e.getMessage())));
      cleanupLater(tasks.get(t.id()));
      return false;
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

  /**
   * Tasks of an earlier run of this agent that nobody wants now (their node was down, so they
   * were orphaned and removed from the state): found by their state folders, stopped if they
   * still run, and cleaned up.
   */
  private void reclaimLeftovers() {
    List<Path> dirs;
    try (var list = java.nio.file.Files.list(tasksDir)) {
      dirs = list.filter(java.nio.file.Files::isDirectory).toList();
    } catch (java.nio.file.NoSuchFileException e) {
      return;
    } catch (java.io.IOException e) {
      LOG.warn("cannot list {}: {}", tasksDir, e.getMessage());
      return;
    }
    for (Path dir : dirs) {
      String id = dir.getFileName().toString();
      if (tasks.containsKey(id) || !reclaiming.add(id)) {
        continue;
      }
      TaskExecutor exec = executors.get(executorOf(dir));
      TaskLaunch launch = new TaskLaunch(id, id, namespaceOf(id), "",
          List.of(), Map.of(), logFile(id), dir);
      stoppers.execute(() -> {
        try {
          RunningTask r = exec == null ? null : exec.adopt(launch);
          if (r != null && r.isAlive()) {
            LOG.info("task {}: still running from an earlier run, no longer wanted: stopping it", id);
            r.stop(STOP_GRACE);
          }
        } catch (RuntimeException e) {
          LOG.warn("task {}: stopping a leftover: {}", id, e.getMessage());
        } finally {
          cleanup(new LocalTask(launch, exec, TaskState.SHUTDOWN, "left over"));
          reclaiming.remove(id);
        }
      });
    }
  }

  private static String executorOf(Path stateDir) {
    try {
      return java.nio.file.Files.readString(stateDir.resolve(EXECUTOR_FILE)).strip();
    } catch (java.io.IOException e) {
      return meshplane.node.exec.ProcessExecutor.NAME;
    }
  }

  /** Step two of a sync, after the data plane has plumbed the prepared tasks' endpoints. */
  synchronized void startPrepared() {
    for (LocalTask lt : tasks.values()) {
      if (lt.state == TaskState.ASSIGNED && !lt.stopping) {
        try {
          lt.running = lt.executor.start(lt.launch);
          lt.set(TaskState.RUNNING, "started", null);
          LOG.info("task {}: running in {}", lt.launch.taskName(), lt.launch.netns());
        } catch (Exception e) {
          LOG.warn("task {}: failed to start: {}", lt.launch.taskName(), e.getMessage());
          lt.set(TaskState.FAILED, "starting: " + e.getMessage(), null);
          cleanupLater(lt);
        }
      }
    }
  }

  /** Notices tasks that ended by themselves. */
  void monitor() {
    for (LocalTask lt : tasks.values()) {
      RunningTask r = lt.running;
      if (r != null && lt.state == TaskState.RUNNING && !lt.stopping && !r.isAlive()) {
        int code = r.exitCode().orElse(-1);
        lt.set(code == 0 ? TaskState.COMPLETE : TaskState.FAILED, code == 0 ? "finished" : "task: non-zero exit (" + code + ")", code);
        LOG.info("task {}: exited {}", lt.launch.taskName(), code);
        cleanupLater(lt);
      }
    }
  }

  private void stop(LocalTask lt) {
    if (lt.stopping || (lt.state.isTerminal() && lt.running == null)) {
      return;
    }
    lt.stopping = true;
    stoppers.execute(() -> {
      RunningTask r = lt.running;
      try {
        if (r != null && r.isAlive()) {
          r.stop(STOP_GRACE);
        }
      } catch (RuntimeException e) {
        LOG.warn("task {}: stop failed: {}", lt.launch.taskName(), e.getMessage());
      }
      if (!lt.state.isTerminal()) {
        lt.set(TaskState.SHUTDOWN, "shut down", r == null ? null : r.exitCode().isPresent() ? r.exitCode().getAsInt() : null);
      }
      cleanup(lt);
      lt.running = null;
      LOG.info("task {}: shut down", lt.launch.taskName());
    });
  }

  private void cleanupLater(LocalTask lt) {
    stoppers.execute(() -> cleanup(lt));
  }

  private void cleanup(LocalTask lt) {
    try {
      if (lt.executor != null) {
        lt.executor.cleanup(lt.launch);
      }
      if (NetNamespace.exists(lt.launch.netns())) {
        NetNamespace.delete(lt.launch.netns());
      }
    } catch (RuntimeException e) {
      LOG.warn("task {}: cleanup: {}", lt.launch.taskName(), e.getMessage());
    }
  }

  /** What the next heartbeat says: every task this agent holds. */
  List<TaskReport> reports() {
    return tasks.values().stream().map(LocalTask::report).toList();
  }

  /** Stops every task (the daemon stops, or the node leaves), waiting for them to end. */
  void stopAll() {
    synchronized (this) {
      tasks.values().forEach(this::stop);
    }
    stoppers.shutdown();
    try {
      stoppers.awaitTermination(STOP_GRACE.toSeconds() + 5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    stoppers.shutdownNow();
  }
}
