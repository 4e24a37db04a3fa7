package meshplane.node.exec;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;

/**
 * {@code <stateDir>/pid}: the task's outer process (the one the executor started; it leads the
 * task's session and process group, so its pid is also the group id) and its start time, so a
 * pid reused by another process after a reboot or a long downtime is not taken for the task.
 * The file reads {@code pid=N\nstartTime=T\n}.
 */
public record TaskPidFile(long pid, long startTime) {
  public static final String NAME = "pid";

  public void write(Path stateDir) {
    Path file = stateDir.resolve(NAME);
    try {
      Path tmp = stateDir.resolve(NAME + ".tmp");
      Files.writeString(tmp, "pid=" + pid + "\nstartTime=" + startTime + "\n");
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the pid file " + file + ": " + e.getMessage(), e);
    }
  }

  /** The pid file in {@code stateDir}; empty when there is none. */
  public static Optional<TaskPidFile> read(Path stateDir) {
    Path file = stateDir.resolve(NAME);
    String text;
    try {
      text = Files.readString(file);
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the pid file " + file + ": " + e.getMessage(), e);
    }
    long pid = -1;
    long startTime = -1;
    for (String line : text.split("\n")) {
      String[] kv = line.split("=", 2);
      try {
        if (kv[0].equals("pid")) {
          pid = Long.parseLong(kv[1].strip());
        } else if (kv[0].equals("startTime")) {
          startTime = Long.parseLong(kv[1].strip());
        }
      } catch (RuntimeException e) {
        throw new IllegalStateException("pid file " + file + ": bad line '" + line + "'", e);
      }
    }
    if (pid <= 0) {
      throw new IllegalStateException("pid file " + file + " names no pid: '" + text + "'");
    }
    return Optional.of(new TaskPidFile(pid, startTime));
  }
}
