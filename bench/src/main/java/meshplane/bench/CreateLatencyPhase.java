package meshplane.bench;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import meshplane.cluster.api.ApiClient;

/**
 * The latency of one service create over the HTTP API at 10, 100 and 1,000 services present
 * (goals: p99 <= 20 ms at each level, p99(1,000) / p99(10) <= 1.5). One client creates
 * {@code lat-0001}, {@code lat-0002}, ... one after another, each a separate request opened as
 * meshctl's ApiClient opens it (a connection per request, inside node1's namespace, to node1's
 * API); a create's latency is from the request's start to its answer. The creates made while
 * {@code L} to {@code L + window - 1} services are present form the window of level {@code L}.
 * Replicas 0: the figure is the control plane's write path (validation, allocation, the Raft
 * commit on 3 managers, the answer), not the node agents starting tasks on the same 2 cores,
 * which the convergence figure measures. Before the first window, 300 creates and deletes of a
 * service warm the JVMs up (not counted), so the first level is not charged with class loading and
 * compilation (with 50 the 10-service level's p50 was twice the 1,000-service one's),
 * and that only once the earlier phase's tasks are gone ({@link LabQuiet}): their stops and
 * namespace teardowns ran on the same 2 cores during the first windows.
 */
final class CreateLatencyPhase implements BenchPhase {
  static final String PREFIX = "lat-";
  private static final int WARM_UP = 300;
  private static final double GOAL_P99_MS = 20;
  private static final double GOAL_RATIO = 1.5;
  private static final String TARGET_P99 = "<= 20 ms at each level";
  private static final String TARGET_RATIO = "<= 1.5";
  private static final long LIMIT_MS = 8 * 60_000;
  private static final long QUIET_LIMIT_MS = 60_000;

  @Override
  public String title() {
    return "create latency";
  }

  @Override
  public List<Goal> notMeasured(String reason) {
    return List.of(Goal.notMeasured("create p99", TARGET_P99, reason), Goal.notMeasured("create p99 ratio", TARGET_RATIO, reason));
  }

  @Override
  public List<Goal> run(ControlLab lab, ControlOptions o, PrintStream out) {
    ApiClient api = lab.api(ControlLab.NODES.get(0));
    if (!BenchServices.names(api).isEmpty()) {
      out.println("  removing services left by the earlier phase: " + BenchServices.removeAll(api, o.clients(), 60_000).text());
    }
    out.println("  waiting for the lab to be quiet: " + LabQuiet.await(QUIET_LIMIT_MS));
    for (int i = 1; i <= WARM_UP; i++) {
      String name = BenchServices.numbered("warm-", i);
      BenchServices.create(api, BenchServices.sleeper(name, 0));
      BenchServices.remove(api, name);
    }
    out.printf("  warm-up: %d creates and deletes, not counted%n", WARM_UP);
    List<Integer> levels = o.latencyLevels();
    int total = levels.get(levels.size() - 1) + o.window();
    List<List<Long>> windows = new ArrayList<>();
    levels.forEach(l -> windows.add(new ArrayList<>()));
    Deadline deadline = Deadline.in(LIMIT_MS);
    long t0 = System.nanoTime();
    for (int present = 0; present < total; present++) {
      if (deadline.passed()) {
        throw new IllegalStateException("creates one after another: only " + present + " of " + total + " made in "
            + LIMIT_MS / 1000 + " s");
      }
      String name = BenchServices.numbered(PREFIX, present + 1);
      long start = System.nanoTime();
      try {
        BenchServices.create(api, BenchServices.sleeper(name, 0));
      } catch (RuntimeException e) {
        throw new IllegalStateException("creating service " + name + " with " + present + " present: " + e.getMessage(), e);
      }
      long took = System.nanoTime() - start;
      for (int l = 0; l < levels.size(); l++) {
        if (present >= levels.get(l) && present < levels.get(l) + o.window()) {
          windows.get(l).add(took);
        }
      }
    }
    double seconds = (System.nanoTime() - t0) / 1e9;
    out.printf("  %,d services created one after another in %.1f s (%.1f ms each on average)%n", total, seconds, seconds * 1000 / total);
    List<Latencies> measured = windows.stream().map(Latencies::ofNanos).toList();
    for (int l = 0; l < levels.size(); l++) {
      out.printf("create latency at %,d services present: %s, replicas 0%n", levels.get(l), measured.get(l).text());
    }
    double worst = measured.stream().mapToDouble(Latencies::p99).max().orElse(Double.NaN);
    double first = measured.get(0).p99();
    double last = measured.get(measured.size() - 1).p99();
    double ratio = last / first;
    out.printf("create p99 ratio %,d / %,d services: %.2f%n", levels.get(levels.size() - 1), levels.get(0), ratio);
    String p99s = String.join(" / ", measured.stream().map(x -> String.format("%.1f", x.p99())).toList());
    String levelText = String.join(" / ", levels.stream().map(l -> String.format("%,d", l)).toList());
    return List.of(
        Goal.measured("create p99", TARGET_P99, p99s + " ms at " + levelText + " services", worst <= GOAL_P99_MS),
        Goal.measured("create p99 ratio", TARGET_RATIO, String.format("%.2f", ratio), ratio <= GOAL_RATIO));
  }
}
