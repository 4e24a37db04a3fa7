package meshplane.cluster.manager;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import meshplane.cluster.api.Access;
import meshplane.cluster.api.ApiFailure;
import meshplane.cluster.api.ApiRequest;
import meshplane.cluster.api.ApiResponse;
import meshplane.cluster.api.Router;
import meshplane.cluster.model.Availability;
import meshplane.cluster.model.ClusterState;
import meshplane.cluster.model.Command;
import meshplane.cluster.model.CommandRejectedException;
import meshplane.cluster.model.InvalidRequestException;
import meshplane.cluster.model.JoinTokens;
import meshplane.cluster.model.Network;
import meshplane.cluster.model.Node;
import meshplane.cluster.model.NodeRole;
import meshplane.cluster.model.NodeStatus;
import meshplane.cluster.orchestrator.NetworkAllocator;
import meshplane.pki.Pem;

/** {@code /v1/swarm/...}, {@code /v1/nodes...}, {@code /v1/networks...} and {@code /v1/state}. */
final class ClusterRoutes {
  private final ManagerContext ctx;
  private final JoinRate joins = new JoinRate();

  ClusterRoutes(ManagerContext ctx) {
    this.ctx = ctx;
  }

  void register(Router r) {
    r.add("GET", "/v1/swarm/join-token/{role}", q -> ctx.read(s -> joinToken(s, q.var("role"))));
    r.add("POST", "/v1/swarm/join-token/{role}/rotate", this::rotateToken);
    r.add("POST", "/v1/swarm/update", this::updateSwarm);
    r.add("GET", "/v1/swarm/ca", Access.JOIN, q -> ctx.read(this::caView));
    r.add("POST", "/v1/swarm/ca/rotate", this::rotateCa);
    r.add("POST", "/v1/swarm/register", Access.JOIN, this::register);
    r.add("POST", "/v1/swarm/renew", Access.NODE, this::renew);
    r.add("POST", "/v1/swarm/client-cert", this::clientCert);
    r.add("POST", "/v1/swarm/raft-join", this::raftJoin);
    r.add("GET", "/v1/state", q -> ctx.read(ClusterState::withoutSecrets));

    r.add("GET", "/v1/nodes", q -> ctx.read(s -> s.nodes().values().stream().map(n -> nodeView(s, n)).toList()));
    r.add("GET", "/v1/nodes/{id}", q -> ctx.read(s -> nodeView(s, node(s, q.var("id")))));
    r.add("POST", "/v1/nodes/{id}/update", this::updateNode);
    r.add("POST", "/v1/nodes/{id}/leave", Access.NODE, q -> ctx.write(q, s -> {
      Node n = node(s, q.var("id"));
      if (!n.id().equals(q.callerNode())) {
        throw new ApiFailure(403, "node " + q.callerNode() + " may say only that it leaves itself, not node " + n.id());
      }
      return new Command.PutNode(n.withStatus(NodeStatus.DOWN));
    }, s -> Map.of("left", q.var("id"))));
    r.add("DELETE", "/v1/nodes/{id}", q -> ctx.write(q, s -> {
      Node n = node(s, q.var("id"));
      if (n.isManager()) {
        throw new CommandRejectedException("node " + n.hostname() + " is a manager: demote it first (meshctl node demote "
            + n.hostname() + ")");
      }
      if (n.status() == NodeStatus.READY && !q.flag("force")) {
        throw new CommandRejectedException("node " + n.hostname() + " is ready: stop it first, or use --force");
      }
      return new Command.RemoveNode(n.id());
    }, s -> Map.of("removed", q.var("id"))));

    r.add("GET", "/v1/networks", q -> ctx.read(s -> s.networks().values()));
    r.add("POST", "/v1/networks", this::createNetwork);
    r.add("GET", "/v1/networks/{name}", q -> ctx.read(s -> network(s, q.var("name"))));
    r.add("DELETE", "/v1/networks/{name}", q -> ctx.write(q,
        s -> new Command.RemoveNetwork(network(s, q.var("name")).id()), s -> Map.of("removed", q.var("name"))));
  }

  static Node node(ClusterState s, String id) {
    ManagerContext.requireSwarm(s);
    return s.node(id).orElseThrow(() -> ApiFailure.notFound("no such node: " + id));
  }

  static Network network(ClusterState s, String name) {
    ManagerContext.requireSwarm(s);
    return s.network(name).orElseThrow(() -> ApiFailure.notFound("no such network: " + name));
  }

