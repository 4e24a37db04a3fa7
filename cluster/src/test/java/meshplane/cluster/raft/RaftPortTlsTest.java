package meshplane.cluster.raft;

import meshplane.cluster.api.TestPki;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.alipay.sofa.jraft.CliService;
import com.alipay.sofa.jraft.Status;
import com.alipay.sofa.jraft.conf.Configuration;
import com.alipay.sofa.jraft.core.CliServiceImpl;
import com.alipay.sofa.jraft.entity.PeerId;
import com.alipay.sofa.jraft.util.RpcFactoryHelper;
import java.io.IOException;
import java.net.InetAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSocket;
import meshplane.pki.NodeCredentials;
import meshplane.pki.Pem;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Raft port of a running store is mutual TLS 1.3 for managers of its cluster only: with no
 * certificate, a worker's of the same CA or a manager's of another CA the handshake fails; a
 * manager's of the cluster gets through. {@code openssl s_client} is the independent client and
 * witness; a JDK client shows the same from Java, and jraft's CLI client with a worker's
 * certificate gets nothing from the port.
 */
@Tag("unit")
class RaftPortTlsTest {
  @TempDir Path dir;
  private StoreCluster cluster;
  private RaftStore store;
  private int port;

  @BeforeEach
  void founder() throws Exception {
    cluster = new StoreCluster();
    store = cluster.start("n1", cluster.addresses("n1"));
    cluster.awaitLeader();
    port = Integer.parseInt(store.self().substring(store.self().indexOf(':') + 1));
  }

  @AfterEach
  void tearDown() throws Exception {
    cluster.close();
  }

  @Test
  void jraftMakesItsClientsWithMeshplanesTlsFactory() {
    assertInstanceOf(TlsRaftRpcFactory.class, RpcFactoryHelper.rpcFactory());
  }

  @Test
  void withoutACertificateTheHandshakeFails() throws Exception {
    String out = sClient(null, true);
    assertTrue(out.contains("alert bad certificate") && out.contains("SSL alert number 42"), out);
  }

  @Test
  void aWorkerCertificateOfTheSameCaFailsTheHandshake() throws Exception {
    NodeCredentials worker = TestPki.SHARED.worker("w1");
    String out = sClient(worker, true);
    assertTrue(out.contains("Verification: OK"), "the client trusts the manager: " + out);
    assertTrue(out.contains("alert certificate unknown") && out.contains("SSL alert number 46"),
        "the server ends the handshake: " + out);
    assertEquals("refused", jdkClient(worker));
  }

  @Test
  void aManagerCertificateOfAnotherCaFailsTheHandshake() throws Exception {
    NodeCredentials stranger = TestPki.create().manager("m9");
    String out = sClient(stranger, true);
    assertTrue(out.contains("alert certificate unknown") && out.contains("SSL alert number 46"), out);
  }

  @Test
  void aManagerCertificateOfTheClusterPassesTheHandshake() throws Exception {
    NodeCredentials manager = TestPki.SHARED.manager("m2");
    String out = sClient(manager, false);
    assertTrue(out.contains("Protocol version: TLSv1.3"), out);
    assertTrue(out.contains("Verification: OK"), out);
    assertTrue(out.contains("Peer certificate: O = testcluster, OU = swarm-manager, CN = n1"), out);
    assertFalse(out.contains("alert"), out);
    assertEquals("open", jdkClient(manager));
  }

