package meshplane.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * scripts/bench-control.sh: the control plane measured in a lab of its own ({@link ControlLab}:
 * 3 nodes, all managers, the daemons of meshctl.jar), in one run (docs/benchmarks.md):
 * <ol>
 *   <li>whoami and nginx through the published port ({@link PublishedPortPhase});
 *   <li>create latency at 10, 100 and 1,000 services ({@link CreateLatencyPhase});
 *   <li>writes per second with 16 clients ({@link WritesPhase});
 *   <li>1,000 services x 2 replicas: the daemons' threads and RSS at 10 and 600 tasks, node3's
 *       assignment at 10 and 1,000 services, convergence after the last create ({@link ScalePhase}).
 * </ol>
 * One line per figure, then a summary line with each goal met or not. A phase that fails is
 * reported and the next one runs. Bounded: a watchdog ends the run after {@code --deadline}
 * minutes; the lab is removed at the end, on failure, on SIGTERM / Ctrl-C and on the watchdog.
 * Exit status 0 when every phase was measured (goals are reported, not enforced), 1 otherwise.
 */
public final class ControlBench {
  private final ControlOptions options;
  private final PrintStream out;
  private boolean cleaned;
  private volatile boolean stopping;

  private ControlBench(ControlOptions options, PrintStream out) {
    this.options = options;
    this.out = out;
  }

  public static void main(String[] args) {
    ControlOptions o;
    try {
      o = ControlOptions.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println("bench-control: " + e.getMessage());
      System.exit(2);
      return;
    }
    ControlBench bench = new ControlBench(o, System.out);
    Runtime.getRuntime().addShutdownHook(new Thread(bench::cleanup, "bench-control-cleanup"));
    Thread watchdog = new Thread(() -> {
      try {
        Thread.sleep(o.deadlineMinutes() * 60_000L);
        System.err.printf("bench-control: deadline of %d minutes passed, stopping%n", o.deadlineMinutes());
        System.exit(3); // the shutdown hook removes the lab
      } catch (InterruptedException e) {
        // finished in time
      }
    }, "bench-control-watchdog");
    watchdog.setDaemon(true);
    watchdog.start();
    int status;
    try {
      status = bench.run();
    } catch (RuntimeException e) {
      System.err.println("bench-control: " + e.getMessage());
      status = 1;
    } finally {
      bench.cleanup();
    }
    System.exit(status);
  }

  private int run() {
    long t0 = System.nanoTime();
    out.printf("control-plane benchmark: lab %s, 3 nodes, all managers, heartbeat 5 s (lab up's default); tasks %s%n",
        ControlLab.NAME, "busybox sleep 100000 (process executor, no network: a namespace with lo only), off node3");
    ControlLab lab = ControlLab.up(out);
    List<Goal> goals = new ArrayList<>();
    boolean allMeasured = true;
    for (BenchPhase p : List.of(new PublishedPortPhase(), new CreateLatencyPhase(), new WritesPhase(), new ScalePhase())) {
      if (stopping) { // Ctrl-C, SIGTERM or the deadline: the lab is being removed
        goals.addAll(p.notMeasured("the run was stopped"));
        allMeasured = false;
        continue;
      }
      out.println("-- " + p.title());
      try {
        goals.addAll(p.run(lab, options, out));
      } catch (RuntimeException e) {
        String reason = firstLine(e.getMessage());
        out.println(p.title() + ": failed: " + reason);
        goals.addAll(p.notMeasured(reason));
        allMeasured = false;
      }
    }
    out.printf("(%.0f s in all, before the lab's removal)%n", (System.nanoTime() - t0) / 1e9);
    out.println("summary: " + String.join("; ", goals.stream().map(Goal::text).toList()));
    return allMeasured ? 0 : 1;
  }

  /** Removes the lab (daemons, their tasks, every namespace) and the benchmark's files. Runs once. */
  private synchronized void cleanup() {
    if (cleaned) {
      return;
    }
    cleaned = true;
    stopping = true;
    try {
      ControlLab.down();
    } catch (RuntimeException e) {
      System.err.println("bench-control: removing lab " + ControlLab.NAME + ": " + e.getMessage());
    }
    deleteTree(PublishedPortPhase.DIR);
  }

  private static void deleteTree(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      System.err.println("bench-control: removing " + dir + ": " + e.getMessage());
    }
  }

  private static String firstLine(String s) {
    return s == null ? "(no message)" : s.strip().lines().findFirst().orElse("");
  }
}