  private com.fasterxml.jackson.databind.node.ObjectNode nodeView(ClusterState s, Node n) {
    boolean leader = ctx.proxy().leaderApi(s).map(n.apiAddress()::equals).orElse(false);
    boolean reachable = n.isManager() && ctx.store().reachable(n.raftAddress()) && n.status() == NodeStatus.READY;
    return Views.node(s, n, leader, reachable);
  }

  private static NodeRole tokenRole(String role) {
    return switch (role) {
      case "worker" -> NodeRole.WORKER;
      case "manager" -> NodeRole.MANAGER;
      default -> throw new InvalidRequestException("role", "\"" + role + "\" must be worker or manager");
    };
  }

  private static Map<String, Object> joinToken(ClusterState s, String role) {
    String token = tokenRole(role) == NodeRole.WORKER ? s.tokens().worker() : s.tokens().manager();
    String leaderAddr = s.managers().stream().map(Node::apiAddress).findFirst().orElse("MANAGER:2377");
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("role", role);
    m.put("token", token);
    m.put("command", "meshctl swarm join --token " + token + " " + leaderAddr);
    return m;
  }

  /** {@code swarm join-token --rotate ROLE}: a new secret for that role; nodes already joined keep their certificates. */
  private CompletableFuture<ApiResponse> rotateToken(ApiRequest q) {
    NodeRole role = tokenRole(q.var("role"));
    return ctx.write(q, s -> {
      ManagerContext.requireSwarm(s);
      java.security.cert.X509Certificate root = meshplane.pki.Pem.certificate(CertificateIssuer.root(s), "the root CA");
      // a token names the root it will be checked against: the current one (a rotation's new root once it is done)
      String fresh = meshplane.pki.JoinToken.generate(root).text();
      return new Command.PutTokens(role == NodeRole.WORKER ? new JoinTokens(fresh, s.tokens().manager())
          : new JoinTokens(s.tokens().worker(), fresh));
    }, s -> joinToken(s, q.var("role")));
  }

