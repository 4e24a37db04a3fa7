package meshplane.cli;

import static meshplane.cli.MeshctlTest.meshctl;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import meshplane.cluster.api.ApiServer;
import meshplane.cluster.api.Router;
import meshplane.cluster.api.ServerTls;
import meshplane.cluster.manager.Manager;
import meshplane.cluster.model.Availability;
import meshplane.cluster.model.ClusterPki;
import meshplane.cluster.model.ClusterSettings;
import meshplane.cluster.model.Command;
import meshplane.cluster.model.JoinTokens;
import meshplane.cluster.model.Node;
import meshplane.cluster.model.NodeRole;
import meshplane.cluster.model.NodeStatus;
import meshplane.cluster.orchestrator.NetworkAllocator;
import meshplane.cluster.raft.RaftStoreConfig;
import meshplane.node.exec.Folders;
import meshplane.pki.CertRole;
import meshplane.pki.ClusterCa;
import meshplane.pki.JoinToken;
import meshplane.pki.LiveCredentials;
import meshplane.pki.NodeIdentity;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Remote administration as a user does it: {@code meshctl swarm client-cert} on the manager's
 * local socket writes ca.pem, cert.pem and key.pem (0600), and {@code meshctl -H tcp://...
 * --tlscacert --tlscert --tlskey} then administers over mutual TLS; without them, or with a node's
 * worker certificate, it does not. One manager on loopback.
 */
@Tag("unit")
class RemoteAdminTest {
  private static Path dir;
  private static Manager manager;
  private static ApiServer tcp;
  private static ApiServer local;
  private static ClusterCa ca;

  @BeforeAll
  static void start() throws Exception {
    dir = Files.createTempDirectory("mpt-remote-admin");
    int raft;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      raft = s.getLocalPort();
    }
    ca = ClusterCa.create();
    LiveCredentials self = new LiveCredentials(ca.credentialsFor(new NodeIdentity("m1", CertRole.MANAGER, "c"),
        ClusterCa.NODE_VALIDITY));
    Router router = new Router();
    manager = Manager.start(RaftStoreConfig.founding(dir.resolve("raft"), "127.0.0.1:" + raft, self), router, self);
    assertTrue(manager.awaitLeadership(Duration.ofSeconds(20)));
    long now = System.currentTimeMillis();
    manager.propose(new Command.Init("c", new JoinTokens(JoinToken.generate(ca.root()).text(), JoinToken.generate(ca.root()).text()),
        new ClusterPki(ca.rootPem(), ca.keyPem(), Set.of()), new ClusterSettings(600_000, 30000, 32767),
        new Node("m1", "m1", NodeRole.MANAGER, Availability.ACTIVE, Map.of(), "127.0.0.1", 2377, raft, NodeStatus.READY, 2000,
            4L << 30, now), NetworkAllocator.ingress(now))).get(15, TimeUnit.SECONDS);
    tcp = ApiServer.tcp(router, new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), new ServerTls(self));
    local = ApiServer.unix(router, dir.resolve("api.sock"));
  }

  @AfterAll
  static void stop() {
    if (tcp != null) {
      tcp.close();
    }
    if (local != null) {
      local.close();
    }
    if (manager != null) {
      manager.close();
    }
    Folders.deleteTree(dir);
  }

  @Test
  void aClientCertificateFromTheLocalSocketAdministersOverTls() throws Exception {
    Path certs = dir.resolve("client");
    MeshctlTest.Run made = meshctl("swarm", "client-cert", "-H", "unix://" + dir.resolve("api.sock"), "--out", certs.toString());
    assertEquals(0, made.status(), made.err());
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(certs.resolve("key.pem"))));
    assertTrue(Files.readString(certs.resolve("ca.pem")).contains("BEGIN CERTIFICATE"));
    String host = "tcp://127.0.0.1:" + tcp.address().getPort();
    MeshctlTest.Run ls = meshctl("network", "ls", "-H", host, "--tlscacert", certs.resolve("ca.pem").toString(),
        "--tlscert", certs.resolve("cert.pem").toString(), "--tlskey", certs.resolve("key.pem").toString());
    assertEquals(0, ls.status(), ls.err());
    assertTrue(ls.out().contains("ingress"), ls.out());
    MeshctlTest.Run token = meshctl("swarm", "join-token", "-q", "worker", "-H", host, "--tlscacert",
        certs.resolve("ca.pem").toString(), "--tlscert", certs.resolve("cert.pem").toString(), "--tlskey",
        certs.resolve("key.pem").toString());
    assertTrue(token.status() == 0 && token.out().startsWith("SWMTKN-1-"), token.err());

    MeshctlTest.Run bare = meshctl("network", "ls", "-H", host);
    assertEquals(2, bare.status(), bare.out()); // a usage error: the flags that are missing
    assertTrue(bare.err().contains("mutual TLS only") && bare.err().contains("--tlscacert"), bare.err());
  }

  @Test
  void aWorkersCertificateDoesNotAdminister() throws Exception {
    Path w = dir.resolve("worker");
    Files.createDirectories(w);
    var creds = ca.credentialsFor(new NodeIdentity("w1", CertRole.WORKER, "c"), ClusterCa.NODE_VALIDITY);
    Files.writeString(w.resolve("ca.pem"), meshplane.pki.Pem.write(ca.root()));
    Files.writeString(w.resolve("cert.pem"), meshplane.pki.Pem.write(creds.certificate()));
    Files.writeString(w.resolve("key.pem"), meshplane.pki.Pem.write(creds.key()));
    MeshctlTest.Run ls = meshctl("service", "ls", "-H", "tcp://127.0.0.1:" + tcp.address().getPort(), "--tlscacert",
        w.resolve("ca.pem").toString(), "--tlscert", w.resolve("cert.pem").toString(), "--tlskey", w.resolve("key.pem").toString());
    assertEquals(1, ls.status(), ls.out());
    assertTrue(ls.err().contains("needs a manager's identity") && ls.err().contains("worker node w1"), ls.err());
  }
}
