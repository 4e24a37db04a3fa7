package meshplane.pki;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The managers-only trust: a manager of the cluster passes, a worker of the same cluster and a
 * manager of another cluster do not, whichever side they are on. The client side runs against
 * {@code openssl s_server} presenting the certificate (the independent server).
 */
@Tag("unit")
class ManagerOnlyTrustTest {
  private static final NodeIdentity MANAGER = new NodeIdentity("m1", CertRole.MANAGER, "c1");
  private static final NodeIdentity WORKER = new NodeIdentity("w1", CertRole.WORKER, "c1");

  @TempDir Path dir;
  private final ClusterCa ca = ClusterCa.create();

  private static NodeCredentials credentials(ClusterCa issuer, NodeIdentity who) {
    NodeKey k = NodeKey.generate();
    X509Certificate cert = issuer.issue(k.csr(), who, ClusterCa.NODE_VALIDITY);
    return new NodeCredentials(k.privateKey(), cert, issuer.root());
  }

  private static X509Certificate[] chain(NodeCredentials c) {
    return new X509Certificate[] {c.certificate(), c.roots().get(0)};
  }

  @Test
  void aManagerOfTheClusterIsTrustedAsClientAndServer() throws Exception {
    ManagerOnlyTrust t = ManagerOnlyTrust.of(ca.root());
    t.checkClientTrusted(chain(credentials(ca, MANAGER)), "EC");
    t.checkServerTrusted(chain(credentials(ca, MANAGER)), "ECDHE_ECDSA");
  }

  @Test
  void aWorkerOfTheSameClusterIsRefusedNamingItsSubjectAndTheRole() {
    ManagerOnlyTrust t = ManagerOnlyTrust.of(ca.root());
    CertificateException e = assertThrows(CertificateException.class,
        () -> t.checkClientTrusted(chain(credentials(ca, WORKER)), "EC"));
    assertEquals("client certificate CN=w1, OU=swarm-worker, O=c1 is a swarm-worker's; only swarm-manager certificates"
        + " are accepted here", e.getMessage());
    e = assertThrows(CertificateException.class, () -> t.checkServerTrusted(chain(credentials(ca, WORKER)), "ECDHE_ECDSA"));
    assertTrue(e.getMessage().startsWith("server certificate CN=w1"), e.getMessage());
  }

  @Test
  void aManagerOfAnotherClusterIsRefusedByThePathCheck() {
    ManagerOnlyTrust t = ManagerOnlyTrust.of(ca.root());
    CertificateException e = assertThrows(CertificateException.class,
        () -> t.checkClientTrusted(chain(credentials(ClusterCa.create(), MANAGER)), "EC"));
    assertTrue(e.getMessage().contains("PKIX path"), e.getMessage());
  }

  @Test
  void aClientRefusesAWorkerServerAndTalksToAManagerOne() throws Exception {
    NodeCredentials self = credentials(ca, MANAGER);
    SSLHandshakeException e = assertThrows(SSLHandshakeException.class, () -> handshake(self, credentials(ca, WORKER)));
    assertTrue(e.getMessage().contains("server certificate CN=w1, OU=swarm-worker, O=c1 is a swarm-worker's"),
        e.getMessage());
    NodeIdentity m2 = new NodeIdentity("m2", CertRole.MANAGER, "c1");
    assertEquals(m2, handshake(self, credentials(ca, m2)));
  }

  /** A handshake of {@code client}'s managers-only context with openssl s_server presenting {@code server}. */
  private NodeIdentity handshake(NodeCredentials client, NodeCredentials server) throws Exception {
    Path cert = dir.resolve("s.pem");
    Path key = dir.resolve("s.key");
    Files.writeString(cert, Pem.write(server.certificate()));
    Files.writeString(key, Pem.write(server.key()));
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    Process p = new ProcessBuilder(List.of("openssl", "s_server", "-accept", "127.0.0.1:" + port, "-tls1_3", "-naccept",
        "1", "-cert", cert.toString(), "-key", key.toString())).redirectErrorStream(true).start();
    try {
      BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
      for (String line = out.readLine(); !"ACCEPT".equals(line); line = out.readLine()) {
        assertTrue(line != null, "openssl s_server ended before accepting");
      }
      try (SSLSocket s = (SSLSocket) client.managerOnlySslContext().getSocketFactory()
          .createSocket(InetAddress.getLoopbackAddress(), port)) {
        s.setSSLParameters(NodeCredentials.clientParameters());
        s.setSoTimeout(10_000);
        s.startHandshake();
        return NodeIdentity.of((X509Certificate) s.getSession().getPeerCertificates()[0]);
      }
    } finally {
      p.destroy();
      p.waitFor(10, TimeUnit.SECONDS);
    }
  }
}
