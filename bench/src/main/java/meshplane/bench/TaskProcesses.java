package meshplane.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import meshplane.lab.HostCommand;

/**
 * The processes of one task, found as the process executor marks them: {@code MESHPLANE_TASK=<id>}
 * in their environment (docs/executors.md), with their command lines; and their resident memory as
 * {@code ps -o rss=} reports it.
 */
final class TaskProcesses {
  /** One process: its pid and its command line, NULs as spaces. */
  record Proc(long pid, String cmdline) {
    /** The file name of the program, from the command line's first word ({@code /usr/bin/java}: {@code java}). */
    String program() {
      String first = cmdline.split(" ", 2)[0];
      return first.substring(first.lastIndexOf('/') + 1);
    }
  }

  private static final Pattern NUMBER = Pattern.compile("\\d+");

  private TaskProcesses() {}

  /**
   * The processes marked with the task's id, and their descendants: a program that rewrites its
   * title over its environment (nginx's master and workers do) keeps no readable mark itself.
   */
  static List<Proc> of(String taskId) {
    Set<Long> pids = new TreeSet<>();
    for (long pid : meshplane.node.exec.TaskProcesses.carrying(taskId)) {
      pids.add(pid);
      ProcessHandle.of(pid).ifPresent(h -> h.descendants().forEach(d -> pids.add(d.pid())));
    }
    List<Proc> found = new ArrayList<>();
    for (long pid : pids) {
      try {
        String cmd = new String(Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline")), StandardCharsets.UTF_8);
        found.add(new Proc(pid, cmd.replace('\0', ' ').strip()));
      } catch (IOException e) {
        // exited meanwhile
      }
    }
    return found;
  }

  /** {@code ps -o rss= -p PID}, in KiB. */
  static long rssKiB(long pid) {
    List<String> argv = List.of("ps", "-o", "rss=", "-p", Long.toString(pid));
    try {
      HostCommand.Result r = HostCommand.await(new ProcessBuilder(argv).redirectErrorStream(true).start(), argv, 10);
      Matcher m = NUMBER.matcher(r.output());
      if (!r.ok() || !m.find()) {
        throw new IllegalStateException(String.join(" ", argv) + " exited " + r.exitCode() + ": " + r.output().strip());
      }
      return Long.parseLong(m.group());
    } catch (IOException e) {
      throw new IllegalStateException("cannot run " + String.join(" ", argv) + ": " + e.getMessage(), e);
    }
  }
}
