package meshplane.bench;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import meshplane.cluster.api.ApiClient;
import meshplane.cluster.model.ServiceSpec;

/**
 * Writes per second with 16 concurrent clients (goal >= 500/s): {@code --writes} creates of
 * services {@code w-0001}, ... (replicas 0, as the latency phase's, for the same reason), each
 * client sending its next create when its last was answered, to node1's API; at most 2 minutes.
 * The rate is the creates answered divided by the time from the start to the last answer. It runs
 * after the latency phase, with its 1,050 services present.
 */
final class WritesPhase implements BenchPhase {
  static final String PREFIX = "w-";
  private static final double GOAL = 500;
  private static final String TARGET = ">= 500/s";
  private static final long LIMIT_MS = 120_000;

  @Override
  public String title() {
    return "writes per second";
  }

  @Override
  public List<Goal> notMeasured(String reason) {
    return List.of(Goal.notMeasured("writes", TARGET, reason));
  }

  @Override
  public List<Goal> run(ControlLab lab, ControlOptions o, PrintStream out) {
    ApiClient api = lab.api(ControlLab.NODES.get(0));
    int present = BenchServices.names(api).size();
    List<ServiceSpec> specs = new ArrayList<>();
    for (int i = 1; i <= o.writes(); i++) {
      specs.add(BenchServices.sleeper(BenchServices.numbered(PREFIX, i), 0));
    }
    ParallelRequests.Result r = ParallelRequests.run(specs, o.clients(), LIMIT_MS, s -> BenchServices.create(api, s));
    out.printf("writes with %d concurrent clients (creates, replicas 0, %,d services present before): %s%n", o.clients(), present,
        r.text());
    String figure = String.format("%.0f/s with %d clients", r.perSecond(), o.clients());
    if (!r.complete()) {
      figure += String.format(" (%d of %d answered)", r.done(), r.asked());
    }
    return List.of(Goal.measured("writes", TARGET, figure, r.complete() && r.perSecond() >= GOAL));
  }
}