  /** The root, the roots trusted now, and a rotation's progress: the nodes that hold no certificate of the new root yet. */
  private Map<String, Object> caView(ClusterState s) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("certificate", CertificateIssuer.root(s));
    m.put("roots", CertificateIssuer.roots(s));
    if (s.pki().rotating()) {
      String next = CertificateIssuer.issuingDigest(s);
      m.put("rotating", true);
      m.put("newRoot", s.pki().rotation().newRootCertificate());
      m.put("nodesLeft", s.nodes().values().stream().filter(n -> !next.equals(n.certificateRoot())).map(Node::hostname).sorted()
          .toList());
    }
    return m;
  }

  /**
   * {@code swarm ca --rotate}: a new root (its own key), cross-signed by the current one. The
   * managers issue with it from now on; nodes get certificates of it as their assignments show
   * the rotation; it ends when every node has one ({@link RootRotationWatcher}).
   */
  private CompletableFuture<ApiResponse> rotateCa(ApiRequest q) {
    return ctx.write(q, s -> {
      ManagerContext.requireSwarm(s);
      if (CertificateIssuer.pki(s).rotating()) {
        throw new CommandRejectedException("a root rotation is under way: "
            + caView(s).getOrDefault("nodesLeft", List.of()) + " have no certificate of the new root yet");
      }
      meshplane.pki.ClusterCa old = CertificateIssuer.current(s);
      meshplane.pki.ClusterCa next = meshplane.pki.ClusterCa.create("swarm-ca-" + java.time.format.DateTimeFormatter
          .ofPattern("yyyyMMddHHmmss").withZone(java.time.ZoneOffset.UTC).format(java.time.Instant.now()));
      var rotation = new meshplane.cluster.model.RootRotation(next.rootPem(), next.keyPem(), Pem.write(old.crossSign(next.root())));
      return new Command.PutPki(s.pki().withRotation(rotation), s.tokens());
    }, this::caView);
  }

  record SwarmUpdate(Long certExpiryMillis) {}

  /** {@code swarm update --cert-expiry}: certificates issued (joins, renewals) from now on live this long. */
  private CompletableFuture<ApiResponse> updateSwarm(ApiRequest q) {
    SwarmUpdate u = q.body(SwarmUpdate.class);
    if (u.certExpiryMillis() != null && (u.certExpiryMillis() < meshplane.pki.ClusterCa.MIN_NODE_VALIDITY.toMillis()
        || u.certExpiryMillis() > MAX_CERT_EXPIRY_MILLIS)) {
      throw new InvalidRequestException("certExpiryMillis", "must be 1 hour to 3650 days");
    }
    return ctx.write(q, s -> {
      ManagerContext.requireSwarm(s);
      return new Command.PutSettings(u.certExpiryMillis() == null ? s.settings()
          : s.settings().withCertExpiryMillis(u.certExpiryMillis()));
    }, s -> Map.of("certExpiryMillis", s.settings().certExpiry().toMillis(), "heartbeatMillis", s.settings().heartbeatMillis()));
  }

  static final long MAX_CERT_EXPIRY_MILLIS = 3650L * 24 * 3600 * 1000;

  /** What a joining node says of itself, with its CSR (PEM): the key stays on the node. */
  record JoinRequest(String token, String csr, String hostname, String addr, int apiPort, int raftPort, long cpus,
      long memory) {}

  /** A CSR, for a renewal or a client certificate ({@code name}: the client's, for its CN). */
  record CsrRequest(String csr) {}

  /**
   * A node renews its certificate, or asks for one in the role it now has (promoted, demoted):
   * the node id is the caller's certificate's, the role the state's.
   */
  private CompletableFuture<ApiResponse> renew(ApiRequest q) {
    String nodeId = q.callerNode();
    CsrRequest b = q.body(CsrRequest.class);
    CertificateIssuer.Issued[] issued = new CertificateIssuer.Issued[1];
    return ctx.write(q, s -> {
      Node n = node(s, nodeId);
      issued[0] = ctx.issuer().issue(s, b.csr(), n.id(), n.role());
      return new Command.PutNode(n.withCertificate(issued[0].certificate().getNotAfter().getTime(), issued[0].rootDigest()));
    }, s -> {
      Map<String, Object> m = issued[0].fields();
      m.put("role", node(s, nodeId).role());
      return m;
    });
  }

  /** An administrator's client certificate (OU meshplane-client): the control routes, remotely; never a node. */
  private CompletableFuture<ApiResponse> clientCert(ApiRequest q) {
    CsrRequest b = q.body(CsrRequest.class);
    return ctx.read(s -> {
      String id = ctx.ids().newId();
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("clientId", id);
      m.putAll(ctx.issuer().issue(s, b.csr(), new meshplane.pki.NodeIdentity(id, meshplane.pki.CertRole.CLIENT,
          s.clusterId())).fields());
      return m;
    });
  }


  private CompletableFuture<ApiResponse> register(ApiRequest q) {
    JoinRequest j = q.body(JoinRequest.class);
    JoinRequestCheck.check(j.hostname(), j.addr(), j.apiPort(), j.raftPort(), j.cpus(), j.memory());
    try {
      meshplane.pki.Pem.csr(j.csr(), "the CSR"); // a malformed CSR changes nothing
    } catch (IllegalArgumentException e) {
      throw new InvalidRequestException("csr", e.getMessage());
    }
    String[] id = new String[1];
    CertificateIssuer.Issued[] issued = new CertificateIssuer.Issued[1];
    return ctx.write(q, s -> {
      ManagerContext.requireSwarm(s);
      NodeRole role = s.tokens().roleOf(j.token());
      if (role == null) {
        throw new InvalidRequestException("token", "not a valid join token of this swarm");
      }
      long now = System.currentTimeMillis();
      Node existing = s.nodes().values().stream().filter(n -> n.hostname().equals(j.hostname())).findFirst().orElse(null);
      if (existing != null && !existing.addr().equals(j.addr())) {
        throw new CommandRejectedException("node hostname " + j.hostname() + " is taken by node " + existing.id() + " at " + existing.addr());
      }
      if (existing == null) {
        meshplane.cluster.orchestrator.StateLimits.checkNodes(s);
      }
      joins.admit(role, now);
      String nodeId = existing != null ? existing.id() : ctx.ids().newId();
      id[0] = nodeId;
      // issued before the node is written, so the state holds when it expires; lost with the write if that fails
      issued[0] = ctx.issuer().issue(s, j.csr(), nodeId, role);
      return new Command.PutNode(new Node(nodeId, j.hostname(), role, existing != null ? existing.availability() : Availability.ACTIVE,
          existing != null ? existing.labels() : Map.of(), j.addr(), j.apiPort(), j.raftPort(), NodeStatus.READY, j.cpus(), j.memory(),
          existing != null ? existing.createdAt() : now).withCertificate(issued[0].certificate().getNotAfter().getTime(),
          issued[0].rootDigest()));
    }, s -> {
      Node n = s.nodes().get(id[0]);
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("nodeId", n.id());
      m.put("clusterId", s.clusterId());
      m.put("role", n.role());
      m.put("managers", s.managers().stream().map(Node::apiAddress).toList());
      m.put("heartbeatMillis", s.settings().heartbeatMillis());
      m.putAll(issued[0].fields());
      return m;
    });
  }

  record RaftJoin(String nodeId) {}

  /** A manager node whose store runs asks to be added to the Raft configuration. */
  private CompletableFuture<ApiResponse> raftJoin(ApiRequest q) {
    RaftJoin b = q.body(RaftJoin.class);
    if (q.caller() instanceof meshplane.cluster.api.Caller.Certified c && c.isNode() && !c.identity().nodeId().equals(b.nodeId())) {
      throw new ApiFailure(403, "manager " + c.identity().nodeId() + " may ask to join the Raft group only for itself, not "
          + b.nodeId());
    }
    return ctx.write(q, () -> {
      ClusterState s = ctx.store().local();
      Node n = node(s, b.nodeId());
      if (!n.isManager()) {
        throw new CommandRejectedException("node " + n.hostname() + " is not a manager");
      }
      if (ctx.store().peers().contains(n.raftAddress())) {
        return CompletableFuture.completedFuture(ApiResponse.ok(Map.of("peers", ctx.store().peers())));
      }
      return ctx.store().addPeer(n.raftAddress()).thenApply(v -> ApiResponse.ok(Map.of("peers", ctx.store().peers())));
    });
  }

  record NodeUpdate(String availability, Map<String, String> labelAdd, List<String> labelRm, String role) {}

  private CompletableFuture<ApiResponse> updateNode(ApiRequest q) {
    NodeUpdate u = q.body(NodeUpdate.class);
    Availability a = u.availability() == null ? null : Availability.parse(u.availability());
    NodeRole role = u.role() == null ? null : switch (u.role()) {
      case "manager" -> NodeRole.MANAGER;
      case "worker" -> NodeRole.WORKER;
      default -> throw new InvalidRequestException("role", "\"" + u.role() + "\" must be manager or worker");
    };
    if (u.labelAdd() != null) {
      u.labelAdd().keySet().forEach(k -> {
        if (!k.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,62}")) {
          throw new InvalidRequestException("labelAdd", "label key \"" + k + "\" must be 1-63 of letters, digits, '.', '_', '-'");
        }
      });
    }
    return ctx.write(q, () -> ctx.writer().write(s -> {
      Node n = node(s, q.var("id"));
      if (role == NodeRole.WORKER && n.isManager() && s.managers().size() == 1) {
        throw new CommandRejectedException("node " + n.hostname() + " is the last manager: demoting it would leave the swarm without one");
      }
      Map<String, String> labels = new HashMap<>(n.labels());
      if (u.labelAdd() != null) {
        labels.putAll(u.labelAdd());
      }
      if (u.labelRm() != null) {
        u.labelRm().forEach(labels::remove);
      }
      meshplane.cluster.orchestrator.SpecLimits.checkLabels("labelAdd", labels);
      Node next = n.withLabels(labels);
      next = a == null ? next : next.withAvailability(a);
      next = role == null ? next : next.withRole(role);
      return new Command.PutNode(next);
    }).thenCompose(s -> {
      Node n = node(s, q.var("id"));
      if (role == NodeRole.WORKER && ctx.store().peers().contains(n.raftAddress())) {
        // demoted: out of the Raft configuration too (the node's daemon stops its store when it sees the role)
        return ctx.store().removePeer(n.raftAddress()).thenApply(v -> s);
      }
      return CompletableFuture.completedFuture(s);
    }).thenApply(s -> ApiResponse.ok(nodeView(s, node(s, q.var("id"))))));
  }

  private CompletableFuture<ApiResponse> createNetwork(ApiRequest q) {
    record Create(String name, String driver, String subnet) {}
    Create c = q.body(Create.class);
    if (c.driver() != null && !c.driver().equals("overlay")) {
      throw new InvalidRequestException("driver", "\"" + c.driver() + "\" is not supported: swarm networks use the overlay driver");
    }
    return ctx.write(q, s -> {
      ManagerContext.requireSwarm(s);
      return new Command.PutNetwork(NetworkAllocator.create(s, c.name(), c.subnet(), System.currentTimeMillis()));
    }, s -> network(s, c.name()));
  }
}