  /**
   * An address that is no manager cannot hold the Raft port's connections: beyond
   * {@link RaftTlsHandlers#PER_PEER} from one address, a plain TCP connection is closed at once
   * (before any handshake); the ones within stay open (until the 10 s handshake timeout), and a
   * freed place lets a manager in again.
   */
  @Test
  void connectionsFromOneAddressAreCappedBeforeTheirHandshake() throws Exception {
    int extra = 4;
    List<java.net.Socket> held = new ArrayList<>();
    try {
      for (int i = 0; i < RaftTlsHandlers.PER_PEER + extra; i++) {
        held.add(new java.net.Socket(InetAddress.getLoopbackAddress(), port));
      }
      int open = 0;
      int closed = 0;
      for (java.net.Socket s : held) {
        s.setSoTimeout(500);
        try {
          if (s.getInputStream().read() < 0) {
            closed++;
          }
        } catch (SocketTimeoutException stillOpen) {
          open++;
        } catch (IOException reset) {
          closed++;
        }
      }
      assertEquals(RaftTlsHandlers.PER_PEER, open, "open connections kept");
      assertEquals(extra, closed, "connections beyond the cap closed");
    } finally {
      for (java.net.Socket s : held) {
        s.close();
      }
    }
    Thread.sleep(200); // the server sees the closes
    assertEquals("open", jdkClient(TestPki.SHARED.manager("m2")), "a manager gets in once places are free");
  }

  /**
   * jraft's own CLI client (CliServiceImpl, over bolt with {@link TlsRaftRpcFactory}'s TLS): with a
   * worker's certificate the port never answers (the handshake fails, the server logs the
   * certificate and the role it lacks), so neither get-leader nor add-peer gets anywhere; with a
   * manager's the request reaches the server, which has no CLI processor for it (it logs "No user
   * processor found for request: ...GetLeaderRequest") and answers with an error.
   */
  @Test
  void jraftsCliServiceIsRefusedWithAWorkerCertificateAndFindsNoAdminProcessorWithAManagers() throws Exception {
    Configuration conf = new Configuration(List.of(RaftPeers.parse("peer", store.self())));
    CliService worker = cli(TestPki.SHARED.worker("w1"));
    try {
      Status leader = worker.getLeader(RaftStore.GROUP_ID, conf, new PeerId());
      assertEquals("Fail to get leader of group meshplane", leader.getErrorMsg(), "no answer at all: " + leader);
      Status added = worker.addPeer(RaftStore.GROUP_ID, conf, RaftPeers.parse("peer", "127.0.0.1:1"));
      assertFalse(added.isOk(), added.toString());
      assertEquals(List.of(store.self()), store.peers());
    } finally {
      worker.shutdown();
    }
    CliService manager = cli(TestPki.SHARED.manager("m2"));
    try {
      Status leader = manager.getLeader(RaftStore.GROUP_ID, conf, new PeerId());
      assertFalse(leader.isOk(), leader.toString());
      assertTrue(leader.getErrorMsg().contains("InvokeException") && leader.getErrorMsg().contains(store.self()),
          "the server answered (with an error): " + leader);
    } finally {
      manager.shutdown();
    }
  }

  private static CliService cli(NodeCredentials who) {
    CliService cli = new CliServiceImpl();
    TlsCliOptions opts = new TlsCliOptions(who);
    opts.setTimeoutMs(3000);
    opts.setMaxRetry(0);
    assertTrue(cli.init(opts), "CLI service started");
    return cli;
  }

  /**
   * The other direction: a store's client to a peer refuses a peer whose certificate is a
   * worker's, though of the same CA (openssl s_server, asking for the client's certificate, is
   * the peer and witness: the store's client sends alert 46 and logs "server certificate ... is a
   * swarm-worker's"), and completes the handshake with a manager's, presenting its own; the vote
   * requests then arrive inside the TLS session.
   */
  @Test
  void aStoresClientRefusesAWorkerPeerAndTalksToAManagerPeer() throws Exception {
    String refused = peerServer("n2", TestPki.SHARED.worker("w2"));
    assertTrue(refused.contains("alert certificate unknown") && refused.contains("SSL alert number 46"), refused);
    assertFalse(refused.contains("Protocol version") || refused.contains("RequestVoteRequest"), refused);
    String accepted = peerServer("n3", TestPki.SHARED.manager("m3"));
    assertTrue(accepted.contains("Protocol version: TLSv1.3") && accepted.contains("Verification: OK"), accepted);
    assertTrue(accepted.contains("Peer certificate: O = testcluster, OU = swarm-manager, CN = n3"), accepted);
    assertTrue(accepted.contains("RequestVoteRequest"), "the vote request came inside the TLS session: " + accepted);
  }

