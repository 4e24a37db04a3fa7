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
import meshplane.cluster.api.Access;
import meshplane.cluster.api.ApiServer;
import meshplane.cluster.api.ClientTls;
import meshplane.pki.CertRole;
import meshplane.pki.LiveCredentials;
import meshplane.cluster.api.Router;
import meshplane.cluster.manager.Manager;
import meshplane.cluster.model.NodeRole;
import meshplane.node.agent.Agent;
import meshplane.node.exec.TaskLogs;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One node's daemon ({@code meshctl daemon}): the API on its root-only local socket (always:
 * init, join and leave only there) and, while it is in a swarm, on port 2377 over mutual TLS, with
 * the node's own routes (info, swarm init/join/leave, its tasks' logs), and the parts it wires together: the
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
  private final ManagerLauncher managers;
  private final RoleWatcher roles;
  private final SwarmPort port;
  private final RenewalSchedule renewals;
  private final ManagerRecovery recovery;
  private final ApiServer local;

  private NodeDaemon(DaemonConfig cfg) {
    this.cfg = cfg;
    this.executors = new ExecutorRegistry(cfg.stateDir());
    NodeStateStore store = new NodeStateStore(cfg.stateDir(), cfg.raftDir());
    NodeCertificates certificates = new NodeCertificates(cfg.stateDir());
    this.managers = new ManagerLauncher(cfg, router, store);
    this.port = new SwarmPort(router, new InetSocketAddress("0.0.0.0", cfg.apiPort()));
    this.membership = new NodeMembership(store, certificates, port, this::newAgent);
    this.roles = new RoleWatcher(new RoleChange(cfg, membership, managers)::apply);
    this.renewals = new RenewalSchedule(membership);
    this.recovery = new ManagerRecovery(membership, managers);
    JoinProtocol join = new JoinProtocol(cfg, membership, managers, store);
    router.addSync("GET", "/v1/info", r -> info());
    router.add("POST", "/v1/swarm/init", Access.LOCAL, r -> CompletableFuture.completedFuture(join.init(r)));
    router.add("POST", "/v1/swarm/join", Access.LOCAL, r -> CompletableFuture.completedFuture(join.join(r)));
    router.add("POST", "/v1/swarm/leave", Access.LOCAL, r -> CompletableFuture.completedFuture(join.leave(r)));
    router.add("GET", "/v1/tasks/{id}/logs", this::taskLogs);
    router.fallback(this::notHere);
    // resume before serving: a call that came first would be told this node is in no swarm
    store.load().ifPresent(s -> {
      LOG.info("resuming: node {} of swarm {} as {}", s.nodeId(), s.clusterId(), s.role().lower());
      LiveCredentials creds = new LiveCredentials(certificates.load().orElseThrow(() -> new IllegalStateException(
          "node " + s.nodeId() + " of swarm " + s.clusterId() + " has no certificate in " + certificates.dir()
              + ": leave the swarm (remove " + cfg.stateDir() + ") and join again")));
      // a manager whose certificate is a worker's was demoted as it stopped: it resumes as a worker (and
      // a promotion its assignment still shows starts the manager again, with a manager's certificate)
      boolean manager = s.role() == NodeRole.MANAGER && creds.identity().role() == CertRole.MANAGER;
      synchronized (membership) {
        membership.resumed(s, creds, manager ? managers.resume(creds) : null);
      }
    });
    this.local = ApiServer.unix(router, cfg.socket());
    LOG.info("node daemon {} serving its local API on {}", cfg.hostname(), local.describe());
  }

  public static NodeDaemon start(DaemonConfig cfg) {
    return new NodeDaemon(cfg);
  }

  /** The local socket's {@code unix://path}. */
  public String localApi() {
    return local.describe();
  }

  /** The agent of the swarm the node is in; each assignment it syncs goes to the role watcher, which never blocks it. */
  private Agent newAgent(LocalNodeState s, LiveCredentials creds) {
    return new Agent(cfg.agent(), s.nodeId(), s.managers(), ClientTls.of(creds, CertRole.MANAGER), executors.all(),
        roles::offer);
  }

  private Map<String, Object> info() {
    Map<String, Object> m = new LinkedHashMap<>();
    LocalNodeState s = membership.local();
    Agent agent = membership.agent();
    Manager mg = membership.manager();
    m.put("hostname", cfg.hostname());
    m.put("addr", cfg.addr());
    m.put("swarmPort", port.address() == null ? null : port.address().toString());
    m.put("nodeId", s == null ? null : s.nodeId());
    m.put("clusterId", s == null ? null : s.clusterId());
    m.put("role", s == null ? null : s.role().lower());
    m.put("managers", membership.managers());
    m.put("isLeader", mg != null && mg.store().isLeader());
    m.put("raftLeader", mg == null ? null : mg.store().leader().orElse(null));
    m.put("managerRefused", managers.refusal().orElse(null));
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
        : "this node is not a manager" + managers.refusal().map(why -> " (" + why + ")").orElse("") + "; managers: "
            + membership.managers()));
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
      int n = tail < 0 ? -1 : tail;
      if (follow) {
        TaskLogs.tailAndFollow(file, n, out, () -> membership.agent() == a);
      } else { // streamed through the log's files, never loaded whole
        TaskLogs.tail(file, n, line -> {
          try {
            out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
          } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("cannot write the task log: " + e.getMessage(), e);
          }
        });
      }
    }));
  }

  @Override
  public void close() {
    roles.close();
    renewals.close();
    recovery.close();
    membership.stop(false);
    port.close();
    local.close();
    executors.close();
  }
}
