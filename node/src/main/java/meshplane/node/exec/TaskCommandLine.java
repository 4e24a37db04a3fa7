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
  /** $1 the file to write the launcher's pid to, then the command to exec. */
  static final String LAUNCHER = String.join("\n",
      "echo \"$$\" > \"$1\" || exit 125",
      "shift",
      "exec \"$@\"");

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
      Path launchPidFile, TaskProgram program) {
    List<String> argv = new ArrayList<>(List.of(
        tools.setsid(), "--fork",
        "/bin/sh", "-c", LAUNCHER, "meshplane-launch", launchPidFile.toString(),
        tools.nsenter(), "--net=/run/netns/" + netns, "--mount=" + mountTemplate, "--",
        tools.unshare(), "--uts", "--mount", "--pid", "--fork", "--kill-child", "--mount-proc",
        "--propagation", "private", "--",
        "/bin/sh", "-c", SCRIPT, "meshplane-task",
        hostname, exitFile.toString()));
    argv.addAll(program.argv());
    return argv;
  }

  /** The util-linux programs the command line uses, by absolute path. */
  public record Tools(String setsid, String nsenter, String unshare, String mount) {
    /** Looks each up on {@code path}; a missing one is an error naming it. */
    public static Tools find(String path) {
      return new Tools(tool("setsid", path), tool("nsenter", path), tool("unshare", path), tool("mount", path));
    }

    private static String tool(String name, String path) {
      return TaskProgram.find(name, path).orElseThrow(() -> new IllegalStateException(
          "the process executor needs util-linux's " + name + ", not found on " + path)).toString();
    }
  }
}
