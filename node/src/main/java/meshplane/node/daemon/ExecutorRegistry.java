package meshplane.node.daemon;

import java.util.Map;
import meshplane.node.exec.DockerExecutor;
import meshplane.node.exec.ProcessExecutor;
import meshplane.node.exec.TaskExecutor;

/**
 * The executors a node offers, by the name a service asks for ({@code --executor}):
 * {@code process} always; {@code docker} made on first use, so a node without dockerd runs
 * process tasks and rejects docker ones with the reason.
 */
final class ExecutorRegistry implements AutoCloseable {
  private final ProcessExecutor process;
  private final LazyDocker docker = new LazyDocker();

  /** {@code runDir}: the node's runtime folder (its state dir). */
  ExecutorRegistry(java.nio.file.Path runDir) {
    this.process = new ProcessExecutor(runDir);
  }

  Map<String, TaskExecutor> all() {
    return Map.of(process.name(), process, DockerExecutor.NAME, docker);
  }

  @Override
  public void close() {
    process.close();
    docker.close();
  }

  /** Connects to dockerd when a docker task first arrives. */
  private static final class LazyDocker implements TaskExecutor {
    private DockerExecutor real;

    private synchronized DockerExecutor real() {
      if (real == null) {
        real = new DockerExecutor();
      }
      return real;
    }

    @Override
    public String name() {
      return DockerExecutor.NAME;
    }

    @Override
    public String prepare(meshplane.node.exec.TaskLaunch launch) {
      return real().prepare(launch);
    }

    @Override
    public meshplane.node.exec.RunningTask start(meshplane.node.exec.TaskLaunch launch) {
      return real().start(launch);
    }

    @Override
    public meshplane.node.exec.RunningTask adopt(meshplane.node.exec.TaskLaunch launch) {
      return real().adopt(launch);
    }

    @Override
    public void cleanup(meshplane.node.exec.TaskLaunch launch) {
      real().cleanup(launch);
    }

    @Override
    public synchronized void close() {
      if (real != null) {
        real.close();
      }
    }
  }
}
