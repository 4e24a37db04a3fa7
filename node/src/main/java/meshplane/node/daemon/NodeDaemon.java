package meshplane.node.daemon;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import meshplane.cluster.api.ApiFailure;
import meshplane.cluster.api.ApiRequest;
import meshplane.cluster.api.ApiResponse;
import meshplane.cluster.api.ApiServer;
import meshplane.cluster.api.Router;
import meshplane.cluster.manager.Manager;
import meshplane.cluster.model.NodeRole;
import meshplane.node.agent.Agent;
import meshplane.node.exec.TaskLogs;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One node's daemon ({@code meshctl daemon}): the API on port 2377 with the node's own routes
 * (info, swarm init/join/leave, its tasks' logs), and the parts it wires together: the
 * {@link JoinProtocol} for init, join and leave, the {@link NodeMembership} (its agent once the
 * node is in a swarm, a manager while it is one), the {@link NodeStateStore} it resumes from on
 * start, and the {@link RoleChange} its assignments trigger, on {@link RoleWatcher}'s thread.
 */
public final class NodeDaemon implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(NodeDaemon.class);

  private final DaemonConfig cfg;
  private final Router router = new Router();
  private final ExecutorRegistry executors;
  private final NodeMembership membership;
  private final RoleWatcher roles;
  private final ApiServer api;

  private NodeDaemon(DaemonConfig cfg) {
    this.cfg = cfg;
    this.executors = new ExecutorRegistry(cfg.stateDir());
    NodeStateStore store = new NodeStateStore(cfg.stateDir(), cfg.raftDir());
    ManagerLauncher managers = new ManagerLauncher(cfg, router, store);
    this.membership = new NodeMembership(store, this::newAgent);
    this.roles = new RoleWatcher(new RoleChange(cfg, membership, managers)::apply);
    JoinProtocol join = new JoinProtocol(cfg, membership, managers, store);
    router.addSync("GET", "/v1/info", r -> info());
    router.add("POST", "/v1/swarm/init", r -> CompletableFuture.completedFuture(join.init(r)));
    router.add("POST", "/v1/swarm/join", r -> CompletableFuture.completedFuture(join.join(r)));
    router.add("POST", "/v1/swarm/leave", r -> CompletableFuture.completedFuture(join.leave(r)));
    router.add("GET", "/v1/tasks/{id}/logs", this::taskLogs);
    router.fallback(this::notHere);
    this.api = ApiServer.start(router, new InetSocketAddress("0.0.0.0", cfg.apiPort()));
    LOG.info("node daemon {} serving the API on {}", cfg.hostname(), api.address());
    store.load().ifPresent(s -> {
      LOG.info("resuming: node {} of swarm {} as {}", s.nodeId(), s.clusterId(), s.role().lower());
      synchronized (membership) {
        membership.resumed(s, s.role() == NodeRole.MANAGER
            ? managers.resume(StandInRaftCredentials.manager(s.nodeId(), s.clusterId())) : null);
      }
    });
  }

  public static NodeDaemon start(DaemonConfig cfg) {
    return new NodeDaemon(cfg);
  }

  public InetSocketAddress apiAddress() {
    return api.address();
  }

  /** The agent of the swarm the node is in; each assignment it syncs goes to the role watcher, which never blocks it. */
  private Agent newAgent(LocalNodeState s) {
    return new Agent(cfg.agent(), s.nodeId(), s.managers(), executors.all(), roles::offer);
  }

  private Map<String, Object> info() {
    Map<String, Object> m = new LinkedHashMap<>();
    LocalNodeState s = membership.local();
    Agent agent = membership.agent();
    Manager mg = membership.manager();
    m.put("hostname", cfg.hostname());
    m.put("addr", cfg.addr());
    m.put("nodeId", s == null ? null : s.nodeId());
    m.put("clusterId", s == null ? null : s.clusterId());
    m.put("role", s == null ? null : s.role().lower());
    m.put("managers", membership.managers());
    m.put("isLeader", mg != null && mg.store().isLeader());
    m.put("raftLeader", mg == null ? null : mg.store().leader().orElse(null));
    m.put("loadBalancer", agent == null ? null : agent.loadBalancer());
    m.put("assignmentApplied", agent == null ? -1 : agent.appliedVersion());
    return m;
  }

  /** A manager's route on a node that is none (or in no swarm), or no route at all. */
  private CompletableFuture<ApiResponse> notHere(ApiRequest r) {
    if (Manager.PREFIXES.stream().noneMatch(r.path()::startsWith)) {
      return CompletableFuture.failedFuture(ApiFailure.notFound("no such path " + r.path()));
    }
    return CompletableFuture.failedFuture(ApiFailure.unavailable(membership.local() == null
        ? "this node is not part of a swarm: meshctl swarm init, or meshctl swarm join"
        : "this node is not a manager; managers: " + membership.managers()));
  }

  private CompletableFuture<ApiResponse> taskLogs(ApiRequest r) {
    Agent a = membership.agent();
    String id = meshplane.cluster.model.TaskIds.check("id", r.var("id")); // a file name below: no path, no dots
    if (a == null || !a.hasTask(id)) {
      throw ApiFailure.notFound("no task " + id + " on node " + cfg.hostname());
    }
    Path file = a.logFile(id);
    int tail = r.tail();
    boolean follow = r.flag("follow");
    return CompletableFuture.completedFuture(new ApiResponse.Stream("text/plain; charset=utf-8", out -> {
      if (!Files.exists(file)) {
        return;
      }
      int n = tail < 0 ? Integer.MAX_VALUE : tail;
      if (follow) {
        TaskLogs.tailAndFollow(file, n, out, () -> membership.agent() == a);
      } else {
        for (String line : TaskLogs.tail(file, n)) {
          out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
        }
      }
    }));
  }

  @Override
  public void close() {
    roles.close();
    membership.stop(false);
    api.close();
    executors.close();
  }
}
