package meshplane.node.daemon;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import meshplane.cluster.api.ApiRequest;
import meshplane.cluster.api.ApiResponse;
import meshplane.cluster.manager.Manager;
import meshplane.cluster.model.Availability;
import meshplane.cluster.model.ClusterSettings;
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
 * How this node enters and leaves a swarm: {@code swarm init} (a new cluster with this node as
 * its first manager, and its join tokens), {@code swarm join} (registered by a manager with a
 * join token; a manager token also makes it a Raft member), {@code swarm leave} (refused for a
 * manager unless forced: the managers could lose their quorum). Each request is checked first:
 * the node is in no swarm (or is, to leave), the advertise address is the daemon's own, the
 * token and the remote look like one. One request at a time, and none during a role change.
 */
final class JoinProtocol {
  private static final Logger LOG = LoggerFactory.getLogger(JoinProtocol.class);
  static final String TOKEN_PREFIX = "SWMTKN-1-";
  private static final long MIN_HEARTBEAT_MILLIS = 100;
  private static final long MAX_HEARTBEAT_MILLIS = 600_000;

  private final DaemonConfig cfg;
  private final NodeMembership membership;
  private final ManagerLauncher managers;
  private final NodeStateStore store;

  JoinProtocol(DaemonConfig cfg, NodeMembership membership, ManagerLauncher managers, NodeStateStore store) {
    this.cfg = cfg;
    this.membership = membership;
    this.managers = managers;
    this.store = store;
  }

  record InitBody(String advertiseAddr, Long heartbeatMillis) {}

  record JoinBody(String token, String remote, String advertiseAddr) {}

  record LeaveBody(Boolean force) {}

  /** {@code POST /v1/swarm/init} -> the cluster and node ids, both join tokens and this manager's address. */
  ApiResponse init(ApiRequest r) {
    InitBody b = r.body(InitBody.class);
    synchronized (membership) {
      requireNotInSwarm();
      checkAdvertise(b.advertiseAddr());
      long hb = b.heartbeatMillis() == null ? ClusterSettings.DEFAULT.heartbeatMillis() : b.heartbeatMillis();
      if (hb < MIN_HEARTBEAT_MILLIS || hb > MAX_HEARTBEAT_MILLIS) {
        throw new InvalidRequestException("heartbeatMillis", "must be 100 ms to 10 minutes");
      }
      RandomIds ids = new RandomIds();
      String clusterId = ids.newId();
      String nodeId = ids.newId();
      JoinTokens tokens = new JoinTokens(TOKEN_PREFIX + clusterId + "-" + ids.newId(),
          TOKEN_PREFIX + clusterId + "-" + ids.newId());
      long now = System.currentTimeMillis();
      Node self = new Node(nodeId, cfg.hostname(), NodeRole.MANAGER, Availability.ACTIVE, Map.of(), cfg.addr(),
          cfg.apiPort(), cfg.raftPort(), NodeStatus.READY, cfg.cpus(), cfg.memory(), now);
      ClusterSettings settings = new ClusterSettings(hb, ClusterSettings.DEFAULT.autoPortFirst(),
          ClusterSettings.DEFAULT.autoPortLast());
      Manager m = managers.found(new Command.Init(clusterId, tokens, settings, self, NetworkAllocator.ingress(now)),
          StandInRaftCredentials.manager(nodeId, clusterId));
      membership.joined(new LocalNodeState(nodeId, clusterId, NodeRole.MANAGER, List.of(cfg.apiAddress())), m);
      Map<String, Object> out = new LinkedHashMap<>();
      out.put("clusterId", clusterId);
      out.put("nodeId", nodeId);
      out.put("workerToken", tokens.worker());
      out.put("managerToken", tokens.manager());
      out.put("manager", cfg.apiAddress());
      return ApiResponse.ok(out);
    }
  }

  /** {@code POST /v1/swarm/join} -> this node's id and the role its token gave it. */
  ApiResponse join(ApiRequest r) {
    JoinBody b = r.body(JoinBody.class);
    synchronized (membership) {
      requireNotInSwarm();
      checkAdvertise(b.advertiseAddr());
      if (b.token() == null || !b.token().startsWith(TOKEN_PREFIX)) {
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
      JsonNode answer = ManagerRequests.post(remote, "/v1/swarm/register", reg);
      String nodeId = answer.path("nodeId").asText();
      NodeRole role = NodeRole.valueOf(answer.path("role").asText());
      List<String> managerAddresses = new ArrayList<>();
      answer.path("managers").forEach(n -> managerAddresses.add(n.asText()));
      String clusterId = answer.path("clusterId").asText();
      Manager m = role == NodeRole.MANAGER
          ? managers.join(nodeId, remote, StandInRaftCredentials.manager(nodeId, clusterId)) : null;
      membership.joined(new LocalNodeState(nodeId, clusterId, role, managerAddresses), m);
      return ApiResponse.ok(Map.of("nodeId", nodeId, "role", role.lower()));
    }
  }

  /** {@code POST /v1/swarm/leave}: tells a manager, stops the tasks and the data plane, forgets the swarm. */
  ApiResponse leave(ApiRequest r) {
    LeaveBody b = r.body(LeaveBody.class);
    boolean force = b.force() != null && b.force();
    synchronized (membership) {
      LocalNodeState s = membership.local();
      if (s == null) {
        throw new CommandRejectedException("this node is not part of a swarm");
      }
      if (s.role() == NodeRole.MANAGER && !force) {
        throw new CommandRejectedException("this node is a manager: leaving may cost the managers their quorum. Demote"
            + " it first (meshctl node demote " + cfg.hostname() + "), or use --force");
      }
      List<String> known = membership.agent() == null ? s.managers() : membership.managers();
      for (String m : known) {
        try {
          ManagerRequests.post(m, "/v1/nodes/" + s.nodeId() + "/leave", Map.of());
          break;
        } catch (RuntimeException e) {
          LOG.warn("telling {} that this node leaves: {}", m, e.getMessage());
        }
      }
      membership.stop(true);
      store.deleteAll();
      return ApiResponse.ok(Map.of("left", s.clusterId()));
    }
  }

  private void requireNotInSwarm() {
    LocalNodeState s = membership.local();
    if (s != null) {
      throw new CommandRejectedException("this node is already part of a swarm (cluster " + s.clusterId()
          + "): meshctl swarm leave first");
    }
  }

  private void checkAdvertise(String advertise) {
    if (advertise != null && !advertise.isEmpty() && !advertise.equals(cfg.addr())) {
      throw new InvalidRequestException("advertiseAddr", "\"" + advertise + "\": this node's daemon serves on "
          + cfg.addr() + " (its --addr); advertise that address");
    }
  }
}
