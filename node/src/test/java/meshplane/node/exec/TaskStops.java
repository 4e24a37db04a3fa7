package meshplane.node.exec;

import java.time.Duration;

/**
 * Stops a task in the tests as the agent's step function times it: {@code shutdown}, up to
 * {@code grace} for the task to end, then {@code terminate} each 50 ms until it has, for at most
 * 10 s (else the test fails naming the task).
 */
final class TaskStops {
  private TaskStops() {}

  static void stop(RunningTask task, Duration grace) throws InterruptedException {
    task.shutdown();
    long deadline = System.nanoTime() + grace.toNanos();
    while (task.isAlive() && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
    long killDeadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (task.isAlive()) {
      if (System.nanoTime() > killDeadline) {
        throw new AssertionError(task + " still runs 10 s after SIGKILL");
      }
      task.terminate();
      Thread.sleep(50);
    }
  }
}
