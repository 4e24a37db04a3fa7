package meshplane.lab;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import meshplane.netlink.NetNamespace;

/**
 * Runs a program inside a lab host. The process is started from a thread that entered the
 * host's namespace, so it is born there (as with {@code nsenter --net}); nothing else about the
 * caller changes.
 */
public final class HostCommand {
  /** The exit status and merged output of a finished command. */
  public record Result(String host, List<String> argv, int exitCode, String output) {
    public boolean ok() {
      return exitCode == 0;
    }

    public String orThrow() {
      if (exitCode != 0) {
        throw new IllegalStateException("on " + host + ": " + String.join(" ", argv) + " exited " + exitCode + ": " + output);
      }
      return output;
    }
  }

  private HostCommand() {}

  /** Starts {@code argv} inside {@code host}'s namespace with the given process setup. */
  public static Process start(LabHost host, ProcessBuilder pb) {
    try (NetNamespace ns = host.openNamespace()) {
      return ns.call(() -> {
        try {
          return pb.start();
        } catch (IOException e) {
          throw new UncheckedIOException("cannot start " + String.join(" ", pb.command()) + " on " + host.name(), e);
        }
      });
    }
  }

  /** Runs {@code argv} on {@code host}, waits at most {@code timeoutSeconds}, returns status and output. */
  public static Result run(LabHost host, int timeoutSeconds, List<String> argv) {
    Process p = start(host, new ProcessBuilder(argv).redirectErrorStream(true));
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
        throw new IllegalStateException("on " + host.name() + ": " + String.join(" ", argv)
            + " did not finish within " + timeoutSeconds + " s");
      }
      reader.join(5000);
      return new Result(host.name(), argv, p.exitValue(), out[0] == null ? "" : new String(out[0], StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      p.destroyForcibly();
      throw new IllegalStateException("interrupted running " + argv + " on " + host.name(), e);
    }
  }
}
