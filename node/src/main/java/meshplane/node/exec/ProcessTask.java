package meshplane.node.exec;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.OptionalInt;

/**
 * A task of the process executor: its outer process (leader of the task's session and process
 * group) and every process carrying its {@code MESHPLANE_TASK} marker. Started by this executor,
 * it holds the {@link Process} and its real exit status; adopted after an agent restart, it
 * reads the status the task's shell wrote to {@code exitFile}, or -1 when there is none (the
 * task was killed outright).
 */
final class ProcessTask implements RunningTask {
  /** How long the processes may take to vanish after SIGKILL before stop gives up. */
  static final Duration KILL_WAIT = Duration.ofSeconds(10);
  private static final long POLL_MILLIS = 50;

  private final String taskId;
  private final ProcessHandle outer;
  private final Process process;
  private final Path exitFile;
  private volatile Integer endedWith;

  private ProcessTask(String taskId, ProcessHandle outer, Process process, Path exitFile) {
    this.taskId = taskId;
    this.outer = outer;
    this.process = process;
    this.exitFile = exitFile;
  }

  static ProcessTask started(String taskId, Process process, Path exitFile) {
    return new ProcessTask(taskId, process.toHandle(), process, exitFile);
  }

  static ProcessTask adopted(String taskId, ProcessHandle outer, Path exitFile) {
    return new ProcessTask(taskId, outer, null, exitFile);
  }

  @Override
  public String taskId() {
    return taskId;
  }

  long pid() {
    return outer.pid();
  }

  @Override
  public boolean isAlive() {
    return process != null ? process.isAlive() : outer.isAlive();
  }

  @Override
  public OptionalInt exitCode() {
    if (isAlive()) {
      return OptionalInt.empty();
    }
    if (endedWith == null) {
      endedWith = process != null ? process.exitValue() : readExitFile();
    }
    return OptionalInt.of(endedWith);
  }

  /**
   * SIGTERM to the process group and to every process carrying the marker; after {@code grace},
   * SIGKILL to all that are left, repeated until none is (at most {@link #KILL_WAIT}).
   */
  @Override
  public void stop(Duration grace) {
    boolean interrupted = false;
    try {
      signalAll(TaskProcesses.SIGTERM);
      long deadline = System.nanoTime() + grace.toNanos();
      while (anyLeft() && System.nanoTime() < deadline) {
        interrupted |= pause();
      }
      long killDeadline = System.nanoTime() + KILL_WAIT.toNanos();
      while (anyLeft()) {
        if (System.nanoTime() > killDeadline) {
          throw new IllegalStateException("task " + taskId + ": processes " + TaskProcesses.carrying(taskId)
              + (outer.isAlive() ? " and " + outer.pid() : "") + " still run " + KILL_WAIT.toSeconds()
              + " s after SIGKILL");
        }
        signalAll(TaskProcesses.SIGKILL);
        interrupted |= pause();
      }
      if (process != null) {
        process.onExit().join();
      }
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private void signalAll(int signal) {
    if (outer.isAlive()) {
      TaskProcesses.signal(-outer.pid(), signal);
      TaskProcesses.signal(outer.pid(), signal);
    }
    for (long pid : TaskProcesses.carrying(taskId)) {
      TaskProcesses.signal(pid, signal);
    }
  }

  private boolean anyLeft() {
    if (isAlive()) {
      return true;
    }
    List<Long> left = TaskProcesses.carrying(taskId);
    return !left.isEmpty();
  }

  private int readExitFile() {
    try {
      return Integer.parseInt(Files.readString(exitFile).strip());
    } catch (IOException | NumberFormatException e) {
      return -1;
    }
  }

  private static boolean pause() {
    try {
      Thread.sleep(POLL_MILLIS);
      return false;
    } catch (InterruptedException e) {
      return true;
    }
  }

  @Override
  public String toString() {
    return "task " + taskId + " (pid " + outer.pid() + ")";
  }
}
