package meshplane.node.exec;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The command line that runs a task's program with util-linux: {@code setsid --fork} (its own
 * session and process group, so the agent's signals and exit do not reach it and it can be
 * signalled whole; forked off, so the agent holds no child and no JDK reaper thread per task) and a
 * launcher shell that writes its pid to a file and execs the rest, {@code nsenter --net} into the
 * task's namespace and {@code --mount} into the {@link TaskMountTemplate} (the node's mounts
 * without the netns ones, /etc/resolv.conf naming the embedded DNS, /etc/hostname showing the
 * reader's hostname), {@code unshare} of new UTS, mount and PID namespaces (private propagation, a
 * /proc of its own), and a small {@code /bin/sh} script as the new PID 1 that sets the hostname,
 * runs the program, and writes its exit status to a file. The
 * values reach the script as positional parameters, never spliced into its text, so arguments
 * need no quoting.
 *
 * <p>The launcher's pid is the task's outer process: {@code nsenter} and {@code unshare} are
 * exec'd in it, so it leads the task's session and process group, and lives as long as the task.
 */
public final class TaskCommandLine {
  /**
   * $1 the file to write the launcher's pid to; $2 the FIFO the task's output goes through; $3 to
   * $5 the log, its max-size and max-file; $6 the PATH of the node's tools; $7 the
   * {@link #LOG_WRITER}; $8 the number of cgroup.procs files that follow (the task's cgroup, joined
   * after the writer is started, so the writer counts against none of its limits); then the
   * command to exec.
   */
  static final String LAUNCHER = String.join("\n",
      "echo \"$$\" > \"$1\" || exit 125",
      "fifo=$2",
      "PATH=$6 rm -f \"$fifo\" && PATH=$6 mkfifo -m 600 \"$fifo\" || exit 125",
      "PATH=$6 /bin/sh -c \"$7\" meshplane-log \"$3\" \"$4\" \"$5\" \"$6\" < \"$fifo\" &",
      "exec > \"$fifo\" 2>&1 || exit 125",
      "PATH=$6 rm -f \"$fifo\"",
      "n=$8",
      "shift 8",
      "while [ \"$n\" -gt 0 ]; do echo \"$$\" > \"$1\" || exit 125; shift; n=$((n - 1)); done",
      "exec \"$@\"");

  /**
   * The task's log writer: $1 the log, $2 max-size in bytes, $3 max-file, $4 PATH. Copies its
   * stdin (the task's output) to the log, at most max-size bytes to a file: {@code head -c} the
   * room left (unbuffered: {@code stdbuf -o0}, so each read is written at once; head reads no
   * more than it is asked), then rotates as docker's json-file driver ({@link TaskLogFiles}), so
   * the log never holds more than max-size x max-file bytes. A line cut by a rotation is read
   * back whole ({@link TaskLogs}). Ignores SIGTERM, SIGINT and SIGHUP (a stop signals the whole
   * process group) and ends when the task's last process has closed its output. No byte passes
   * through the agent's JVM, and the writer outlives an agent restart with its task.
   */
  static final String LOG_WRITER = String.join("\n",
      "trap '' TERM INT HUP",
      "log=$1 max=$2 keep=$3 PATH=$4",
      "size=0",
      "[ -f \"$log\" ] && size=$(wc -c < \"$log\")",
      "rotate() {",
      "  if [ \"$keep\" -le 1 ]; then : > \"$log\"; return; fi",
      "  i=$((keep - 1))",
      "  rm -f \"$log.$i\"",
      "  while [ \"$i\" -gt 1 ]; do j=$((i - 1)); [ -f \"$log.$j\" ] && mv -f \"$log.$j\" \"$log.$i\"; i=$j; done",
      "  mv -f \"$log\" \"$log.1\"",
      "}",
      "while :; do",
      "  if [ \"$size\" -ge \"$max\" ]; then rotate; size=0; fi",
      "  stdbuf -o0 head -c \"$((max - size))\" >> \"$log\" || exit 0",
      "  now=$(wc -c < \"$log\")",
      "  [ \"$now\" -gt \"$size\" ] || exit 0",
      "  size=$now",
      "done");

  /** $1 hostname, $2 exit file, then the program and its arguments. */
  static final String SCRIPT = String.join("\n",
      "trap : TERM INT HUP",
      "exitfile=$2",
      "fail() { echo 125 > \"$exitfile\"; exit 125; }",
      "printf '%s\\n' \"$1\" > /proc/sys/kernel/hostname || fail",
      "shift 2",
      "\"$@\"",
      "rc=$?",
      "echo \"$rc\" > \"$exitfile\"",
      "exit \"$rc\"");

  private TaskCommandLine() {}

  /**
   * The argv: {@code tools} are the absolute paths of setsid, nsenter, unshare and mount;
   * {@code mountTemplate} the file of the {@link TaskMountTemplate}'s namespace;
   * {@code launchPidFile} receives the outer process's pid.
   */
  public static List<String> of(Tools tools, String netns, Path mountTemplate, String hostname, Path exitFile,
      Path launchPidFile, TaskOutput output, List<Path> cgroupProcs, TaskProgram program) {
    List<String> argv = new ArrayList<>(List.of(
        tools.setsid(), "--fork",
        "/bin/sh", "-c", LAUNCHER, "meshplane-launch", launchPidFile.toString(), output.fifo().toString(),
        output.log().toString(), String.valueOf(output.maxSize()), String.valueOf(output.maxFile()), tools.path(),
        LOG_WRITER, String.valueOf(cgroupProcs.size())));
    cgroupProcs.forEach(p -> argv.add(p.toString()));
    argv.addAll(List.of(
        tools.nsenter(), "--net=/run/netns/" + netns, "--mount=" + mountTemplate, "--",
        tools.unshare(), "--uts", "--mount", "--pid", "--fork", "--kill-child", "--mount-proc",
        "--propagation", "private", "--",
        "/bin/sh", "-c", SCRIPT, "meshplane-task",
        hostname, exitFile.toString()));
    argv.addAll(program.argv());
    return argv;
  }

  /** Where the task's output goes: through {@code fifo} to the log writer, into {@code log} and its rotations. */
  public record TaskOutput(Path fifo, Path log, long maxSize, int maxFile) {}

  /**
   * The util-linux programs the command line uses, by absolute path, and {@code path}: a PATH
   * that holds the coreutils the log writer runs (rm, mkfifo, mv, wc, head, stdbuf).
   */
  public record Tools(String setsid, String nsenter, String unshare, String mount, String path) {
    static final List<String> COREUTILS = List.of("rm", "mkfifo", "mv", "wc", "head", "stdbuf");

    /** Looks each up on {@code path}; a missing one is an error naming it. */
    public static Tools find(String path) {
      java.util.Set<String> dirs = new java.util.LinkedHashSet<>();
      for (String c : COREUTILS) {
        dirs.add(Path.of(tool(c, path)).getParent().toString());
      }
      return new Tools(tool("setsid", path), tool("nsenter", path), tool("unshare", path), tool("mount", path),
          String.join(":", dirs));
    }

    private static String tool(String name, String path) {
      return TaskProgram.find(name, path).orElseThrow(() -> new IllegalStateException(
          "the process executor needs " + name + ", not found on " + path)).toString();
    }
  }
}
