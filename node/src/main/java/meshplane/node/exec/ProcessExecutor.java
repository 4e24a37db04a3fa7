package meshplane.node.exec;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The {@code process} executor (docs/executors.md): runs a task's program on the node, in the
 * task's network namespace (made by the routing mesh), in new UTS, mount and PID namespaces, with
 * hostname = task name and /etc/resolv.conf naming the embedded DNS (127.0.0.11), through the
 * command line of {@link TaskCommandLine}. Tasks outlive the agent: {@link #adopt} finds them
 * again from their pid file. Thread-safe: it holds no mutable state.
 */
public final class ProcessExecutor implements TaskExecutor {
  public static final String NAME = "process";
  static final String RESOLV_CONF = "nameserver 127.0.0.11\noptions ndots:0\n";
  static final String EXIT_FILE = "exit";
  private static final Path NETNS_DIR = Path.of("/run/netns");

  private final TaskCommandLine.Tools tools;
  private final AgentJvm jvm;

  /** Finds util-linux on this JVM's PATH; built-in images run on this JVM with this JVM's class path. */
  public ProcessExecutor() {
    this(TaskCommandLine.Tools.find(nodePath()), AgentJvm.current());
  }

  ProcessExecutor(TaskCommandLine.Tools tools, AgentJvm jvm) {
    this.tools = tools;
    this.jvm = jvm;
  }

  @Override
  public String name() {
    return NAME;
  }

  /** Writes resolv.conf and hostname into the state folder; the namespace is the routing mesh's. */
  @Override
  public String prepare(TaskLaunch launch) {
    try {
      Files.createDirectories(launch.stateDir());
      Files.writeString(launch.stateDir().resolve("resolv.conf"), RESOLV_CONF);
      Files.writeString(launch.stateDir().resolve("hostname"), launch.taskName() + "\n");
    } catch (IOException e) {
      throw new UncheckedIOException("task " + launch.taskId() + ": cannot write its files in " + launch.stateDir()
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
    if (!Files.exists(launch.stateDir().resolve("resolv.conf"))) {
      prepare(launch);
    }
    Path exitFile = launch.stateDir().resolve(EXIT_FILE);
    List<String> argv = TaskCommandLine.of(tools, launch.netns(), launch.taskName(),
        launch.stateDir().resolve("resolv.conf"), launch.stateDir().resolve("hostname"), exitFile, program);
    ProcessBuilder pb = new ProcessBuilder(argv).directory(new File("/")).redirectErrorStream(true)
        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
        .redirectOutput(ProcessBuilder.Redirect.appendTo(launch.logFile().toFile()));
    pb.environment().clear();
    pb.environment().putAll(env);
    Process process;
    try {
      Files.deleteIfExists(exitFile);
      Path logDir = launch.logFile().toAbsolutePath().getParent();
      if (logDir != null) {
        Files.createDirectories(logDir);
      }
      process = pb.start();
    } catch (IOException e) {
      throw new IllegalStateException("task " + launch.taskId() + ": cannot start " + program.argv().get(0) + ": "
          + e.getMessage(), e);
    }
    ProcessTask task = ProcessTask.started(launch.taskId(), process, exitFile);
    try {
      new TaskPidFile(process.pid(), TaskProcesses.startTime(process.pid()).orElse(-1)).write(launch.stateDir());
    } catch (RuntimeException e) {
      task.stop(Duration.ZERO);
      throw e;
    }
    return task;
  }

  /** The task from its pid file, when that process still runs and carries the task's marker; else null. */
  @Override
  public RunningTask adopt(TaskLaunch launch) {
    Optional<TaskPidFile> pidFile = TaskPidFile.read(launch.stateDir());
    if (pidFile.isEmpty()) {
      return null;
    }
    long pid = pidFile.get().pid();
    Optional<ProcessHandle> handle = ProcessHandle.of(pid);
    boolean same = handle.isPresent()
        && (pidFile.get().startTime() < 0 || TaskProcesses.startTime(pid).orElse(-2) == pidFile.get().startTime())
        && TaskProcesses.carries(pid, launch.taskId());
    return same ? ProcessTask.adopted(launch.taskId(), handle.get(), launch.stateDir().resolve(EXIT_FILE)) : null;
  }

  /** Removes the state folder (resolv.conf, hostname, pid and exit files); the log stays. */
  @Override
  public void cleanup(TaskLaunch launch) {
    Path dir = launch.stateDir();
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("task " + launch.taskId() + ": cannot remove " + dir + ": " + e.getMessage(), e);
    }
  }

  /** Tasks outlive the executor (an agent restart adopts them); nothing to close. */
  @Override
  public void close() {}

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
