package meshplane.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** A witness of processes, read from /proc independently of what meshplane says it started. */
public final class Processes {
  private Processes() {}

  /** The pids, sorted, of every process whose environment holds {@code entry} ({@code NAME=value}) exactly. */
  public static List<Long> carrying(String entry) {
    List<Long> pids = new ArrayList<>();
    try (DirectoryStream<Path> procs = Files.newDirectoryStream(Path.of("/proc"))) {
      for (Path p : procs) {
        String name = p.getFileName().toString();
        if (!name.chars().allMatch(Character::isDigit)) {
          continue;
        }
        try {
          String environ = new String(Files.readAllBytes(p.resolve("environ")), StandardCharsets.UTF_8);
          if (Arrays.asList(environ.split("\0")).contains(entry)) {
            pids.add(Long.parseLong(name));
          }
        } catch (IOException gone) {
          // ended meanwhile
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list /proc", e);
    }
    pids.sort(null);
    return pids;
  }

  /** The processes of task {@code taskId}: those carrying {@code MESHPLANE_TASK=<taskId>}, as every executor sets it. */
  public static List<Long> ofTask(String taskId) {
    return carrying("MESHPLANE_TASK=" + taskId);
  }

  /** The command lines of {@code pids} (arguments joined by spaces), those that ended meanwhile left out. */
  public static List<String> commandLines(List<Long> pids) {
    List<String> commands = new ArrayList<>();
    for (long pid : pids) {
      try {
        commands.add(new String(Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline")),
            StandardCharsets.UTF_8).replace('\0', ' ').strip());
      } catch (IOException gone) {
        // ended meanwhile
      }
    }
    return commands;
  }
}
