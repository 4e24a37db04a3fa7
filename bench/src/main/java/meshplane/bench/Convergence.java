package meshplane.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import meshplane.cluster.api.ApiClient;

/**
 * Waits for a set of services to have converged: every service of the set present and at its
 * desired count of RUNNING tasks ({@code GET /v1/services} at node1: {@code running == desired}),
 * and every node's data plane applied: the node's {@code GET /v1/info} {@code assignmentApplied}
 * is the version of its current assignment ({@code GET /v1/agent/assignment?node=ID&timeoutMs=0}).
 * A version is the Raft index at which the answering manager first computed that content
 * (cluster's {@code Assignments}), so two managers may number the same content differently, and
 * /v1/info does not say which manager the agent polls: a node counts as applied when all three
 * managers give it the same content and its applied version is that content's number at one of
 * them. Looked at every {@value #POLL_MS} ms; the time is taken when a look that saw it converged
 * has ended, so it is at most one look late.
 */
final class Convergence {
  static final long POLL_MS = 250;

  /** One look: the set's services and tasks, and each node's applied / current assignment version. */
  record Seen(int services, int servicesAtDesired, long running, long desired, List<String> nodes, boolean applied) {
    boolean converged(int expectedServices) {
      return services == expectedServices && servicesAtDesired == services && applied;
    }

    String text() {
      return String.format("%,d services, %,d at their desired count, %,d of %,d tasks running; nodes: %s",
          services, servicesAtDesired, running, desired, nodes.isEmpty() ? "not checked yet" : String.join(", ", nodes));
    }
  }

  /**
   * Converged after {@code millis} from the start given, or not within the limit, with the last
   * look and the way there: the tasks running at each second, and when all were.
   */
  record Result(boolean converged, long millis, Seen last, String timeline) {
    /** {@code since}: what the time is counted from ("the last create"). */
    String text(String since) {
      return converged ? String.format("converged %.1f s after %s (%s)", millis / 1000.0, since, last.text())
          : String.format("not converged within %d s of %s: %s", millis / 1000, since, last.text());
    }
  }

  private Convergence() {}

  /**
   * Whether {@code node}'s agent applied its current assignment: every manager gives it the same
   * content (so none holds a newer one), and the agent's {@code assignmentApplied} is that
   * content's version at one of them (the one it polls). Returns e.g. {@code node3 applied 273
   * (managers 273/193/273)}, with {@code NOT} in it when not.
   */
  private static String nodeApplied(ControlLab lab, String node) {
    String path = "/v1/agent/assignment?node=" + lab.nodeId(node) + "&timeoutMs=0";
    List<Long> versions = new ArrayList<>();
    Set<JsonNode> contents = new HashSet<>();
    for (String manager : ControlLab.NODES) {
      JsonNode a = lab.asNode(node, manager).get(path);
      versions.add(a.path("version").asLong(-2));
      contents.add(((ObjectNode) a.deepCopy()).without("version"));
    }
    long applied = lab.api(node).get("/v1/info").path("assignmentApplied").asLong(-1);
    boolean ok = contents.size() == 1 && versions.contains(applied);
    return String.format("%s %sapplied %d (managers %s%s)", node, ok ? "" : "NOT ", applied,
        String.join("/", versions.stream().map(String::valueOf).toList()), contents.size() == 1 ? "" : ", contents differ");
  }

  /** Waits until the services named {@code prefix*} ({@code expected} of them) converged, measured from {@code fromNanos}. */
  static Result await(ControlLab lab, String prefix, int expected, long fromNanos, long limitMillis) {
    Deadline deadline = new Deadline(fromNanos + limitMillis * 1_000_000L);
    StringBuilder timeline = new StringBuilder("tasks running at");
    long nextSecond = 1_000;
    long allRunningMs = -1;
    while (true) {
      Seen s = look(lab, prefix, expected, false);
      long ms = (System.nanoTime() - fromNanos) / 1_000_000;
      if (allRunningMs < 0 && s.services() == expected && s.servicesAtDesired() == s.services()) {
        allRunningMs = ms;
      }
      if (ms >= nextSecond) {
        timeline.append(String.format(" %d s: %,d;", ms / 1000, s.running()));
        nextSecond = (ms / 1000 + 1) * 1000;
      }
      if (s.converged(expected)) {
        return new Result(true, ms, s, timeline + String.format(" all at %.1f s, every node applied at %.1f s",
            allRunningMs / 1000.0, ms / 1000.0));
      }
      if (deadline.passed()) {
        return new Result(false, limitMillis, look(lab, prefix, expected, true), timeline.toString());
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
        String seen = nodeApplied(lab, node);
        nodes.add(seen);
        applied &= !seen.contains("NOT");
      }
    } else {
      applied = false;
    }
    return new Seen(services, atDesired, running, desired, nodes, applied);
  }
}
