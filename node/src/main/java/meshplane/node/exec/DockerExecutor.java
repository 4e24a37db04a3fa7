package meshplane.node.exec;

import com.github.dockerjava.api.command.CreateContainerCmd;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.LogConfig;
import java.net.URI;
import java.nio.file.Path;
import meshplane.cluster.model.ResourceLimits;
import java.util.Map;
import java.util.Optional;
import meshplane.netlink.KernelException;
import meshplane.netlink.NetNamespace;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code docker} executor (docs/docker-executor.md): each task is a container of the local
 * dockerd, named {@code mp-task-<task id>}, run with network mode {@code none}, hostname the task
 * name and DNS 127.0.0.11. Docker makes the container's network namespace; {@link #prepare}
 * starts the container and binds that namespace to {@code /run/netns/<launch.netns()>}, where the
 * routing mesh then plumbs the task's endpoints (eth0, ...).
 *
 * <p>So the container's program starts before its endpoints exist: it sees only {@code lo} for
 * the moment between {@link #prepare} and the mesh's plumbing. Servers that bind the wildcard
 * address are unaffected; a program that must reach the network at its first instruction should
 * retry, as it would on a Swarm overlay that is still converging.
 *
 * <p>A container that has already exited when {@link #prepare} looks for its namespace (a task
 * that ends at once) leaves no namespace to bind; an empty namespace is created under the name
 * instead, so the plumbing that follows succeeds and {@link #start} reports the exit code.
 */
public final class DockerExecutor implements TaskExecutor {
  public static final String NAME = "docker";
  /** Container names are this prefix and the task id. */
  public static final String CONTAINER_PREFIX = "mp-task-";
  public static final String LABEL_TASK = "meshplane.task";
  public static final String LABEL_TASK_NAME = "meshplane.task.name";
  /** The embedded DNS's address, in every task's resolv.conf. */
  public static final String DNS = "127.0.0.11";

  private static final Logger LOG = LoggerFactory.getLogger(DockerExecutor.class);

  private final DockerEngine engine;
  private final DockerLogCopier logs = new DockerLogCopier();

  /** An executor on the local dockerd at {@code unix:///var/run/docker.sock}. */
  public DockerExecutor() {
    this(DockerEngine.DEFAULT_HOST);
  }

  /** An executor on the dockerd at {@code dockerHost} ({@code unix:///path/to/docker.sock}). */
  public DockerExecutor(URI dockerHost) {
    this.engine = new DockerEngine(dockerHost);
  }

  public static String containerName(String taskId) {
    return CONTAINER_PREFIX + taskId;
  }

  @Override
  public String name() {
    return NAME;
  }

  /**
   * Creates and starts the task's container and binds its network namespace to
   * {@code /run/netns/<launch.netns()>}; returns that name.
   *
   * @throws IllegalArgumentException if the image is not on this node, or the container cannot start
   *     (a command that does not exist in the image, for one)
   * @throws IllegalStateException if dockerd cannot be reached
   */
  @Override
  public String prepare(TaskLaunch launch) {
    String name = containerName(launch.taskId());
    removeContainer(name); // a leftover of an earlier attempt at this very task
    DockerLogCopier.reset(launch.stateDir());
    String id = createContainer(launch, name);
    try {
      engine.run("start container " + name, () -> engine.client().startContainerCmd(id).exec());
    } catch (DockerException e) {
      removeContainer(id);
      throw new IllegalArgumentException("task " + launch.taskId() + ": container " + name + " (image "
          + launch.image() + ") did not start: " + e.getMessage(), e);
    }
    try {
      bindNamespace(name, launch.netns());
    } catch (RuntimeException e) {
      removeContainer(id);
      throw e;
    }
    return launch.netns();
  }

  private String createContainer(TaskLaunch launch, String name) {
    // json-file named, not left to the daemon's default: following the logs needs a driver that can be read.
    HostConfig host = HostConfig.newHostConfig()
        .withNetworkMode("none")
        .withDns(DNS)
        .withLogConfig(new LogConfig(LogConfig.LoggingType.JSON_FILE, Map.of(
            // docker's own copy, read every 200 ms into the task's log: bounded as well
            "max-size", String.valueOf(launch.logOptions().maxSizeOrDefault()), "max-file", "2")));
    ResourceLimits limits = launch.limits();
    if (limits != null) {
      if (limits.nanoCpus() != null) {
        host = host.withNanoCPUs(limits.nanoCpus());
      }
      if (limits.memoryBytes() != null) {
        host = host.withMemory(limits.memoryBytes()).withMemorySwap(limits.memoryBytes()); // no swap beyond it
      }
      if (limits.pids() != null) {
        host = host.withPidsLimit(limits.pids());
      }
    }
    CreateContainerCmd create = engine.client().createContainerCmd(launch.image())
        .withName(name)
        .withHostName(launch.taskName())
        .withEnv(launch.env().entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).sorted().toList())
        .withLabels(Map.of(LABEL_TASK, launch.taskId(), LABEL_TASK_NAME, launch.taskName()))
        .withHostConfig(host);
    if (!launch.command().isEmpty()) {
      create = create.withCmd(launch.command());
    }
    CreateContainerCmd request = create;
    try {
      return engine.call("create container " + name, request::exec).getId();
    } catch (NotFoundException e) {
      throw new IllegalArgumentException("image " + launch.image() + " not found on this node", e);
    }
  }

  /**
   * Binds the container's network namespace to the name. The namespace is opened by the pid
   * docker reports and the container checked to run that same pid afterwards, so a pid reused by
   * another process in between cannot be bound.
   */
  private void bindNamespace(String container, String netns) {
    InspectContainerResponse.ContainerState state = runningState(container);
    if (state != null) {
      long pid = state.getPidLong();
      try (NetNamespace ns = DockerNetns.open(pid)) {
        InspectContainerResponse.ContainerState again = runningState(container);
        if (again != null && again.getPidLong() == pid) {
          DockerNetns.bind(ns, netns);
          return;
        }
      } catch (KernelException e) {
        // the process ended between inspect and open: as below
      }
    }
    LOG.info("container {} ended before its network namespace could be bound; {} is an empty namespace",
        container, netns);
    if (NetNamespace.exists(netns)) {
      NetNamespace.delete(netns);
    }
    NetNamespace.create(netns).close();
  }

  /** The container's state if it runs with a pid, else null. */
  private InspectContainerResponse.ContainerState runningState(String container) {
    InspectContainerResponse.ContainerState state = engine.inspect(container)
        .orElseThrow(() -> new IllegalStateException("container " + container + " vanished right after it started"))
        .getState();
    Long pid = state.getPidLong();
    return Boolean.TRUE.equals(state.getRunning()) && pid != null && pid > 0 ? state : null;
  }

  /** The container runs since {@link #prepare}; this copies its output into the log file from its start. */
  @Override
  public RunningTask start(TaskLaunch launch) {
    String name = containerName(launch.taskId());
    InspectContainerResponse container = engine.inspect(name).orElseThrow(() -> new IllegalStateException(
        "start task " + launch.taskId() + ": container " + name + " does not exist (prepare makes it)"));
    return track(launch, container, false);
  }

  /**
   * The task's container if it still runs (its namespace bound again if the name went missing),
   * else null. Its output is copied on from where the last agent got to ({@link DockerLogCopier}).
   */
  @Override
  public RunningTask adopt(TaskLaunch launch) {
    String name = containerName(launch.taskId());
    Optional<InspectContainerResponse> found = engine.inspect(name);
    if (found.isEmpty() || !launch.taskId().equals(labels(found.get()).get(LABEL_TASK))) {
      return null; // none, or a container of that name that meshplane did not make
    }
    InspectContainerResponse.ContainerState state = found.get().getState();
    if (!Boolean.TRUE.equals(state.getRunning()) || state.getPidLong() == null || state.getPidLong() <= 0) {
      return null;
    }
    try (NetNamespace ns = DockerNetns.open(state.getPidLong())) {
      if (!DockerNetns.isBoundTo(launch.netns(), ns)) {
        LOG.info("adopting {}: binding its network namespace to {} again", name, launch.netns());
        DockerNetns.bind(ns, launch.netns());
      }
    } catch (KernelException e) {
      return null; // it ended while we looked
    }
    return track(launch, found.get(), true);
  }

  private static Map<String, String> labels(InspectContainerResponse container) {
    Map<String, String> labels = container.getConfig() == null ? null : container.getConfig().getLabels();
    return labels == null ? Map.of() : labels;
  }

  private RunningTask track(TaskLaunch launch, InspectContainerResponse container, boolean adopted) {
    String name = containerName(launch.taskId());
    if (container.getLogPath() == null || container.getLogPath().isEmpty()) {
      LOG.warn("container {}: docker names no json-file log; its output is not copied to {}", name, launch.logFile());
    } else {
      logs.follow(launch.taskId(), Path.of(container.getLogPath()), launch.logFile(), launch.logOptions(), launch.stateDir(),
          adopted);
    }
    Long memory = container.getHostConfig() == null ? null : container.getHostConfig().getMemory();
    return new DockerTask(engine, launch.taskId(), container.getId(), name, memory == null || memory == 0 ? null : memory);
  }

  /** Removes the container (forced), the namespace's name and the task's state folder. */
  @Override
  public void cleanup(TaskLaunch launch) {
    logs.unfollow(launch.taskId());
    removeContainer(containerName(launch.taskId()));
    DockerNetns.unbind(launch.netns()); // also a bare file a create killed halfway left; nothing if none
    deleteTree(launch.stateDir());
  }

  private void removeContainer(String container) {
    try {
      engine.run("remove container " + container,
          () -> engine.client().removeContainerCmd(container).withForce(true).exec());
    } catch (NotFoundException gone) {
      // nothing to remove
    }
  }

  private static void deleteTree(Path dir) {
    Folders.deleteTree(dir, "cleanup: cannot remove the task's state folder " + dir);
  }


  /** Stops copying logs and closes the client; containers keep running (a restarted agent adopts them). */
  @Override
  public void close() {
    logs.close();
    engine.close();
  }

  @Override
  public String toString() {
    return "docker executor on " + engine.host();
  }
}
