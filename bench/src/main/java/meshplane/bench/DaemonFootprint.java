package meshplane.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** A node daemon's threads and resident memory, from {@code /proc/<pid>/status} ({@code Threads:}, {@code VmRSS:}). */
record DaemonFootprint(String node, long pid, int threads, long rssKiB) {
  static DaemonFootprint of(String node, long pid) {
    Path status = Path.of("/proc", Long.toString(pid), "status");
    try {
      List<String> lines = Files.readAllLines(status);
      return new DaemonFootprint(node, pid, (int) field(lines, "Threads:", status), field(lines, "VmRSS:", status));
    } catch (IOException e) {
      throw new IllegalStateException("cannot read " + status + " of the daemon of " + node + ": " + e.getMessage(), e);
    }
  }

  /** The number after {@code name} ({@code VmRSS:  123456 kB} gives 123456). */
  static long field(List<String> statusLines, String name, Path from) {
    for (String l : statusLines) {
      if (l.startsWith(name)) {
        return Long.parseLong(l.substring(name.length()).strip().split("\\s+")[0]);
      }
    }
    throw new IllegalStateException(from + " has no " + name + " line");
  }

  /** {@code node1 52 threads 301 MiB}. */
  String text() {
    return String.format("%s %d threads %d MiB", node, threads, rssKiB / 1024);
  }
}
