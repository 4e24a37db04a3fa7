package meshplane.bench;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import meshplane.cluster.api.ApiClient;
import meshplane.cluster.model.ServiceSpec;

/**
 * 1,000 services of 2 replicas (the sleepers of {@link BenchServices}: {@code busybox sleep
 * 100000}, no network, off node3, so 2,000 tasks on node1 and node2), built up in steps from a
 * swarm with no service, and measured along the way:
 * <ol>
 *   <li>5 services, one after another, converged: each daemon's threads and RSS (10 tasks);
 *   <li>10 services, converged: the bytes of node3's assignment (node3 runs none of them) and,
 *       for contrast, node1's;
 *   <li>300 services (16 clients), converged: threads and RSS again (600 tasks); goal: threads do
 *       not grow with tasks, i.e. every daemon's count at 600 tasks is at most 1.1 x its count at 10;
 *   <li>1,000 services (16 clients): the time from the last create's answer until converged
 *       ({@link Convergence}; goal within 10 s), then node3's assignment again (goal: no growth,
 *       at most 1% for the digits of its version) and the daemons at 2,000 tasks, for context.
 * </ol>
 */
final class ScalePhase implements BenchPhase {
  static final String PREFIX = "bulk-";
  static final int REPLICAS = 2;
  private static final long CONVERGE_GOAL_MS = 10_000;
  private static final long CONVERGE_LIMIT_MS = 180_000;
  private static final long STEP_LIMIT_MS = 90_000;
  private static final long CREATE_LIMIT_MS = 180_000;
  private static final double THREADS_GOAL = 1.1;
  private static final double BYTES_GOAL = 1.01;
  private static final String CONVERGE = "converged";
  private static final String CONVERGE_TARGET = "within 10 s of the last create";
  private static final String BYTES = "node3 assignment";
  private static final String BYTES_TARGET = "no growth (<= 1.01 x)";
  private static final String THREADS = "daemon threads";
  private static final String THREADS_TARGET = "no growth with tasks (<= 1.1 x)";

  @Override
  public String title() {
    return "services of 2 replicas: footprint, assignment size, convergence";
  }

  @Override
  public List<Goal> notMeasured(String reason) {
    return List.of(Goal.notMeasured(CONVERGE, CONVERGE_TARGET, reason), Goal.notMeasured(BYTES, BYTES_TARGET, reason),
        Goal.notMeasured(THREADS, THREADS_TARGET, reason));
  }

