package meshplane.node.exec;

import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.exception.NotModifiedException;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * A task running as a container: alive while docker says the container runs; its exit code is
 * the container's once it has stopped. {@link #stop} is {@code docker stop -t GRACE} followed by
 * {@code docker rm}. A container that disappears before its exit status was read (removed by
 * someone else) reports exit code {@value #EXIT_UNKNOWN}.
 */
final class DockerTask implements RunningTask {
  static final int EXIT_UNKNOWN = -1;

  private final DockerEngine engine;
  private final String taskId;
  private final String containerId;
  private final String containerName;
  private final DockerLogFollower logs;
  private volatile OptionalInt exitCode = OptionalInt.empty();

  DockerTask(DockerEngine engine, String taskId, String containerId, String containerName, DockerLogFollower logs) {
    this.engine = engine;
    this.taskId = taskId;
    this.containerId = containerId;
    this.containerName = containerName;
    this.logs = logs;
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
    exitCode = OptionalInt.of(code == null ? EXIT_UNKNOWN : code.intValue());
    return false;
  }

  @Override
  public OptionalInt exitCode() {
    isAlive();
    return exitCode;
  }

  @Override
  public void stop(Duration grace) {
    int seconds = (int) Math.max(0, (grace.toMillis() + 999) / 1000);
    try {
      engine.run("stop container " + containerName, () -> engine.client().stopContainerCmd(containerId)
          .withTimeout(seconds).exec());
    } catch (NotModifiedException | NotFoundException alreadyStopped) {
      // stopped or gone already: what is left is reading its status and removing it
    }
    isAlive(); // reads the exit code while the container still exists
    try {
      engine.run("remove container " + containerName, () -> engine.client().removeContainerCmd(containerId)
          .withForce(true).exec());
    } catch (NotFoundException gone) {
      // removed already
    }
    logs.closeQuietly();
  }

  @Override
  public String toString() {
    return "task " + taskId + " (container " + containerName + ")";
  }
}
