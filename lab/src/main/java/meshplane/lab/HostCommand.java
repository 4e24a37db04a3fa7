package meshplane.lab;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import meshplane.netlink.NetNamespace;

/**
 * Runs a program inside a lab host. The process is started from a thread that entered the
 * host's namespace, so it is born there (as with {@code nsenter --net}); nothing else about the
 * caller changes.
 */
public final class HostCommand {
  /** What a finished command left: its exit status and its merged stdout and stderr. */
  public record Result(List<String> argv, int exitCode, String output) {
    public Result {
      argv = List.copyOf(argv);
    }

    public boolean ok() {
      return exitCode == 0;
    }

    /** The output, or an error naming the command (and its host), its status and its output. */
    public String orThrow() {
      if (exitCode != 0) {
        throw new IllegalStateException(String.join(" ", argv) + " exited " + exitCode + ": " + output);
      }
      return output;
    }
  }

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
  public static Result run(LabHost host, int timeoutSeconds, List<String> argv) {
    return run(host.namespace(), host.name(), timeoutSeconds, argv);
  }

  /** As {@link #run(LabHost, int, List)} inside any named namespace. */
  public static Result run(String namespace, int timeoutSeconds, List<String> argv) {
    return run(namespace, namespace, timeoutSeconds, argv);
  }

  private static Result run(String namespace, String label, int timeoutSeconds, List<String> argv) {
    Process p = start(namespace, label, new ProcessBuilder(argv).redirectErrorStream(true));
    List<String> named = new ArrayList<>();
    named.add("[" + label + "]");
    named.addAll(argv);
    return await(p, named, timeoutSeconds);
  }

  /**
   * Waits at most {@code timeoutSeconds} for a started process ({@code argv} names it in errors;
   * stdin closed, output read as it comes), killing it when time runs out, and returns its status
   * and output. For any process, in a host or not.
   */
  public static Result await(Process p, List<String> argv, int timeoutSeconds) {
    try {
      p.getOutputStream().close();
      byte[][] out = new byte[1][];
      Thread reader = new Thread(() -> {
        try {
          out[0] = p.getInputStream().readAllBytes();
        } catch (IOException e) {
          out[0] = new byte[0];
        }
      });
      reader.setDaemon(true);
      reader.start();
      if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        reader.join(1000);
        throw new IllegalStateException(String.join(" ", argv) + " did not finish within " + timeoutSeconds + " s");
      }
      reader.join(5000);
      return new Result(argv, p.exitValue(), out[0] == null ? "" : new String(out[0], StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException("waiting for " + String.join(" ", argv), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      p.destroyForcibly();
      throw new IllegalStateException("interrupted running " + String.join(" ", argv), e);
    }
  }
}
