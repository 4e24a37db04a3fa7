package meshplane.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A daemon's threads and resident memory as the kernel counts them ({@code /proc/PID/status}:
 * {@code Threads}, {@code VmRSS}), sampled every 250 ms on a thread of its own while it runs;
 * the peak kept.
 */
final class DaemonGauge implements AutoCloseable {
  record Sample(int threads, long rssKb) {
    @Override
    public String toString() {
      return threads + " threads, RSS " + rssKb / 1024 + " MiB";
    }
  }

  private final long pid;
  private final Thread sampler;
  private volatile boolean running = true;
  private volatile Sample peak = new Sample(0, 0);

  DaemonGauge(long pid) {
    this.pid = pid;
    this.sampler = new Thread(() -> {
      while (running) {
        Sample s = now();
        Sample p = peak;
        peak = new Sample(Math.max(p.threads(), s.threads()), Math.max(p.rssKb(), s.rssKb()));
        try {
          Thread.sleep(250);
        } catch (InterruptedException e) {
          return;
        }
      }
    }, "daemon-gauge-" + pid);
    sampler.setDaemon(true);
  }

  DaemonGauge start() {
    sampler.start();
    return this;
  }

  Sample now() {
    try {
      int threads = 0;
      long rss = 0;
      for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
        if (line.startsWith("Threads:")) {
          threads = Integer.parseInt(line.substring(8).trim());
        } else if (line.startsWith("VmRSS:")) {
          rss = Long.parseLong(line.substring(6).replace("kB", "").trim());
        }
      }
      return new Sample(threads, rss);
    } catch (IOException e) {
      throw new AssertionError("the daemon " + pid + " is gone: " + e.getMessage(), e);
    }
  }

  /** The daemon's threads by name, numbers left out ({@code api-worker 12, jraft 30, ...}). */
  java.util.Map<String, Integer> census() {
    java.util.Map<String, Integer> m = new java.util.TreeMap<>();
    try (var tasks = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
      for (Path t : (Iterable<Path>) tasks::iterator) {
        try {
          String name = Files.readString(t.resolve("comm")).trim().replaceAll("[-_#]?\\d+", "");
          m.merge(name, 1, Integer::sum);
        } catch (IOException ended) {
          // the thread ended meanwhile
        }
      }
    } catch (IOException e) {
      throw new AssertionError("the daemon " + pid + " is gone: " + e.getMessage(), e);
    }
    return m;
  }

  Sample peak() {
    return peak;
  }

  @Override
  public void close() throws InterruptedException {
    running = false;
    sampler.interrupt();
    sampler.join(2_000);
  }
}
