package meshplane.node.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
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
import meshplane.pki.NodeCredentials;
import meshplane.pki.NodeIdentity;
import meshplane.pki.NodeKey;
import meshplane.pki.Pem;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** When a certificate is renewed (at 50-80% of its life), and that a certificate past that point is renewed by a manager. */
@Tag("unit")
class RenewalScheduleTest {
  @Test
  void renewalFallsBetweenHalfAndFourFifthsOfTheLife() {
    Instant from = Instant.parse("2026-12-04T00:00:00Z");
    Instant to = from.plus(Duration.ofDays(90));
    assertEquals(from.plus(Duration.ofDays(45)), RenewalSchedule.renewAt(from, to, RenewalSchedule.FIRST));
    assertEquals(from.plus(Duration.ofDays(72)), RenewalSchedule.renewAt(from, to, RenewalSchedule.LAST));
    assertEquals(from.plus(Duration.ofMinutes(39)), RenewalSchedule.renewAt(from, from.plus(Duration.ofHours(1)), 0.65));
  }

  /**
   * A worker whose certificate (made here, valid from 50 minutes ago for an hour) is past even
   * 80% of its life: the schedule renews it at once with the loopback manager, which issues a
   * 90-day certificate for the same node and role and a new key, and records the new expiry.
   */
  @Test
  void aCertificatePastItsRenewalPointIsRenewedByAManager() throws Exception {
    Path dir = Files.createTempDirectory("mpt-renewal");
    ClusterCa ca = ClusterCa.create();
    LiveCredentials m1 = new LiveCredentials(ca.credentialsFor(new NodeIdentity("m1", CertRole.MANAGER, "c"),
        ClusterCa.NODE_VALIDITY));
    int raft;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      raft = s.getLocalPort();
    }
    Router router = new Router();
    Manager manager = Manager.start(RaftStoreConfig.founding(dir.resolve("raft"), "127.0.0.1:" + raft, m1), router, m1);
    ApiServer api = null;
    RenewalSchedule schedule = null;
    try {
      assertTrue(manager.awaitLeadership(Duration.ofSeconds(20)));
      long now = System.currentTimeMillis();
      manager.propose(new Command.Init("c", new JoinTokens(JoinToken.generate(ca.root()).text(),
              JoinToken.generate(ca.root()).text()), new ClusterPki(ca.rootPem(), ca.keyPem(), Set.of()),
          new ClusterSettings(600_000, 30000, 32767), new Node("m1", "m1", NodeRole.MANAGER, Availability.ACTIVE, Map.of(),
              "127.0.0.1", 2377, raft, NodeStatus.READY, 2000, 4L << 30, now), NetworkAllocator.ingress(now)))
          .get(15, TimeUnit.SECONDS);
      manager.propose(new Command.PutNode(new Node("w1", "w1", NodeRole.WORKER, Availability.ACTIVE, Map.of(), "127.0.0.2", 2377,
          2378, NodeStatus.READY, 1000, 1L << 30, now))).get(15, TimeUnit.SECONDS);
      api = ApiServer.tcp(router, new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), new ServerTls(m1));
      String managerAddr = "127.0.0.1:" + api.address().getPort();

      NodeKey key = NodeKey.generate();
      X509Certificate old = shortLived(ca, key, Instant.now().minus(Duration.ofMinutes(50)), Duration.ofHours(1));
      LiveCredentials w1 = new LiveCredentials(new NodeCredentials(key.privateKey(), old, ca.root()));
      AtomicReference<NodeCredentials> renewed = new AtomicReference<>();
      schedule = new RenewalSchedule(new RenewalSchedule.Node() {
        @Override
        public LiveCredentials credentials() {
          return w1;
        }

        @Override
        public List<String> managers() {
          return List.of(managerAddr);
        }

        @Override
        public void renewed(NodeCredentials next) {
          w1.replace(next);
          renewed.set(next);
        }
      }, new Object());
      long end = System.currentTimeMillis() + 20_000;
      while (renewed.get() == null && System.currentTimeMillis() < end) {
        Thread.sleep(100);
      }
      NodeCredentials next = renewed.get();
      assertNotNull(next, "renewed within 20 s");
      X509Certificate cert = next.certificate();
      assertEquals("CN=w1,OU=swarm-worker,O=c", cert.getSubjectX500Principal().getName());
      assertNotEquals(old.getPublicKey(), cert.getPublicKey(), "a new key");
      long days = Duration.between(Instant.now(), cert.getNotAfter().toInstant()).toDays();
      assertTrue(days >= 89 && days <= 90, "the cluster's 90 days: " + cert.getNotAfter());
      cert.verify(ca.root().getPublicKey());
      assertEquals(cert.getNotAfter().getTime(), manager.store().local().nodes().get("w1").certificateNotAfter(),
          "the state records the new expiry");
    } finally {
      if (schedule != null) {
        schedule.close();
      }
      if (api != null) {
        api.close();
      }
      manager.close();
      Folders.deleteTree(dir);
    }
  }

  /** A worker certificate for {@code key} valid from {@code from} for {@code life}, signed with the CA's key by hand. */
  private static X509Certificate shortLived(ClusterCa ca, NodeKey key, Instant from, Duration life) throws Exception {
    var b = new JcaX509v3CertificateBuilder(ca.root(), BigInteger.valueOf(System.nanoTime()), Date.from(from),
        Date.from(from.plus(life)), new X500Name("O=c, OU=swarm-worker, CN=w1"), key.publicKey());
    var signer = new JcaContentSignerBuilder("SHA256withECDSA").build(Pem.privateKey(ca.keyPem(), "the CA key"));
    return new JcaX509CertificateConverter().getCertificate(b.build(signer));
  }
}
