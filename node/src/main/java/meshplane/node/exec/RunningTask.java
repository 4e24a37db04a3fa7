package meshplane.node.exec;

import java.time.Duration;
import java.util.OptionalInt;

/** A started task: is it alive, how did it end, stop it. */
public interface RunningTask {
  String taskId();

  boolean isAlive();

  /** The exit status once it has ended; empty while it runs. */
  OptionalInt exitCode();

  /** SIGTERM (docker stop), then SIGKILL after {@code grace}; returns when it has ended. */
  void stop(Duration grace);
}
