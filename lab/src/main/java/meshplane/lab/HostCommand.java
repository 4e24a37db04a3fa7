package meshplane.lab;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import meshplane.netlink.NetNamespace;
import meshplane.netlink.testing.Command;

/**
 * Runs a program inside a lab host. The process is started from a thread that entered the
 * host's namespace, so it is born there (as with {@code nsenter --net}); nothing else about the
 * caller changes.
 */
public final class HostCommand {
  private HostCommand() {}

  /** Starts a process inside {@code host}'s namespace with the given process setup. */
  public static Process start(LabHost host, ProcessBuilder pb) {
    return start(host.namespace(), host.name(), pb);
  }

  /** Starts a process inside the named namespace (a lab host's, a sandbox's, a task's). */
  public static Process start(String namespace, ProcessBuilder pb) {
    return start(namespace, namespace, pb);
  }

  private static Process start(String namespace, String label, ProcessBuilder pb) {
    try (NetNamespace ns = NetNamespace.open(namespace)) {
      return ns.call(() -> {
        try {
          return pb.start();
        } catch (IOException e) {
          throw new UncheckedIOException("cannot start " + String.join(" ", pb.command()) + " on " + label, e);
        }
      });
    }
  }

  /**
   * Runs {@code argv} on {@code host}, waits at most {@code timeoutSeconds}, and returns status
   * and merged output; errors name the host as {@code [node1] ping ...}.
   */
  public static Command.Result run(LabHost host, int timeoutSeconds, List<String> argv) {
    return run(host.namespace(), host.name(), timeoutSeconds, argv);
  }

  /** As {@link #run(LabHost, int, List)} inside any named namespace. */
  public static Command.Result run(String namespace, int timeoutSeconds, List<String> argv) {
    return run(namespace, namespace, timeoutSeconds, argv);
  }

  private static Command.Result run(String namespace, String label, int timeoutSeconds, List<String> argv) {
    Process p = start(namespace, label, new ProcessBuilder(argv).redirectErrorStream(true));
    List<String> named = new ArrayList<>();
    named.add("[" + label + "]");
    named.addAll(argv);
    return Command.await(p, named, timeoutSeconds);
  }
}
