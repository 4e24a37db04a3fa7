package meshplane.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import meshplane.cluster.api.ApiClient;

/**
 * Waits for a set of services to have converged: every service of the set present and at its
 * desired count of RUNNING tasks ({@code GET /v1/services}: {@code running == desired}), and every
 * node's data plane applied: the node's {@code GET /v1/info} {@code assignmentApplied} equals the
 * version of its current assignment ({@code GET /v1/agent/assignment?node=ID&timeoutMs=0} at
 * node1's manager). Looked at every {@value #POLL_MS} ms; the time is taken when a look that saw
 * it converged has ended, so it is at most one look late.
 */
final class Convergence {
  static final long POLL_MS = 250;

  /** One look: the set's services and tasks, and each node's applied / current assignment version. */
  record Seen(int services, int servicesAtDesired, long running, long desired, List<String> nodes, boolean applied) {
    boolean converged(int expectedServices) {
      return services == expectedServices && servicesAtDesired == services && applied;
    }

    String text() {
      return String.format("%,d services, %,d at their desired count, %,d of %,d tasks running; nodes (applied/current) %s",
          services, servicesAtDesired, running, desired, nodes.isEmpty() ? "not checked yet" : String.join(", ", nodes));
    }
  }

  /** Converged after {@code millis} from the start given, or not within the limit, with the last look. */
  record Result(boolean converged, long millis, Seen last) {
    /** {@code since}: what the time is counted from ("the last create"). */
    String text(String since) {
      return converged ? String.format("converged %.1f s after %s (%s)", millis / 1000.0, since, last.text())
          : String.format("not converged within %d s of %s: %s", millis / 1000, since, last.text());
    }
  }

  private Convergence() {}

  /** Waits until the services named {@code prefix*} ({@code expected} of them) converged, measured from {@code fromNanos}. */
  static Result await(ControlLab lab, String prefix, int expected, long fromNanos, long limitMillis) {
    Deadline deadline = new Deadline(fromNanos + limitMillis * 1_000_000L);
    while (true) {
      Seen s = look(lab, prefix, expected, false);
      long now = System.nanoTime();
      if (s.converged(expected)) {
        return new Result(true, (now - fromNanos) / 1_000_000, s);
      }
      if (deadline.passed()) {
        return new Result(false, limitMillis, look(lab, prefix, expected, true));
      }
      Sleep.millis(POLL_MS);
    }
  }

  /** One look; the nodes are asked once the services are at their counts, or always with {@code allNodes}. */
  static Seen look(ControlLab lab, String prefix, int expected, boolean allNodes) {
    ApiClient leader = lab.api(ControlLab.NODES.get(0));
    int services = 0;
    int atDesired = 0;
    long running = 0;
    long desired = 0;
    for (JsonNode s : leader.get("/v1/services")) {
      if (s.path("name").asText().startsWith(prefix)) {
        services++;
        running += s.path("running").asLong();
        desired += s.path("desired").asLong();
        atDesired += s.path("running").asLong() == s.path("desired").asLong() ? 1 : 0;
      }
    }
    List<String> nodes = new ArrayList<>();
    boolean applied = true;
    boolean tasksDone = services == expected && atDesired == services;
    if (tasksDone || allNodes) {
      for (String node : ControlLab.NODES) {
        long current = leader.get("/v1/agent/assignment?node=" + lab.nodeId(node) + "&timeoutMs=0").path("version").asLong(-2);
        long done = lab.api(node).get("/v1/info").path("assignmentApplied").asLong(-1);
        nodes.add(node + " " + done + "/" + current);
        applied &= done == current;
      }
    } else {
      applied = false;
    }
    return new Seen(services, atDesired, running, desired, nodes, applied);
  }
}
