package meshplane.node.exec;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The command line that runs a task's program with util-linux: {@code setsid} (its own session
 * and process group, so the agent's signals and exit do not reach it and it can be signalled
 * whole), {@code nsenter --net} into the task's namespace, {@code unshare} of new UTS, mount and
 * PID namespaces (private propagation, a /proc of its own), and a small {@code /bin/sh} script
 * as the new PID 1 that sets the hostname, bind-mounts resolv.conf (and /etc/hostname when the
 * node has one) over the node's, runs the program, and writes its exit status to a file. The
 * values reach the script as positional parameters, never spliced into its text, so arguments
 * need no quoting.
 */
public final class TaskCommandLine {
  /** $1 hostname, $2 mount, $3 resolv.conf, $4 hostname file, $5 exit file, then the program and its arguments. */
  static final String SCRIPT = String.join("\n",
      "trap : TERM INT HUP",
      "printf '%s\\n' \"$1\" > /proc/sys/kernel/hostname || exit 125",
      "\"$2\" --bind \"$3\" /etc/resolv.conf || exit 125",
      "if [ -e /etc/hostname ]; then \"$2\" --bind \"$4\" /etc/hostname || exit 125; fi",
      "exitfile=$5",
      "shift 5",
      "\"$@\"",
      "rc=$?",
      "echo \"$rc\" > \"$exitfile\"",
      "exit \"$rc\"");

  private TaskCommandLine() {}

  /** The argv: {@code tools} are the absolute paths of setsid, nsenter, unshare and mount. */
  public static List<String> of(Tools tools, String netns, String hostname, Path resolvConf, Path hostnameFile,
      Path exitFile, TaskProgram program) {
    List<String> argv = new ArrayList<>(List.of(
        tools.setsid(),
        tools.nsenter(), "--net=/run/netns/" + netns, "--",
        tools.unshare(), "--uts", "--mount", "--pid", "--fork", "--kill-child", "--mount-proc",
        "--propagation", "private", "--",
        "/bin/sh", "-c", SCRIPT, "meshplane-task",
        hostname, tools.mount(), resolvConf.toString(), hostnameFile.toString(), exitFile.toString()));
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
