package meshplane.node.daemon;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.security.cert.X509Certificate;
import java.time.Duration;
import meshplane.cluster.api.ApiFailure;
import meshplane.cluster.api.ApiRequest;
import meshplane.cluster.api.ClientTls;
import meshplane.cluster.model.ClusterPki;
import meshplane.pki.CertRole;
import meshplane.pki.ClusterCa;
import meshplane.pki.JoinToken;
import meshplane.pki.JoinTrust;
import meshplane.pki.LiveCredentials;
import meshplane.pki.NodeCredentials;
import meshplane.pki.NodeIdentity;
import meshplane.pki.NodeKey;
import meshplane.pki.Pem;
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
 * its first manager: the root CA, the node's own certificate, the join tokens naming the root),
 * {@code swarm join} (the manager's root checked against the token's digest in the handshake, a
 * CSR sent with the token, the certificate issued kept with the key made here; a manager token
 * also makes it a Raft member), {@code swarm leave} (refused for a
 * manager unless forced: the managers could lose their quorum). Each request is checked first:
 * the node is in no swarm (or is, to leave), the advertise address is the daemon's own, the
 * token and the remote look like one. One request at a time, and none during a role change.
 */
final class JoinProtocol {
  private static final Logger LOG = LoggerFactory.getLogger(JoinProtocol.class);
  /** The longest node certificate life {@code --cert-expiry} takes. */
  static final Duration MAX_CERT_EXPIRY = Duration.ofDays(10 * 365);
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

  record InitBody(String advertiseAddr, Long heartbeatMillis, Long certExpiryMillis, Boolean forceNewCluster) {}

  record JoinBody(String token, String remote, String advertiseAddr) {}

  record LeaveBody(Boolean force) {}

  /**
   * {@code POST /v1/swarm/init} -> the cluster and node ids, both join tokens and this manager's address;
   * with {@code forceNewCluster} on a manager of a swarm that lost its quorum, {@link ForceNewCluster}.
   */
  ApiResponse init(ApiRequest r) {
    InitBody b = r.body(InitBody.class);
    synchronized (membership) {
      if (Boolean.TRUE.equals(b.forceNewCluster())) {
        if (b.heartbeatMillis() != null || b.certExpiryMillis() != null) {
          throw new InvalidRequestException(b.heartbeatMillis() != null ? "heartbeatMillis" : "certExpiryMillis",
              "not taken with forceNewCluster: the swarm keeps its settings (meshctl swarm update changes them)");
        }
        checkAdvertise(b.advertiseAddr());
        return new ForceNewCluster(cfg, membership).run();
      }
      requireNotInSwarm();
      checkAdvertise(b.advertiseAddr());
      long hb = b.heartbeatMillis() == null ? ClusterSettings.DEFAULT.heartbeatMillis() : b.heartbeatMillis();
      if (hb < MIN_HEARTBEAT_MILLIS || hb > MAX_HEARTBEAT_MILLIS) {
        throw new InvalidRequestException("heartbeatMillis", "must be 100 ms to 10 minutes");
      }
      long expiry = b.certExpiryMillis() == null ? ClusterSettings.DEFAULT_CERT_EXPIRY_MILLIS : b.certExpiryMillis();
      if (expiry < ClusterCa.MIN_NODE_VALIDITY.toMillis() || expiry > MAX_CERT_EXPIRY.toMillis()) {
        throw new InvalidRequestException("certExpiryMillis", "must be 1 hour to " + MAX_CERT_EXPIRY.toDays() + " days");
      }
      RandomIds ids = new RandomIds();
      String clusterId = ids.newId();
      String nodeId = ids.newId();
      ClusterCa ca = ClusterCa.create();
      JoinTokens tokens = new JoinTokens(JoinToken.generate(ca.root()).text(), JoinToken.generate(ca.root()).text());
      ClusterPki pki = new ClusterPki(ca.rootPem(), ca.keyPem(), java.util.Set.of());
      long now = System.currentTimeMillis();
      Node self = new Node(nodeId, cfg.hostname(), NodeRole.MANAGER, Availability.ACTIVE, Map.of(), cfg.addr(),
          cfg.apiPort(), cfg.raftPort(), NodeStatus.READY, cfg.cpus(), cfg.memory(), now);
      ClusterSettings settings = new ClusterSettings(hb, ClusterSettings.DEFAULT.autoPortFirst(),
          ClusterSettings.DEFAULT.autoPortLast(), expiry);
      LiveCredentials creds = new LiveCredentials(ca.credentialsFor(new NodeIdentity(nodeId, CertRole.MANAGER, clusterId),
          Duration.ofMillis(expiry)));
      self = self.withCertificate(creds.credentials().certificate().getNotAfter().getTime(), JoinToken.digest(ca.root()));
      Manager m = managers.found(new Command.Init(clusterId, tokens, pki, settings, self, NetworkAllocator.ingress(now)), creds);
      membership.joined(new LocalNodeState(nodeId, clusterId, NodeRole.MANAGER, List.of(cfg.apiAddress())), creds, m);
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
      JoinToken token;
      try {
        token = JoinToken.parse(b.token());
      } catch (IllegalArgumentException e) {
        throw new InvalidRequestException("token", e.getMessage() + " (meshctl swarm join-token prints one)");
      }
      if (b.remote() == null || !b.remote().matches("[0-9.]+(:[0-9]{1,5})?")) {
        throw new InvalidRequestException("remote", "must be a manager's ADDR:PORT");
      }
      String remote = b.remote().contains(":") ? b.remote() : b.remote() + ":" + DaemonConfig.API_PORT;
      JoinTrust trust = new JoinTrust(token, remote);
      NodeKey key = NodeKey.generate();
      Map<String, Object> reg = new LinkedHashMap<>();
      reg.put("token", token.text());
      reg.put("csr", Pem.write(key.csr()));
      reg.put("hostname", cfg.hostname());
      reg.put("addr", cfg.addr());
      reg.put("apiPort", cfg.apiPort());
      reg.put("raftPort", cfg.raftPort());
      reg.put("cpus", cfg.cpus());
      reg.put("memory", cfg.memory());
      JsonNode answer = ManagerRequests.post(ClientTls.joining(trust), remote, "/v1/swarm/register", reg);
      String nodeId = answer.path("nodeId").asText();
      NodeRole role = NodeRole.valueOf(answer.path("role").asText());
      LiveCredentials creds = new LiveCredentials(credentialsFrom(answer, key, List.of(trust.root()), nodeId, role));
      List<String> managerAddresses = new ArrayList<>();
      answer.path("managers").forEach(n -> managerAddresses.add(n.asText()));
      Manager m = role == NodeRole.MANAGER ? managers.join(nodeId, remote, creds) : null;
      membership.joined(new LocalNodeState(nodeId, answer.path("clusterId").asText(), role, managerAddresses), creds, m);
      return ApiResponse.ok(Map.of("nodeId", nodeId, "role", role.lower()));
    }
  }

