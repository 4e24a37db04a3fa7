package meshplane.cluster.manager;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import meshplane.cluster.api.ApiFailure;
import meshplane.cluster.api.ApiResponse;
import meshplane.cluster.api.Router;
import meshplane.cluster.model.TaskReport;

/**
 * The agents' side of the API: heartbeats (with task reports) go to the leader, which keeps the
 * sessions; the assignment long poll ({@link Assignments}) is answered by any manager from its own
 * replica, and only with the asking node's own assignment.
 */
final class AgentRoutes {
  static final long POLL_TIMEOUT_MS = 25_000;

  private final ManagerContext ctx;

  AgentRoutes(ManagerContext ctx) {
    this.ctx = ctx;
  }

  record Heartbeat(String nodeId, List<TaskReport> reports) {}

  void register(Router r) {
    r.add("POST", "/v1/agent/heartbeat", q -> ctx.write(q, () -> {
      Heartbeat hb = q.body(Heartbeat.class);
      var s = ctx.store().local();
      ManagerContext.requireSwarm(s);
      ctx.dispatcher().heartbeat(s, hb.nodeId(), hb.reports() == null ? List.of() : hb.reports(), System.currentTimeMillis());
      return CompletableFuture.completedFuture(ApiResponse.ok(Map.of("heartbeatMillis", s.settings().heartbeatMillis())));
    }));
    r.add("GET", "/v1/agent/assignment", q -> {
      String node = q.param("node", null);
      var s = ctx.watch().current();
      ManagerContext.requireSwarm(s);
      if (node == null || !s.nodes().containsKey(node)) {
        throw new ApiFailure(404, "node " + node + " is not part of this swarm (removed?)");
      }
      long deadline = System.currentTimeMillis() + Math.min(q.longParam("timeoutMs", POLL_TIMEOUT_MS), POLL_TIMEOUT_MS);
      return ctx.assignments().newerThan(node, q.longParam("since", -1), deadline).thenApply(ApiResponse::ok);
    });
  }
}
