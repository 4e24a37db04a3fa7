package meshplane.cluster.manager;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import meshplane.cluster.api.ApiResponse;
import meshplane.cluster.api.Router;
import meshplane.cluster.model.TaskReport;

/**
 * The agents' side of the API: heartbeats (with task reports) go to the leader, which keeps the
 * sessions; the state long poll is answered by any manager from its own replica.
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
    r.add("GET", "/v1/agent/state", q -> ctx.watch().newerThan(q.longParam("since", -1),
        Math.min(q.longParam("timeoutMs", POLL_TIMEOUT_MS), POLL_TIMEOUT_MS)).thenApply(ApiResponse::ok));
  }
}