  /**
   * The node's credentials from a manager's answer: its key, the certificate issued with what
   * follows it in its chain, and the roots to trust. The roots must include one the node already
   * trusts ({@code trusted}: the root its join token named, or its current roots: a rotation's new
   * root comes with the old one), the certificate must be for this node's key and name this node
   * in its role, and chain (through the answer's chain) to one of the roots.
   */
  static NodeCredentials credentialsFrom(JsonNode answer, NodeKey key, List<X509Certificate> trusted, String nodeId,
      NodeRole role) {
    List<X509Certificate> roots = new ArrayList<>();
    answer.path("roots").forEach(r -> roots.add(Pem.certificate(r.asText(), "a root CA the manager sent")));
    if (roots.isEmpty() || roots.stream().noneMatch(trusted::contains)) {
      throw ApiFailure.unavailable("the manager sent roots of which this node trusts none: not this swarm's manager");
    }
    X509Certificate cert = Pem.certificate(answer.path("certificate").asText(), "the certificate the manager issued");
    List<X509Certificate> chain = new ArrayList<>(List.of(cert));
    answer.path("chain").forEach(c -> chain.add(Pem.certificate(c.asText(), "the chain the manager sent")));
    if (!cert.getPublicKey().equals(key.publicKey())) {
      throw ApiFailure.unavailable("the certificate the manager issued is not for this node's key");
    }
    NodeCredentials c = new NodeCredentials(key.privateKey(), chain, roots);
    try {
      c.requireChainToRoots();
    } catch (IllegalArgumentException e) {
      throw ApiFailure.unavailable("the manager issued a certificate this node cannot use: " + e.getMessage());
    }
    NodeIdentity id = c.identity();
    CertRole want = role == NodeRole.MANAGER ? CertRole.MANAGER : CertRole.WORKER;
    if (!id.nodeId().equals(nodeId) || id.role() != want) {
      throw ApiFailure.unavailable("the certificate the manager issued names " + id.role().ou() + " " + id.nodeId()
          + ", not " + want.ou() + " " + nodeId);
    }
    return c;
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
      ClientTls tls = ClientTls.of(membership.credentials(), CertRole.MANAGER);
      for (String m : known) {
        try {
          ManagerRequests.post(tls, m, "/v1/nodes/" + s.nodeId() + "/leave", Map.of());
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