  /**
   * Starts store {@code name} in a group with a fake peer, openssl s_server presenting
   * {@code peer}: the store, unable to elect itself alone, keeps asking the peer for its vote;
   * s_server's output over 5 s.
   */
  private String peerServer(String name, NodeCredentials peer) throws Exception {
    String fake = cluster.addresses(name + "peer").get(0);
    Process p = new ProcessBuilder(List.of("/usr/bin/openssl", "s_server", "-accept", fake, "-tls1_3", "-brief",
        "-naccept", "1", "-Verify", "1", "-verify_return_error", "-CAfile",
        pem("root.pem", TestPki.SHARED.ca().rootPem()).toString(),
        "-cert", pem(name + ".pem", Pem.write(peer.certificate())).toString(),
        "-key", pem(name + ".key", Pem.write(peer.key())).toString())).redirectErrorStream(true).start();
    StringBuilder out = new StringBuilder();
    Thread reader = new Thread(() -> {
      try {
        byte[] b = p.getInputStream().readAllBytes();
        synchronized (out) {
          out.append(new String(b, StandardCharsets.ISO_8859_1));
        }
      } catch (IOException ended) {
        // destroyed
      }
    });
    reader.start();
    try {
      Thread.sleep(300); // s_server listening
      cluster.start(name, List.of(cluster.addresses(name).get(0), fake));
      p.waitFor(5, TimeUnit.SECONDS);
    } finally {
      p.destroy();
      reader.join(5000);
      cluster.stop(name);
    }
    synchronized (out) {
      System.out.println("s_server as " + peer.identity() + ":\n" + out);
      return out.toString();
    }
  }

  private Path pem(String name, String text) throws IOException {
    Path f = dir.resolve(name);
    Files.writeString(f, text);
    return f;
  }

  /**
   * openssl s_client to the Raft port, TLS 1.3, trusting the cluster's root, presenting
   * {@code who} (none when null); its output. {@code untilClosed}: wait for the server to close
   * (a refusal) rather than leave at once after the handshake.
   */
  private String sClient(NodeCredentials who, boolean untilClosed) throws Exception {
    List<String> argv = new ArrayList<>(List.of("/usr/bin/openssl", "s_client", "-connect", "127.0.0.1:" + port,
        "-tls1_3", "-brief", "-CAfile", pem("root.pem", TestPki.SHARED.ca().rootPem()).toString()));
    if (who != null) {
      argv.addAll(List.of("-cert", pem("c.pem", Pem.write(who.certificate())).toString(),
          "-key", pem("c.key", Pem.write(who.key())).toString()));
    }
    if (untilClosed) {
      argv.add("-ign_eof");
    }
    Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
    p.getOutputStream().close();
    if (!p.waitFor(20, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      return "still connected after 20 s: " + new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    System.out.println("s_client " + argv.subList(6, argv.size()) + ":\n" + out);
    return out;
  }

  /**
   * A JDK TLS 1.3 client presenting {@code who}: "open" when the connection is still up a second
   * after the handshake (bolt says nothing unasked), "refused" when the server ends it with an alert.
   */
  private String jdkClient(NodeCredentials who) throws Exception {
    try (SSLSocket s = (SSLSocket) who.sslContext().getSocketFactory().createSocket(InetAddress.getLoopbackAddress(),
        port)) {
      s.setSSLParameters(NodeCredentials.clientParameters());
      s.setSoTimeout(1000);
      try {
        s.startHandshake();
        return s.getInputStream().read() < 0 ? "closed" : "answered";
      } catch (SocketTimeoutException quiet) {
        return "open";
      } catch (SSLException e) {
        System.out.println("jdk client " + who.identity() + ": " + e);
        return "refused";
      }
    }
  }
}
