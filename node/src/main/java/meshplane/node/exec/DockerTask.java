package meshplane.node.exec;

import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.exception.ConflictException;
import com.github.dockerjava.api.exception.NotFoundException;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * A task running as a container: alive while docker says the container runs; its exit code is
 * the container's once it has stopped. A stop is {@link #shutdown} (SIGTERM) and, after the grace period the agent keeps, {@link #terminate} (SIGKILL), as {@code docker stop
 * -t GRACE} does; the executor's cleanup removes the container. A container that disappears
 * before its exit status was read (removed by someone else) reports exit code {@value #EXIT_UNKNOWN}.
 */
final class DockerTask implements RunningTask {
  static final int EXIT_UNKNOWN = -1;

  private final DockerEngine engine;
  private final String taskId;
  private final String containerId;
  private final String containerName;
  private volatile OptionalInt exitCode = OptionalInt.empty();
  private volatile boolean oomKilled;
  private final Long memoryLimit;

  /** {@code memoryLimit}: the container's, for the OOM message (null: none). */
  DockerTask(DockerEngine engine, String taskId, String containerId, String containerName, Long memoryLimit) {
    this.memoryLimit = memoryLimit;
    this.engine = engine;
    this.taskId = taskId;
    this.containerId = containerId;
    this.containerName = containerName;
  }

  @Override
  public String taskId() {
    return taskId;
  }

  String containerId() {
    return containerId;
  }

  @Override
  public boolean isAlive() {
    if (exitCode.isPresent()) {
      return false;
    }
    Optional<InspectContainerResponse> found = engine.inspect(containerId);
    if (found.isEmpty()) {
      exitCode = OptionalInt.of(EXIT_UNKNOWN);
      return false;
    }
    InspectContainerResponse.ContainerState state = found.get().getState();
    if (Boolean.TRUE.equals(state.getRunning()) || Boolean.TRUE.equals(state.getRestarting())) {
      return true;
    }
    Long code = state.getExitCodeLong();
    oomKilled = Boolean.TRUE.equals(state.getOOMKilled());
    exitCode = OptionalInt.of(code == null ? EXIT_UNKNOWN : code.intValue());
    return false;
  }

  /** "OOM killed (memory limit 64 MiB)" when docker says the kernel killed the container for memory ({@code State.OOMKilled}). */
  @Override
  public java.util.Optional<String> endReason() {
    isAlive();
    return oomKilled ? java.util.Optional.of("OOM killed" + (memoryLimit == null ? ""
        : " (memory limit " + TaskCgroup.bytes(memoryLimit) + ")")) : java.util.Optional.empty();
  }

  @Override
  public OptionalInt exitCode() {
    isAlive();
    return exitCode;
  }

  /**
   * {@code docker kill --signal SIGTERM}, as {@code docker stop} begins; returns at once. (An
   * image's own STOPSIGNAL is not read: docker-java's container config does not carry it.)
   */
  @Override
  public void shutdown() {
    kill("SIGTERM");
  }

  /** {@code docker kill} (SIGKILL), as {@code docker stop} ends after its timeout. */
  @Override
  public void terminate() {
    kill("SIGKILL");
  }

  private void kill(String signal) {
    try {
      engine.run("kill container " + containerName + " with " + signal,
          () -> engine.client().killContainerCmd(containerId).withSignal(signal).exec());
    } catch (NotFoundException | ConflictException notRunning) {
      // ended or gone already (409: not running): what is left is reading its status
    }
  }

  @Override
  public String toString() {
    return "task " + taskId + " (container " + containerName + ")";
  }
}
