package meshplane.node.exec;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Native;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalLong;

/**
 * The processes of process-executor tasks as /proc shows them. Every process of a task carries
 * {@code MESHPLANE_TASK=<task id>} in its environment (set for the outer process, inherited by
 * all it starts), which is how a task's processes are found again, even those that left its
 * process group, and how a pid file is known to still name the task's process.
 */
public final class TaskProcesses {
  public static final String MARKER = "MESHPLANE_TASK";
  static final int SIGKILL = 9;
  static final int SIGTERM = 15;
  private static final int ESRCH = 3;
  private static final Path PROC = Path.of("/proc");

  private TaskProcesses() {}

  /** The pids of every live process whose environment carries {@code MESHPLANE_TASK=<taskId>}. */
  public static List<Long> carrying(String taskId) {
    byte[] marker = (MARKER + "=" + taskId).getBytes(StandardCharsets.UTF_8);
    List<Long> pids = new ArrayList<>();
    try (DirectoryStream<Path> dirs = Files.newDirectoryStream(PROC, p -> isPid(p.getFileName().toString()))) {
      for (Path dir : dirs) {
        long pid = Long.parseLong(dir.getFileName().toString());
        if (pid != ProcessHandle.current().pid() && environCarries(pid, marker)) {
          pids.add(pid);
        }
      }
    } catch (IOException e) {
      throw new IllegalStateException("cannot list /proc to find the processes of task " + taskId + ": "
          + e.getMessage(), e);
    }
    return pids;
  }

  /** Whether process {@code pid} exists and carries {@code MESHPLANE_TASK=<taskId>}. */
  public static boolean carries(long pid, String taskId) {
    return environCarries(pid, (MARKER + "=" + taskId).getBytes(StandardCharsets.UTF_8));
  }

  /** The process's start time (clock ticks since boot, /proc/PID/stat field 22), empty when it does not exist. */
  public static OptionalLong startTime(long pid) {
    try {
      String stat = Files.readString(PROC.resolve(Long.toString(pid)).resolve("stat"));
      String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      return OptionalLong.of(Long.parseLong(fields[19]));
    } catch (IOException | RuntimeException e) {
      return OptionalLong.empty();
    }
  }

  /**
   * Whether process {@code pid} runs: it exists, is no zombie (an ended process its parent has
   * not reaped yet, which {@link ProcessHandle#isAlive} counts as alive) and, when
   * {@code startTime >= 0}, started at that time (a reused pid is another process).
   */
  public static boolean running(long pid, long startTime) {
    String stat;
    try {
      stat = Files.readString(PROC.resolve(Long.toString(pid)).resolve("stat"));
    } catch (IOException e) {
      return false;
    }
    try {
      String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      boolean ended = fields[0].equals("Z") || fields[0].equals("X") || fields[0].equals("x");
      return !ended && (startTime < 0 || Long.parseLong(fields[19]) == startTime);
    } catch (RuntimeException e) {
      throw new IllegalStateException("/proc/" + pid + "/stat: cannot read its state and start time: '" + stat + "'", e);
    }
  }

  /** kill(2); a process (or group, for a negative pid) that is already gone is not an error. */
  static void signal(long pid, int signal) {
    try {
      Libc.INSTANCE.kill((int) pid, signal);
    } catch (LastErrorException e) {
      if (e.getErrorCode() != ESRCH) {
        throw new IllegalStateException("cannot send signal " + signal + " to " + (pid < 0 ? "process group "
            + -pid : "process " + pid) + ": errno " + e.getErrorCode(), e);
      }
    }
  }

  private static boolean environCarries(long pid, byte[] marker) {
    byte[] environ;
    try {
      environ = Files.readAllBytes(PROC.resolve(Long.toString(pid)).resolve("environ"));
    } catch (IOException | SecurityException e) {
      return false; // gone meanwhile, or a kernel thread
    }
    // entries are NUL-separated; an entry must equal the marker exactly
    int start = 0;
    for (int i = 0; i <= environ.length; i++) {
      if (i == environ.length || environ[i] == 0) {
        if (i - start == marker.length && Arrays.equals(environ, start, i, marker, 0, marker.length)) {
          return true;
        }
        start = i + 1;
      }
    }
    return false;
  }

  private static boolean isPid(String name) {
    return !name.isEmpty() && name.chars().allMatch(Character::isDigit);
  }

  private interface Libc extends Library {
    Libc INSTANCE = Native.load("c", Libc.class);

    int kill(int pid, int sig) throws LastErrorException;
  }
}
