package meshplane.pki;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Mutual TLS 1.3 with the cluster's credentials, on loopback: a listener that requires a client
 * certificate of the cluster's root answers each peer with the identity its certificate names;
 * openssl s_client is the independent client (and witness of the protocol and the chain).
 */
@Tag("unit")
class NodeCredentialsTest {
  private static final NodeIdentity MANAGER = new NodeIdentity("m1", CertRole.MANAGER, "c1");
  private static final NodeIdentity WORKER = new NodeIdentity("w1", CertRole.WORKER, "c1");

  @TempDir Path dir;
  private ClusterCa ca;
  private SSLServerSocket server;
  private Thread acceptor;
  /** What the listener made of each connection: "hello <node id> <role>" or "refused: <reason>". */
  private final BlockingQueue<String> seen = new LinkedBlockingQueue<>();

  private NodeCredentials credentials(ClusterCa issuer, NodeIdentity who) {
    NodeKey k = NodeKey.generate();
    X509Certificate cert = issuer.issue(k.csr(), who, ClusterCa.NODE_VALIDITY);
    return new NodeCredentials(k.privateKey(), cert, issuer.root());
  }

  @BeforeEach
  void listener() throws Exception {
    ca = ClusterCa.create();
    NodeCredentials self = credentials(ca, MANAGER);
    server = (SSLServerSocket) self.sslContext().getServerSocketFactory().createServerSocket();
    server.setSSLParameters(NodeCredentials.serverParameters());
    server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 8);
    acceptor = new Thread(() -> {
      while (!server.isClosed()) {
        try (SSLSocket s = (SSLSocket) server.accept()) {
          s.setSoTimeout(10_000);
          try {
            s.startHandshake();
            NodeIdentity peer = NodeIdentity.of((X509Certificate) s.getSession().getPeerCertificates()[0]);
            String line = "hello " + peer.nodeId() + " " + peer.role().ou() + " over " + s.getSession().getProtocol();
            OutputStream out = s.getOutputStream();
            out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
            seen.add(line);
          } catch (Exception e) {
            seen.add("refused: " + e.getMessage());
          }
        } catch (Exception closed) {
          return;
        }
      }
    }, "tls-test-listener");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  @AfterEach
  void close() throws Exception {
    server.close();
    acceptor.join(5_000);
  }

  private Path pem(String name, String text) throws Exception {
    Path f = dir.resolve(name);
    Files.writeString(f, text);
    return f;
  }

  /** openssl s_client with the given extra arguments; its output (both streams). */
  private String sClient(String... extra) throws Exception {
    List<String> argv = new ArrayList<>(List.of("openssl", "s_client", "-connect", "127.0.0.1:" + server.getLocalPort(),
        "-CAfile", pem("root.pem", ca.rootPem()).toString(), "-verify_return_error", "-brief", "-ign_eof"));
    argv.addAll(List.of(extra));
    Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
    p.getOutputStream().close();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(20, TimeUnit.SECONDS), "s_client ended");
    return out;
  }

  private String next() throws InterruptedException {
    String s = seen.poll(10, TimeUnit.SECONDS);
    return s == null ? "nothing" : s;
  }

  @Test
  void aWorkerWithItsCertificateIsKnownByItOverTls13() throws Exception {
    NodeCredentials worker = credentials(ca, WORKER);
    Path cert = pem("w.pem", Pem.write(worker.certificate()));
    Path key = pem("w.key", Pem.write(worker.key()));
    String out = sClient("-tls1_3", "-cert", cert.toString(), "-key", key.toString());
    assertEquals("hello w1 swarm-worker over TLSv1.3", next());
    assertTrue(out.contains("Protocol version: TLSv1.3") && out.contains("Verification: OK"), out);
    assertTrue(out.contains("hello w1 swarm-worker"), out);
    assertTrue(out.contains("Peer certificate: O = c1, OU = swarm-manager, CN = m1"), "the server is the manager: " + out);
  }

  @Test
  void withoutACertificateNoAnswer() throws Exception {
    String out = sClient("-tls1_3");
    String got = next();
    assertTrue(got.startsWith("refused: "), got);
    assertTrue(!out.contains("hello"), out);
    assertTrue(out.contains("alert bad certificate"), "the listener ends the handshake for want of one (alert 42): " + out);
  }

  @Test
  void aCertificateOfAnotherClustersCaIsRefused() throws Exception {
    NodeCredentials rogue = credentials(ClusterCa.create(), MANAGER);
    String out = sClient("-tls1_3", "-cert", pem("r.pem", Pem.write(rogue.certificate())).toString(), "-key",
        pem("r.key", Pem.write(rogue.key())).toString());
    String got = next();
    assertTrue(got.startsWith("refused: ") && got.contains("PKIX path"), got);
    assertTrue(!out.contains("hello"), out);
  }

  @Test
  void tls12IsRefused() throws Exception {
    NodeCredentials worker = credentials(ca, WORKER);
    String out = sClient("-tls1_2", "-cert", pem("w.pem", Pem.write(worker.certificate())).toString(), "-key",
        pem("w.key", Pem.write(worker.key())).toString());
    String got = next();
    assertTrue(got.startsWith("refused: "), got);
    assertTrue(!out.contains("hello"), out);
  }

  @Test
  void aJdkClientWithTheseCredentialsTrustsOnlyTheClustersRoot() throws Exception {
    NodeCredentials worker = credentials(ca, WORKER);
    try (SSLSocket s = (SSLSocket) worker.sslContext().getSocketFactory().createSocket(InetAddress.getLoopbackAddress(),
        server.getLocalPort())) {
      s.setSSLParameters(NodeCredentials.clientParameters());
      s.setSoTimeout(10_000);
      s.startHandshake();
      assertEquals(MANAGER, NodeIdentity.of((X509Certificate) s.getSession().getPeerCertificates()[0]));
      InputStream in = s.getInputStream();
      assertEquals("hello w1 swarm-worker over TLSv1.3\n", new String(in.readNBytes(35), StandardCharsets.UTF_8));
    }
    assertEquals("hello w1 swarm-worker over TLSv1.3", next());
    // a client of another cluster does not trust this listener (its root is not the other's)
    NodeCredentials stranger = credentials(ClusterCa.create(), WORKER);
    try (SSLSocket s = (SSLSocket) stranger.sslContext().getSocketFactory().createSocket(InetAddress.getLoopbackAddress(),
        server.getLocalPort())) {
      s.setSSLParameters(NodeCredentials.clientParameters());
      s.setSoTimeout(10_000);
      Exception e = org.junit.jupiter.api.Assertions.assertThrows(Exception.class, s::startHandshake);
      assertTrue(String.valueOf(e.getMessage()).toLowerCase().contains("path") || e instanceof javax.net.ssl.SSLException,
          String.valueOf(e));
    }
  }
}
