package meshplane.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import meshplane.lab.HostCommand;

/**
 * A server the benchmark started in the foreground inside a namespace (nginx with
 * {@code daemon off}, haproxy with {@code -db}), so the started process is the server's master
 * and its workers are its children. {@link #stop} ends exactly those processes, by id: SIGTERM,
 * then SIGKILL after a grace period. Output goes to a log file beside the configuration.
 */
final class Daemon {
  private final String label;
  private final Process process;
  private final Path log;

  private Daemon(String label, Process process, Path log) {
    this.label = label;
    this.process = process;
    this.log = log;
  }

  static Daemon start(String label, String namespace, Path log, List<String> argv) {
    ProcessBuilder pb = new ProcessBuilder(argv).redirectErrorStream(true).redirectOutput(log.toFile());
    Process p = HostCommand.start(namespace, pb);
    try {
      Files.writeString(pidFile(log), Long.toString(p.pid()));
    } catch (IOException e) {
      p.destroyForcibly();
      throw new UncheckedIOException("cannot write " + pidFile(log), e);
    }
    return new Daemon(label, p, log);
  }

  private static Path pidFile(Path log) {
    return log.resolveSibling(log.getFileName() + ".pid");
  }

  /**
   * Stops what an earlier run left behind when it was killed outright: every process named in a
   * {@code *.out.pid} file under {@code dir} whose command line still mentions {@code dir} (so a
   * reused pid is never hit), with its children. Returns how many.
   */
  static int stopStale(Path dir) {
    if (!Files.isDirectory(dir)) {
      return 0;
    }
    int stopped = 0;
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path f : files.filter(x -> x.getFileName().toString().endsWith(".out.pid")).toList()) {
        long pid = Long.parseLong(Files.readString(f).strip());
        Optional<ProcessHandle> h = ProcessHandle.of(pid);
        if (h.isPresent() && commandLine(pid).contains(dir.toString())) {
          stop(h.get());
          stopped++;
        }
        Files.delete(f);
      }
    } catch (IOException | NumberFormatException e) {
      throw new IllegalStateException("cannot read the pid files under " + dir + ": " + e.getMessage(), e);
    }
    return stopped;
  }

  String label() {
    return label;
  }

  long pid() {
    return process.pid();
  }

  /** Fails, with the log's tail, if the server has already exited (a bad config, a port in use). */
  void requireAlive() {
    if (!process.isAlive()) {
      throw new IllegalStateException(label + " exited " + process.exitValue() + ": " + tail());
    }
  }

  String tail() {
    try {
      List<String> lines = Files.readAllLines(log);
      return String.join(" | ", lines.subList(Math.max(0, lines.size() - 3), lines.size()));
    } catch (IOException e) {
      return "(no log " + log + ")";
    }
  }

  void stop() {
    stop(process.toHandle());
    try {
      Files.deleteIfExists(pidFile(log));
    } catch (IOException e) {
      // a stale pid file is checked against the command line before it is used
    }
  }

  /**
   * The process's /proc command line, NULs as spaces. (ProcessHandle.Info has none for nginx,
   * whose master rewrites its argv into one title string.)
   */
  private static String commandLine(long pid) {
    try {
      return new String(Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline"))).replace('\0', ' ');
    } catch (IOException e) {
      return ""; // gone meanwhile
    }
  }

  /** SIGTERM, SIGKILL after 3 s, then SIGKILL to any child (worker) still alive. */
  private static void stop(ProcessHandle h) {
    List<ProcessHandle> children = h.descendants().toList();
    h.destroy();
    try {
      h.onExit().get(3, TimeUnit.SECONDS);
    } catch (TimeoutException | ExecutionException e) {
      h.destroyForcibly();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      h.destroyForcibly();
    }
    children.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
  }
}
