package meshplane.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs an outside tool (ip, bridge, ping, nft ...) as the independent witness of what meshplane
 * programmed, with a time limit. Output is stdout and stderr merged.
 */
public final class Command {
  /** How long a command may run when the caller names no limit. */
  public static final int DEFAULT_TIMEOUT_SECONDS = 60;

  /** What a finished command left: its exit status and its output. */
  public record Result(List<String> argv, int exitCode, String output) {
    public Result {
      argv = List.copyOf(argv);
    }

    public boolean ok() {
      return exitCode == 0;
    }

    /** The output, or an error naming the command, its status and its output. */
    public String orThrow() {
      if (exitCode != 0) {
        throw new IllegalStateException(String.join(" ", argv) + " exited " + exitCode + ": " + output);
      }
      return output;
    }
  }

  private Command() {}

  public static Result run(String... argv) {
    return run(DEFAULT_TIMEOUT_SECONDS, argv);
  }

  public static Result run(int timeoutSeconds, String... argv) {
    try {
      return await(new ProcessBuilder(argv).redirectErrorStream(true).start(), List.of(argv), timeoutSeconds);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot run " + String.join(" ", argv), e);
    }
  }

  /** {@code ip netns exec NAMESPACE ARGV...}: a tool run inside a named namespace. */
  public static Result inNamespace(String namespace, String... argv) {
    return inNamespace(namespace, DEFAULT_TIMEOUT_SECONDS, argv);
  }

  /** As {@link #inNamespace(String, String...)}, bounded by {@code timeoutSeconds}. */
  public static Result inNamespace(String namespace, int timeoutSeconds, String... argv) {
    List<String> all = new ArrayList<>(List.of("ip", "netns", "exec", namespace));
    all.addAll(List.of(argv));
    return run(timeoutSeconds, all.toArray(String[]::new));
  }

  /**
   * Waits at most {@code timeoutSeconds} for a started process ({@code argv} names it in errors)
   * (stdin closed, output read as it comes), killing it when time runs out, and returns its
   * status and output.
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
