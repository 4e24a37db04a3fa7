package meshplane.node.exec;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * A task of the process executor: its outer process (leader of the task's session and process
 * group, found by pid and start time, as the pid file records them) and every process carrying
 * its {@code MESHPLANE_TASK} marker. The outer process is no child of the agent (it was forked
 * off by {@code setsid --fork}, or survived an agent restart), so its status is the one the
 * task's shell wrote to {@code exitFile}, or -1 when there is none (the task was killed outright).
 */
final class ProcessTask implements RunningTask {
  /** The exit code of a task whose shell wrote no status (killed by a signal, or by SIGKILL itself). */
  static final int EXIT_UNKNOWN = -1;

  private final String taskId;
  private final long pid;
  private final long startTime;
  private final Path exitFile;
  private final TaskCgroup cgroup;
  private volatile Integer endedWith;

  /** {@code cgroup}: the task's, null when it has none (no limits, or a host without the controllers). */
  ProcessTask(String taskId, long pid, long startTime, Path exitFile, TaskCgroup cgroup) {
    this.taskId = taskId;
    this.pid = pid;
    this.startTime = startTime;
    this.exitFile = exitFile;
    this.cgroup = cgroup;
  }

  /** "OOM killed (memory limit 64 MiB)" when the kernel's OOM killer killed a process of the task. */
  @Override
  public Optional<String> endReason() {
    return cgroup == null ? Optional.empty() : cgroup.endReason();
  }

  @Override
  public String taskId() {
    return taskId;
  }

  long pid() {
    return pid;
  }

  /** The outer process runs, or a process carrying the marker does (read from /proc only once the outer one ended). */
  @Override
  public boolean isAlive() {
    if (endedWith != null) {
      return false;
    }
    return TaskProcesses.running(pid, startTime) || !TaskProcesses.carrying(taskId).isEmpty();
  }

  @Override
  public OptionalInt exitCode() {
    if (endedWith == null) {
      if (isAlive()) {
        return OptionalInt.empty();
      }
      endedWith = readExitFile();
    }
    return OptionalInt.of(endedWith);
  }

  /** SIGTERM to the process group (or, once the outer process is gone, to every process carrying the marker). */
  @Override
  public void shutdown() {
    signalAll(TaskProcesses.SIGTERM);
  }

  /** SIGKILL to the process group (or, once the outer process is gone, to every process carrying the marker). */
  @Override
  public void terminate() {
    signalAll(TaskProcesses.SIGKILL);
  }

  /**
   * While the outer process runs, the signal goes to its process group: every process of the
   * task that stayed in it. One that left it (setsid) is in the task's PID namespace all the
   * same, and the kernel kills it when that namespace's first process ends, which a SIGKILL to the
   * outer process brings about ({@code unshare --kill-child}). Only when the outer process is gone
   * already is /proc scanned for the marker: a scan reads every process's environment, ~100 ms
   * with 4,000 processes, too much to pay for each of a thousand tasks stopping at once.
   */
  private void signalAll(int signal) {
    if (TaskProcesses.running(pid, startTime)) {
      TaskProcesses.signal(-pid, signal);
      TaskProcesses.signal(pid, signal);
      return;
    }
    for (long p : TaskProcesses.carrying(taskId)) {
      TaskProcesses.signal(p, signal);
    }
  }

  private int readExitFile() {
    try {
      return Integer.parseInt(Files.readString(exitFile).strip());
    } catch (IOException | NumberFormatException e) {
      return EXIT_UNKNOWN;
    }
  }

  @Override
  public String toString() {
    return "task " + taskId + " (pid " + pid + ")";
  }
}
