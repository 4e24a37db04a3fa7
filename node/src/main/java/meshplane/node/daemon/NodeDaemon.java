package meshplane.node.daemon;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import meshplane.node.agent.Agent;
import meshplane.cluster.api.ApiClient;
import meshplane.cluster.api.ApiException;
import meshplane.cluster.api.ApiFailure;
import meshplane.cluster.api.ApiRequest;
import meshplane.cluster.api.ApiResponse;
import meshplane.cluster.api.ApiServer;
import meshplane.cluster.api.ApiTarget;
import meshplane.cluster.api.Router;
import meshplane.node.exec.TaskLogs;
import meshplane.cluster.manager.Manager;
import meshplane.cluster.model.Availability;
import meshplane.cluster.model.ClusterSettings;
import meshplane.cluster.assignment.Assignment;
import meshplane.cluster.model.Command;
import meshplane.cluster.model.CommandRejectedException;
import meshplane.cluster.model.InvalidRequestException;
import meshplane.cluster.model.JoinTokens;
import meshplane.cluster.model.Node;
import meshplane.cluster.model.NodeRole;
import meshplane.cluster.model.NodeStatus;
import meshplane.cluster.orchestrator.NetworkAllocator;
import meshplane.cluster.orchestrator.RandomIds;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One node's daemon ({@code meshctl daemon}): the API on port 2377 with the node's own routes
 * (info, swarm init/join/leave, its tasks' logs), the agent once the node is in a swarm, and a
 * manager while the node is one. It remembers its swarm in {@code node.json} and resumes it on
 * start; a promotion or demotion its assignment shows starts or stops its manager ({@link RoleWatcher}).
 */
public final class NodeDaemon implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(NodeDaemon.class);

  private final DaemonConfig cfg;
  private final Router router = new Router();
  private final ApiServer api;
  private final ExecutorRegistry executors;
  private volatile LocalNodeState local;
  private volatile Manager manager;
  private volatile Agent agent;
  private final RoleWatcher roles = new RoleWatcher(this::onRole);

  private NodeDaemon(DaemonConfig cfg) {
    this.cfg = cfg;
    this.executors = new ExecutorRegistry();
    router.addSync("GET", "/v1/info", r -> info());
    router.add("POST", "/v1/swarm/init", this::init);
    router.add("POST", "/v1/swarm/join", this::join);
    router.add("POST", "/v1/swarm/leave", this::leave);
    router.add("GET", "/v1/tasks/{id}/logs", this::taskLogs);
    router.fallback(r -> CompletableFuture.failedFuture(Manager.PREFIXES.stream().anyMatch(r.path()::startsWith)
        ? ApiFailure.unavailable(local == null
            ? "this node is not part of a swarm: meshctl swarm init, or meshctl swarm join"
            : "this node is not a manager; managers: " + (agent == null ? List.of() : agent.managers()))
        : ApiFailure.notFound("no such path " + r.path())));
    this.api = ApiServer.start(router, new InetSocketAddress("0.0.0.0", cfg.apiPort()));
    LOG.info("node daemon {} serving the API on {}", cfg.hostname(), api.address());
    LocalNodeState.load(cfg.stateDir()).ifPresent(this::resume);
  }

  public static NodeDaemon start(DaemonConfig cfg) {
    return new NodeDaemon(cfg);
  }

  public InetSocketAddress apiAddress() {
    return api.address();
  }

  private synchronized void resume(LocalNodeState s) {
    LOG.info("resuming: node {} of swarm {} as {}", s.nodeId(), s.clusterId(), s.role().lower());
    local = s;
    if (s.role() == NodeRole.MANAGER) {
      manager = Manager.start(cfg.raftStore(false), router);
    }
    agent = newAgent(s.nodeId(), s.managers());
  }

  private Agent newAgent(String nodeId, List<String> managers) {
    return new Agent(cfg.agent(), nodeId, managers, executors.all(), roles::offer);
  }

  private Map<String, Object> info() {
    Map<String, Object> m = new LinkedHashMap<>();
    LocalNodeState s = local;
    m.put("hostname", cfg.hostname());
    m.put("addr", cfg.addr());
    m.put("nodeId", s == null ? null : s.nodeId());
    m.put("clusterId", s == null ? null : s.clusterId());
    m.put("role", s == null ? null : s.role().lower());
    m.put("managers", agent == null ? List.of() : agent.managers());
    Manager mg = manager;
    m.put("isLeader", mg != null && mg.store().isLeader());
    m.put("raftLeader", mg == null ? null : mg.store().leader().orElse(null));
    m.put("loadBalancer", agent == null ? null : agent.loadBalancer());
    m.put("assignmentApplied", agent == null ? -1 : agent.appliedVersion());
    return m;
  }

  record InitBody(String advertiseAddr, Long heartbeatMillis) {}

  private synchronized CompletableFuture<ApiResponse> init(ApiRequest r) {
    InitBody b = r.body(InitBody.class);
    requireNotInSwarm();
    checkAdvertise(b.advertiseAddr());
    long hb = b.heartbeatMillis() == null ? ClusterSettings.DEFAULT.heartbeatMillis() : b.heartbeatMillis();
    if (hb < 100 || hb > 600_000) {
      throw new InvalidRequestException("heartbeatMillis", "must be 100 ms to 10 minutes");
    }
    RandomIds ids = new RandomIds();
    String clusterId = ids.newId();
    String nodeId = ids.newId();
    JoinTokens tokens = new JoinTokens("SWMTKN-1-" + clusterId + "-" + ids.newId(), "SWMTKN-1-" + clusterId + "-" + ids.newId());
    long now = System.currentTimeMillis();
    Node self = new Node(nodeId, cfg.hostname(), NodeRole.MANAGER, Availability.ACTIVE, Map.of(), cfg.addr(), cfg.apiPort(),
        cfg.raftPort(), NodeStatus.READY, cfg.cpus(), cfg.memory(), now);
    Manager m = Manager.start(cfg.raftStore(true), router);
    try {
      if (!m.awaitLeadership(Duration.ofSeconds(15))) {
        throw new IllegalStateException("the new one-manager Raft group elected no leader in 15 s");
      }
      m.propose(new Command.Init(clusterId, tokens, new ClusterSettings(hb, ClusterSettings.DEFAULT.autoPortFirst(),
          ClusterSettings.DEFAULT.autoPortLast()), self, NetworkAllocator.ingress(now))).get(15, TimeUnit.SECONDS);
    } catch (Exception e) {
      m.close();
      deleteRecursively(cfg.raftDir());
      throw new IllegalStateException("swarm init failed: " + e.getMessage(), e);
    }
    manager = m;
    local = new LocalNodeState(nodeId, clusterId, NodeRole.MANAGER, List.of(cfg.apiAddress()));
    local.save(cfg.stateDir());
    agent = newAgent(nodeId, local.managers());
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("clusterId", clusterId);
    out.put("nodeId", nodeId);
    out.put("workerToken", tokens.worker());
    out.put("managerToken", tokens.manager());
    out.put("manager", cfg.apiAddress());
    return CompletableFuture.completedFuture(ApiResponse.ok(out));
  }

  record JoinBody(String token, String remote, String advertiseAddr) {}

  private synchronized CompletableFuture<ApiResponse> join(ApiRequest r) {
    JoinBody b = r.body(JoinBody.class);
    requireNotInSwarm();
    checkAdvertise(b.advertiseAddr());
    if (b.token() == null || !b.token().startsWith("SWMTKN-1-")) {
      throw new InvalidRequestException("token", "must be a join token (SWMTKN-1-...) from meshctl swarm join-token");
    }
    if (b.remote() == null || !b.remote().matches("[0-9.]+(:[0-9]{1,5})?")) {
      throw new InvalidRequestException("remote", "must be a manager's ADDR:PORT");
    }
    String remote = b.remote().contains(":") ? b.remote() : b.remote() + ":" + DaemonConfig.API_PORT;
    Map<String, Object> reg = new LinkedHashMap<>();
    reg.put("token", b.token());
    reg.put("hostname", cfg.hostname());
    reg.put("addr", cfg.addr());
    reg.put("apiPort", cfg.apiPort());
    reg.put("raftPort", cfg.raftPort());
    reg.put("cpus", cfg.cpus());
    reg.put("memory", cfg.memory());
    JsonNode answer = post(remote, "/v1/swarm/register", reg);
    String nodeId = answer.path("nodeId").asText();
    NodeRole role = NodeRole.valueOf(answer.path("role").asText());
    List<String> managers = new ArrayList<>();
    answer.path("managers").forEach(n -> managers.add(n.asText()));
    if (role == NodeRole.MANAGER) {
      manager = startJoiningManager(nodeId, remote);
    }
    local = new LocalNodeState(nodeId, answer.path("clusterId").asText(), role, managers);
    local.save(cfg.stateDir());
    agent = newAgent(nodeId, managers);
    return CompletableFuture.completedFuture(ApiResponse.ok(Map.of("nodeId", nodeId, "role", role.lower())));
  }

  /** A manager that joins an existing group: its store starts empty, the leader adds it, it catches up. */
  private Manager startJoiningManager(String nodeId, String via) {
    deleteRecursively(cfg.raftDir());
    Manager m = Manager.start(cfg.raftStore(false), router);
    try {
      post(via, "/v1/swarm/raft-join", Map.of("nodeId", nodeId));
      if (!m.awaitState(Duration.ofSeconds(30))) {
        throw new IllegalStateException("the new manager did not catch up with the Raft log in 30 s");
      }
      return m;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      m.close();
      throw new IllegalStateException("interrupted while joining the managers", e);
    } catch (RuntimeException e) {
      m.close();
      throw e;
    }
  }

  record LeaveBody(Boolean force) {}

  private synchronized CompletableFuture<ApiResponse> leave(ApiRequest r) {
    LeaveBody b = r.body(LeaveBody.class);
    boolean force = b.force() != null && b.force();
    LocalNodeState s = local;
    if (s == null) {
      throw new CommandRejectedException("this node is not part of a swarm");
    }
    if (s.role() == NodeRole.MANAGER && !force) {
      throw new CommandRejectedException("this node is a manager: leaving may cost the managers their quorum. Demote it first"
          + " (meshctl node demote " + cfg.hostname() + "), or use --force");
    }
    for (String m : agent == null ? s.managers() : agent.managers()) {
      try {
        post(m, "/v1/nodes/" + s.nodeId() + "/leave", Map.of());
        break;
      } catch (RuntimeException e) {
        LOG.warn("telling {} that this node leaves: {}", m, e.getMessage());
      }
    }
    stopAll(true);
    deleteRecursively(cfg.stateDir());
    return CompletableFuture.completedFuture(ApiResponse.ok(Map.of("left", s.clusterId())));
  }

  private CompletableFuture<ApiResponse> taskLogs(ApiRequest r) {
    Agent a = agent;
    String id = r.var("id");
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
        TaskLogs.tailAndFollow(file, n, out, () -> agent == a);
      } else {
        for (String line : TaskLogs.tail(file, n)) {
          out.write((line + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
      }
    }));
  }

  /**
   * Reacts to the role the node's assignment gives it: promotion, demotion (on the role
   * watcher's thread, never the agent's sync: starting a manager does not stall the data plane).
   */
  private synchronized void onRole(Assignment a) {
    LocalNodeState me = local;
    if (me == null || !a.nodeId().equals(me.nodeId())) {
      return;
    }
    List<String> managers = a.managers();
    if (a.role() == NodeRole.MANAGER && manager == null) {
      LOG.info("promoted: starting a manager");
      String via = managers.stream().filter(x -> !x.equals(cfg.apiAddress())).findFirst().orElse(null);
      if (via != null) {
        try {
          manager = startJoiningManager(me.nodeId(), via);
        } catch (RuntimeException e) {
          LOG.warn("promotion: cannot join the managers yet: {}", e.getMessage());
          return;
        }
      }
    } else if (a.role() == NodeRole.WORKER && manager != null) {
      LOG.info("demoted: stopping the manager");
      manager.close();
      manager = null;
      deleteRecursively(cfg.raftDir());
    }
    if (a.role() != me.role() || !managers.equals(me.managers())) {
      local = new LocalNodeState(me.nodeId(), me.clusterId(), a.role(), managers);
      local.save(cfg.stateDir());
    }
  }

  private void requireNotInSwarm() {
    if (local != null) {
      throw new CommandRejectedException("this node is already part of a swarm (cluster " + local.clusterId()
          + "): meshctl swarm leave first");
    }
  }

  private void checkAdvertise(String advertise) {
    if (advertise != null && !advertise.isEmpty() && !advertise.equals(cfg.addr())) {
      throw new InvalidRequestException("advertiseAddr", "\"" + advertise + "\": this node's daemon serves on " + cfg.addr()
          + " (its --addr); advertise that address");
    }
  }

  /** POSTs to a manager with meshctl's own client; its refusal is passed on with status and field. */
  private static JsonNode post(String hostPort, String path, Object body) {
    try {
      return new ApiClient(ApiTarget.parse(hostPort, "manager"), 3_000, 40_000).post(path, body);
    } catch (ApiException e) {
      throw e.status() == 0 ? ApiFailure.unavailable("cannot reach the manager at " + hostPort + ": " + e.getMessage())
          : new ApiFailure(e.status(), hostPort + ": " + e.error(), e.field());
    }
  }


  private synchronized void stopAll(boolean leaving) {
    Agent a = agent;
    agent = null;
    if (a != null) {
      if (leaving) {
        a.leave();
      }
      a.close();
    }
    Manager m = manager;
    manager = null;
    if (m != null) {
      m.close();
    }
    local = null;
  }

  private static void deleteRecursively(Path p) {
    try {
      Folders.deleteTree(p);
    } catch (java.io.UncheckedIOException e) {
      LOG.warn("cannot remove {}: {}", p, e.getMessage());
    }
  }

  @Override
  public void close() {
    roles.close();
    stopAll(false);
    api.close();
    executors.close();
  }
}
