package meshplane.node.exec;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The {@code process} executor (docs/executors.md): runs a task's program on the node, in the
 * task's network namespace (made by the routing mesh), in new UTS, mount and PID namespaces, with
 * hostname = task name and /etc/resolv.conf naming the embedded DNS (127.0.0.11), through the
 * command line of {@link TaskCommandLine}; their mount namespaces are copies of one {@link
 * TaskMountTemplate}, made in {@code RUN_DIR/task-mounts} when the first task starts and removed
 * by {@link #close}. A task is forked off, no child of the agent, so no thread of the agent waits
 * for it; its pid file names it, and tasks outlive the agent: {@link #adopt} finds them again from
 * that file. Thread-safe.
 */
public final class ProcessExecutor implements TaskExecutor {
  public static final String NAME = "process";
  static final String EXIT_FILE = "exit";
  /** Where the task's launcher writes its pid, read and removed by {@link #start}. */
  static final String LAUNCH_PID_FILE = "launch.pid";
  /** The FIFO the task's output goes through to its log writer (removed once both ends are open). */
  static final String LOG_FIFO = "log.fifo";
  /** How long {@link #start} waits for the task to be forked off and its pid written. */
  static final Duration LAUNCH_WAIT = Duration.ofSeconds(10);
  private static final Path NETNS_DIR = Path.of("/run/netns");

  private final TaskCommandLine.Tools tools;
  private final AgentJvm jvm;
  private final Path templateDir;
  private final Optional<CgroupHierarchy> cgroups;
  private TaskMountTemplate template;

  /**
   * Finds util-linux on this JVM's PATH; built-in images run on this JVM with this JVM's class
   * path. {@code runDir}: the node's runtime folder, where the mount template is kept.
   */
  public ProcessExecutor(Path runDir) {
    this(TaskCommandLine.Tools.find(nodePath()), AgentJvm.current(), runDir);
  }

  ProcessExecutor(TaskCommandLine.Tools tools, AgentJvm jvm, Path runDir) {
    this.tools = tools;
    this.jvm = jvm;
    this.templateDir = runDir.resolve("task-mounts");
    this.cgroups = CgroupHierarchy.detect();
  }

  /** The mount template, made on first use. */
  private synchronized TaskMountTemplate template() {
    if (template == null) {
      template = TaskMountTemplate.create(templateDir, tools);
    }
    return template;
  }

  @Override
  public String name() {
    return NAME;
  }

  /** Makes the state folder; the namespace is the routing mesh's. */
  @Override
  public String prepare(TaskLaunch launch) {
    try {
      Files.createDirectories(launch.stateDir());
    } catch (IOException e) {
      throw new UncheckedIOException("task " + launch.taskId() + ": cannot make its state folder " + launch.stateDir()
          + ": " + e.getMessage(), e);
    }
    return launch.netns();
  }

  /**
   * @throws IllegalArgumentException naming the image when it is no program on this node
   * @throws IllegalStateException when the namespace is missing or the program cannot be started
   */
  @Override
  public RunningTask start(TaskLaunch launch) {
    Map<String, String> env = environment(launch);
    TaskProgram program = TaskProgram.resolve(launch.image(), launch.command(), env, jvm);
    if (!Files.exists(NETNS_DIR.resolve(launch.netns()))) {
      throw new IllegalStateException("task " + launch.taskId() + ": its network namespace " + launch.netns()
          + " does not exist under " + NETNS_DIR);
    }
    if (!Files.isDirectory(launch.stateDir())) {
      prepare(launch);
    }
    Path mounts = template().namespaceFile();
    Path exitFile = launch.stateDir().resolve(EXIT_FILE);
    Path launchPidFile = launch.stateDir().resolve(LAUNCH_PID_FILE);
    TaskCgroup cgroup = cgroupFor(launch);
    TaskCommandLine.TaskOutput output = new TaskCommandLine.TaskOutput(launch.stateDir().resolve(LOG_FIFO),
        launch.logFile(), launch.logOptions().maxSizeOrDefault(), launch.logOptions().maxFileOrDefault());
    List<String> argv = TaskCommandLine.of(tools, launch.netns(), mounts, launch.taskName(), exitFile, launchPidFile,
        output, cgroup == null ? List.of() : cgroup.procsFiles(), program);
    ProcessBuilder pb = new ProcessBuilder(argv).directory(new File("/")).redirectErrorStream(true)
        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
        .redirectOutput(ProcessBuilder.Redirect.appendTo(launch.logFile().toFile()));
    pb.environment().clear();
    pb.environment().putAll(env);
    try {
      Files.deleteIfExists(exitFile);
      Files.deleteIfExists(launchPidFile);
      Path logDir = launch.logFile().toAbsolutePath().getParent();
      if (logDir != null) {
        Files.createDirectories(logDir);
      }
      awaitFork(launch, pb.start());
    } catch (IOException e) {
      throw new IllegalStateException("task " + launch.taskId() + ": cannot start " + program.argv().get(0) + ": "
          + e.getMessage(), e);
    }
    long pid = awaitLaunchPid(launch, launchPidFile);
    TaskPidFile pidFile = new TaskPidFile(pid, TaskProcesses.startTime(pid).orElse(-1));
    ProcessTask task = new ProcessTask(launch.taskId(), pid, pidFile.startTime(), exitFile, cgroup);
    try {
      pidFile.write(launch.stateDir());
      // only once the pid file names the task: an agent killed before that adopts it from the launcher's file
      Files.deleteIfExists(launchPidFile);
    } catch (IOException | RuntimeException e) {
      task.terminate();
      throw e instanceof RuntimeException r ? r : new UncheckedIOException((IOException) e);
    }
    return task;
  }

  /** {@code setsid --fork} returns once it has forked the task off; its status says whether it could. */
  private static void awaitFork(TaskLaunch launch, Process setsid) {
    try {
      if (!setsid.waitFor(LAUNCH_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
        setsid.destroyForcibly();
        throw new IllegalStateException("task " + launch.taskId() + ": setsid --fork did not return in "
            + LAUNCH_WAIT.toSeconds() + " s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("task " + launch.taskId() + ": interrupted while starting it", e);
    }
    if (setsid.exitValue() != 0) {
      throw new IllegalStateException("task " + launch.taskId() + ": setsid --fork exited " + setsid.exitValue()
          + " (see the task's log " + launch.logFile() + ")");
    }
  }

  /** The pid the task's launcher wrote (a whole line), read once it is there. */
  private static long awaitLaunchPid(TaskLaunch launch, Path file) {
    long deadline = System.nanoTime() + LAUNCH_WAIT.toNanos();
    while (true) {
      try {
        String text = Files.readString(file);
        if (text.endsWith("\n")) {
          return Long.parseLong(text.strip());
        }
      } catch (NoSuchFileException notYet) {
        // the launcher has not written it yet
      } catch (IOException | NumberFormatException e) {
        throw new IllegalStateException("task " + launch.taskId() + ": cannot read its launcher's pid from " + file
            + ": " + e.getMessage(), e);
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("task " + launch.taskId() + ": its launcher wrote no pid to " + file + " in "
            + LAUNCH_WAIT.toSeconds() + " s (see the task's log " + launch.logFile() + ")");
      }
      try {
        Thread.sleep(2);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("task " + launch.taskId() + ": interrupted while starting it", e);
      }
    }
  }

  /** The task from its pid file, when that process still runs and carries the task's marker; else null. */
  @Override
  public RunningTask adopt(TaskLaunch launch) {
    Optional<TaskPidFile> written = TaskPidFile.read(launch.stateDir());
    Optional<TaskPidFile> pidFile = written.or(() -> launched(launch));
    if (pidFile.isEmpty()) {
      return null;
    }
    long pid = pidFile.get().pid();
    boolean same = TaskProcesses.running(pid, pidFile.get().startTime()) && TaskProcesses.carries(pid, launch.taskId());
    if (same && written.isEmpty()) {
      pidFile.get().write(launch.stateDir());
    }
    TaskCgroup cgroup = cgroups.map(h -> new TaskCgroup(h, launch.taskId())).filter(TaskCgroup::exists).orElse(null);
    return same ? new ProcessTask(launch.taskId(), pid, pidFile.get().startTime(), launch.stateDir().resolve(EXIT_FILE),
        cgroup) : null;
  }

  /**
   * The task an agent killed during {@link #start} forked off before it wrote the pid file: the
   * pid its launcher wrote (a whole line), with that process's start time; empty when there is none.
   */
  private static Optional<TaskPidFile> launched(TaskLaunch launch) {
    try {
      String text = Files.readString(launch.stateDir().resolve(LAUNCH_PID_FILE));
      if (!text.endsWith("\n")) {
        return Optional.empty();
      }
      long pid = Long.parseLong(text.strip());
      return TaskProcesses.startTime(pid).stream().mapToObj(t -> new TaskPidFile(pid, t)).findFirst();
    } catch (IOException | NumberFormatException none) {
      return Optional.empty();
    }
  }

  /**
   * The task's cgroup with its limits, made now; null when it has no limits. Limits on a host
   * without the cpu, memory and pids controllers are an error naming what is missing (the task
   * is reported FAILED, never run unbounded).
   */
  private TaskCgroup cgroupFor(TaskLaunch launch) {
    if (launch.limits() == null || launch.limits().none()) {
      return null;
    }
    CgroupHierarchy h = cgroups.orElseThrow(() -> new IllegalStateException("task " + launch.taskId()
        + ": it has resource limits, but this host has no cgroup hierarchy with the cpu, memory and pids controllers"));
    TaskCgroup cgroup = new TaskCgroup(h, launch.taskId());
    cgroup.create(launch.limits());
    return cgroup;
  }

  /** Removes the task's cgroup (when it has one) and its state folder (pid and exit files); the log stays. */
  @Override
  public void cleanup(TaskLaunch launch) {
    cgroups.ifPresent(h -> new TaskCgroup(h, launch.taskId()).remove());
    Folders.deleteTree(launch.stateDir(), "task " + launch.taskId() + ": cannot remove " + launch.stateDir());
  }


  /**
   * Removes the mount template (tasks keep the copies they were started with); the tasks
   * themselves outlive the executor (an agent restart adopts them).
   */
  @Override
  public synchronized void close() {
    if (template != null) {
      template.remove();
      template = null;
    }
  }

  /** The service's environment, PATH (docker's default when it has none), HOSTNAME and the task marker. */
  static Map<String, String> environment(TaskLaunch launch) {
    Map<String, String> env = new HashMap<>(launch.env());
    env.putIfAbsent("PATH", TaskProgram.DEFAULT_PATH);
    env.putIfAbsent("HOSTNAME", launch.taskName());
    env.put(TaskProcesses.MARKER, launch.taskId());
    return env;
  }

  private static String nodePath() {
    String path = System.getenv("PATH");
    return path == null || path.isBlank() ? TaskProgram.DEFAULT_PATH : path + ":" + TaskProgram.DEFAULT_PATH;
  }
}