  @Override
  public List<Goal> run(ControlLab lab, ControlOptions o, PrintStream out) {
    ApiClient api = lab.api(ControlLab.NODES.get(0));
    out.println("  removing the services of the earlier phases: " + BenchServices.removeAll(api, o.clients(), 120_000).text());
    List<ServiceSpec> specs = new ArrayList<>();
    for (int i = 1; i <= o.services(); i++) {
      specs.add(BenchServices.sleeper(BenchServices.numbered(PREFIX, i), REPLICAS));
    }

    createUpTo(api, specs, 0, o.firstFootprintServices(), 1, out);
    converge(lab, o.firstFootprintServices(), out);
    List<DaemonFootprint> few = footprints(lab, o.firstFootprintServices(), out);

    createUpTo(api, specs, o.firstFootprintServices(), o.firstAssignmentServices(), 1, out);
    converge(lab, o.firstAssignmentServices(), out);
    AssignmentSize offBefore = assignment(lab, BenchServices.OFF_NODE);
    AssignmentSize onBefore = assignment(lab, ControlLab.NODES.get(0));
    out.printf("assignment at %,d services: %s (runs none of them); %s%n", o.firstAssignmentServices(), offBefore.text(),
        onBefore.text());

    createUpTo(api, specs, o.firstAssignmentServices(), o.secondFootprintServices(), o.clients(), out);
    converge(lab, o.secondFootprintServices(), out);
    List<DaemonFootprint> many = footprints(lab, o.secondFootprintServices(), out);
    double threadRatio = 0;
    StringBuilder ratios = new StringBuilder();
    for (int i = 0; i < few.size(); i++) {
      double r = (double) many.get(i).threads() / few.get(i).threads();
      threadRatio = Math.max(threadRatio, r);
      ratios.append(String.format("%s%s %d -> %d (%.2f)", i == 0 ? "" : ", ", few.get(i).node(), few.get(i).threads(),
          many.get(i).threads(), r));
    }
    out.printf("daemon threads %,d -> %,d tasks: %s%n", REPLICAS * o.firstFootprintServices(), REPLICAS * o.secondFootprintServices(),
        ratios);

    ParallelRequests.Result last = createUpTo(api, specs, o.secondFootprintServices(), o.services(), o.clients(), out);
    Convergence.Result c = Convergence.await(lab, PREFIX, o.services(), last.lastAnswerNanos(), CONVERGE_LIMIT_MS);
    out.printf("%,d services x %d replicas: %s%n", o.services(), REPLICAS, c.text("the last create"));
    out.println("  " + c.timeline());
    AssignmentSize offAfter = assignment(lab, BenchServices.OFF_NODE);
    AssignmentSize onAfter = assignment(lab, ControlLab.NODES.get(0));
    out.printf("assignment at %,d services: %s (runs none of them); %s%n", o.services(), offAfter.text(), onAfter.text());
    double bytesRatio = (double) offAfter.bytes() / offBefore.bytes();
    out.printf("node3 assignment %,d -> %,d services: %,d -> %,d bytes (%.3f x); node1 %,d -> %,d bytes%n",
        o.firstAssignmentServices(), o.services(), offBefore.bytes(), offAfter.bytes(), bytesRatio, onBefore.bytes(), onAfter.bytes());
    footprints(lab, o.services(), out);

    return List.of(
        Goal.measured(CONVERGE, CONVERGE_TARGET, c.converged() ? String.format("%.1f s", c.millis() / 1000.0)
            : "not within " + c.millis() / 1000 + " s", c.converged() && c.millis() <= CONVERGE_GOAL_MS),
        Goal.measured(BYTES, BYTES_TARGET, String.format("%,d -> %,d bytes at %,d -> %,d services", offBefore.bytes(), offAfter.bytes(),
            o.firstAssignmentServices(), o.services()), bytesRatio <= BYTES_GOAL),
        Goal.measured(THREADS, THREADS_TARGET, String.format("max %.2f x from %,d to %,d tasks", threadRatio,
            REPLICAS * o.firstFootprintServices(), REPLICAS * o.secondFootprintServices()), threadRatio <= THREADS_GOAL));
  }

  /** Creates specs[from, to) with {@code clients} clients; fails unless every one was answered. */
  private static ParallelRequests.Result createUpTo(ApiClient api, List<ServiceSpec> specs, int from, int to, int clients,
      PrintStream out) {
    if (from >= to) {
      return ParallelRequests.run(List.of(), 1, 0, s -> { });
    }
    ParallelRequests.Result r = ParallelRequests.run(specs.subList(from, to), clients, CREATE_LIMIT_MS, s -> BenchServices.create(api, s));
    out.printf("  created services %d-%d of %d replicas with %d client(s): %s%n", from + 1, to, REPLICAS, clients, r.text());
    if (!r.complete()) {
      throw new IllegalStateException("creating services " + (from + 1) + "-" + to + ": " + r.text());
    }
    return r;
  }

  /** Waits for the first {@code services} to converge (from now); reports and goes on when they do not. */
  private static void converge(ControlLab lab, int services, PrintStream out) {
    Convergence.Result c = Convergence.await(lab, PREFIX, services, System.nanoTime(), STEP_LIMIT_MS);
    out.printf("  %,d services x %d replicas: %s%n", services, REPLICAS, c.text("their creates"));
  }

  private static List<DaemonFootprint> footprints(ControlLab lab, int services, PrintStream out) {
    Sleep.millis(1000); // threads a sync started a moment ago end
    List<DaemonFootprint> f = ControlLab.NODES.stream().map(n -> DaemonFootprint.of(n, lab.daemonPid(n))).toList();
    out.printf("daemons at %,d tasks (%,d services): %s%n", REPLICAS * services, services,
        String.join("; ", f.stream().map(DaemonFootprint::text).toList()));
    return f;
  }

  private static AssignmentSize assignment(ControlLab lab, String node) {
    return AssignmentSize.of(lab, node, node, lab.nodeId(node)); // from its own manager, as its agent gets it
  }
}
