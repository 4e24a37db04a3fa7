package meshplane.node.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import meshplane.cluster.api.ApiRequest;
import meshplane.cluster.api.Caller;
import meshplane.cluster.api.Router;
import meshplane.cluster.model.CommandRejectedException;
import meshplane.cluster.model.InvalidRequestException;
import meshplane.cluster.model.NodeRole;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The checks of the join protocol, which come before any manager is started or called: each
 * refusal names the field and the rule, and nothing is written to the state folder.
 */
@Tag("unit")
class JoinProtocolTest {
  @TempDir
  Path dir;

  private JoinProtocol protocol(NodeMembership membership, NodeStateStore store, DaemonConfig cfg) {
    return new JoinProtocol(cfg, membership, new ManagerLauncher(cfg, new Router(), store), store);
  }

  private DaemonConfig config() {
    return new DaemonConfig("node1", "mpt-none", "198.18.0.1", "eth0", 2377, 2378, dir.resolve("state"),
        dir.resolve("node1.sock"), "auto", 1000, 1L << 30, dir.resolve("logs"));
  }

  /** A membership whose node runs no agent (none is needed for the checks). */
  private NodeMembership noAgent(NodeStateStore store) {
    return new NodeMembership(store, new NodeCertificates(dir.resolve("state")),
        new SwarmPort(new Router(), new java.net.InetSocketAddress("127.0.0.1", 0)), (s, c) -> null);
  }

  /** A token of the right form, of no swarm. */
  private static final String TOKEN = "SWMTKN-1-" + "a".repeat(50) + "-" + "b".repeat(25);

  private static ApiRequest post(String path, String json) {
    return new ApiRequest("POST", path, Map.of(), Map.of(), json.getBytes(StandardCharsets.UTF_8), Caller.LOCAL);
  }

  @Test
  void requestsThatCannotBeRightAreRefusedByField() {
    DaemonConfig cfg = config();
    NodeStateStore store = new NodeStateStore(cfg.stateDir(), cfg.raftDir());
    JoinProtocol p = protocol(noAgent(store), store, cfg);
    assertEquals("advertiseAddr", assertThrows(InvalidRequestException.class,
        () -> p.init(post("/v1/swarm/init", "{\"advertiseAddr\":\"198.18.0.9\"}"))).field());
    assertEquals("heartbeatMillis", assertThrows(InvalidRequestException.class,
        () -> p.init(post("/v1/swarm/init", "{\"heartbeatMillis\":50}"))).field());
    assertEquals("token", assertThrows(InvalidRequestException.class,
        () -> p.join(post("/v1/swarm/join", "{\"token\":\"secret\",\"remote\":\"198.18.0.2\"}"))).field());
    assertEquals("remote", assertThrows(InvalidRequestException.class,
        () -> p.join(post("/v1/swarm/join", "{\"token\":\"" + TOKEN + "\",\"remote\":\"manager1\"}"))).field());
    InvalidRequestException advertise = assertThrows(InvalidRequestException.class,
        () -> p.join(post("/v1/swarm/join", "{\"token\":\"" + TOKEN + "\",\"remote\":\"198.18.0.2\","
            + "\"advertiseAddr\":\"198.18.0.9\"}")));
    assertTrue(advertise.getMessage().contains("this node's daemon serves on 198.18.0.1"), advertise.getMessage());
    CommandRejectedException notIn = assertThrows(CommandRejectedException.class,
        () -> p.leave(post("/v1/swarm/leave", "{}")));
    assertEquals("this node is not part of a swarm", notIn.getMessage());
    assertTrue(!Files.exists(cfg.stateDir()), "nothing written");
  }

  @Test
  void aNodeInASwarmCannotJoinAnotherAndAManagerLeavesOnlyByForce() {
    DaemonConfig cfg = config();
    NodeStateStore store = new NodeStateStore(cfg.stateDir(), cfg.raftDir());
    NodeMembership membership = noAgent(store);
    meshplane.pki.ClusterCa ca = meshplane.pki.ClusterCa.create();
    membership.resumed(new LocalNodeState("n1", "c1", NodeRole.MANAGER, List.of("198.18.0.1:2377")),
        new meshplane.pki.LiveCredentials(ca.credentialsFor(new meshplane.pki.NodeIdentity("n1", meshplane.pki.CertRole.MANAGER,
            "c1"), meshplane.pki.ClusterCa.NODE_VALIDITY)), null);
    JoinProtocol p = protocol(membership, store, cfg);
    CommandRejectedException init = assertThrows(CommandRejectedException.class,
        () -> p.init(post("/v1/swarm/init", "{}")));
    assertTrue(init.getMessage().contains("already part of a swarm (cluster c1)"), init.getMessage());
    assertThrows(CommandRejectedException.class,
        () -> p.join(post("/v1/swarm/join", "{\"token\":\"" + TOKEN + "\",\"remote\":\"198.18.0.2\"}")));
    CommandRejectedException leave = assertThrows(CommandRejectedException.class,
        () -> p.leave(post("/v1/swarm/leave", "{}")));
    assertTrue(leave.getMessage().contains("meshctl node demote node1"), leave.getMessage());
    assertEquals("n1", membership.local().nodeId(), "still in the swarm");
  }
}
