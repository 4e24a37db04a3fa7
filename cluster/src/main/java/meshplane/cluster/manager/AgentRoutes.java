package meshplane.cluster.manager;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import meshplane.cluster.api.Access;
import meshplane.cluster.api.ApiFailure;
import meshplane.cluster.api.ApiResponse;
import meshplane.cluster.api.Router;
import meshplane.cluster.model.TaskReport;

/**
 * The agents' side of the API: heartbeats (with task reports) go to the leader, which keeps the
 * sessions; the assignment long poll ({@link Assignments}) is answered by any manager from its own
 * replica, and only with the asking node's own assignment. Both need a node's certificate, and
 * the node is the certificate's: a node speaks for itself only.
 */
final class AgentRoutes {
  static final long POLL_TIMEOUT_MS = 25_000;

  private final ManagerContext ctx;

  AgentRoutes(ManagerContext ctx) {
    this.ctx = ctx;
  }

  record Heartbeat(String nodeId, List<TaskReport> reports) {}

  void register(Router r) {
    r.add("POST", "/v1/agent/heartbeat", Access.NODE, q -> ctx.write(q, () -> {
      Heartbeat hb = q.body(Heartbeat.class);
      String node = q.callerNode();
      if (hb.nodeId() != null && !hb.nodeId().equals(node)) {
        throw new ApiFailure(403, "node " + node + " may beat only for itself, not for node " + hb.nodeId());
      }
      var s = ctx.store().local();
      ManagerContext.requireSwarm(s);
      ctx.dispatcher().heartbeat(s, node, hb.reports() == null ? List.of() : hb.reports(), System.currentTimeMillis());
      return CompletableFuture.completedFuture(ApiResponse.ok(Map.of("heartbeatMillis", s.settings().heartbeatMillis())));
    }));
    r.add("GET", "/v1/agent/assignment", Access.NODE, q -> {
      String node = q.callerNode();
      String asked = q.param("node", node);
      if (!asked.equals(node)) {
        throw new ApiFailure(403, "node " + node + " may read only its own assignment, not node " + asked + "'s");
      }
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
