package meshplane.cluster.manager;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import meshplane.cluster.api.ApiClient;
import meshplane.cluster.api.ApiException;
import meshplane.cluster.api.ApiTarget;
import meshplane.cluster.api.Caller;
import meshplane.cluster.api.ClientTls;
import meshplane.cluster.api.ServerTls;
import meshplane.cluster.api.TestPki;
import meshplane.cluster.model.Availability;
import meshplane.cluster.model.Command;
import meshplane.cluster.model.Node;
import meshplane.cluster.model.NodeRole;
import meshplane.cluster.model.NodeStatus;
import meshplane.pki.CertRole;
import meshplane.pki.LiveCredentials;
import meshplane.pki.NodeCredentials;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Who may call what on a manager's API, attacked over loopback: no certificate, the join
 * channel, a worker's certificate (control routes, speaking for another node, a forged caller
 * header), a removed node's, another cluster's, and an administrator's client certificate.
 */
@Tag("unit")
class ManagerAuthorizationTest {
  private static final TestPki PKI = new TestPki("c");
  private static LoopbackManager swarm;
  private static ApiTarget target;
  private static ApiClient admin;

  @BeforeAll
  static void start() throws Exception {
    swarm = LoopbackManager.start(PKI, "m1", "mpt-manager-authz");
    long now = System.currentTimeMillis();
    for (String w : List.of("w1", "w2", "gone")) {
      swarm.manager.propose(new Command.PutNode(new Node(w, w, NodeRole.WORKER, Availability.ACTIVE, Map.of(),
          "127.0.0." + (w.length() + 1), 2377, 2378, NodeStatus.READY, 1000, 1L << 30, now))).get(15, TimeUnit.SECONDS);
    }
    swarm.manager.propose(new Command.RemoveNode("gone")).get(15, TimeUnit.SECONDS);
    target = swarm.target;
    admin = PKI.client(target, "admin1", CertRole.CLIENT);
  }

  @AfterAll
  static void stop() throws Exception {
    if (swarm != null) {
      swarm.close();
    }
  }

  private static ApiException refused(int status, Runnable call) {
    ApiException e = assertThrows(ApiException.class, call::run);
    assertEquals(status, e.status(), e.getMessage());
    return e;
  }

  /** A TLS client that trusts the cluster's root and presents no certificate ({@code serverName}: SNI, or null). */
  private static String rawGet(String path, String serverName) throws Exception {
    KeyStore anchors = KeyStore.getInstance("PKCS12");
    anchors.load(null, null);
    anchors.setCertificateEntry("root", PKI.ca().root());
    TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
    tmf.init(anchors);
    SSLContext ctx = SSLContext.getInstance("TLSv1.3");
    ctx.init(null, tmf.getTrustManagers(), null);
    try (SSLSocket s = (SSLSocket) ctx.getSocketFactory().createSocket("127.0.0.1", target.port())) {
      s.setSoTimeout(5_000);
      SSLParameters p = new SSLParameters(new String[] {"TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384"}, new String[] {"TLSv1.3"});
      if (serverName != null) {
        p.setServerNames(List.of(new SNIHostName(serverName)));
      }
      s.setSSLParameters(p);
      s.startHandshake();
      OutputStream o = s.getOutputStream();
      o.write(("GET " + path + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
      o.flush();
      InputStream in = s.getInputStream();
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  @Test
  void withoutACertificateTheConnectionEndsBeforeAnyAnswer() {
    Exception e = assertThrows(Exception.class, () -> rawGet("/v1/swarm/join-token/manager", null));
    assertTrue(e instanceof javax.net.ssl.SSLException || e instanceof java.net.SocketException, e.toString());
  }

  @Test
  void theJoinChannelServesTheRootAndRegistrationOnly() throws Exception {
    String ca = rawGet("/v1/swarm/ca", ServerTls.JOIN_SERVER_NAME);
    assertTrue(ca.startsWith("HTTP/1.1 200") && ca.contains("BEGIN CERTIFICATE"), ca);
    for (String path : List.of("/v1/swarm/join-token/manager", "/v1/services", "/v1/state", "/v1/agent/assignment")) {
      String a = rawGet(path, ServerTls.JOIN_SERVER_NAME);
      assertTrue(a.startsWith("HTTP/1.1 403") && a.contains("not served on the join channel") && !a.contains("SWMTKN"),
          path + ": " + a);
    }
  }

  @Test
  void aWorkerCertificateIsRefusedOnControlRoutesNamingTheRoleNeeded() {
    ApiClient w1 = PKI.client(target, "w1", CertRole.WORKER);
    for (Runnable call : List.<Runnable>of(() -> w1.get("/v1/services"), () -> w1.get("/v1/state"),
        () -> w1.get("/v1/swarm/join-token/worker"), () -> w1.post("/v1/networks", Map.of("name", "x")),
        () -> w1.post("/v1/swarm/join-token/worker/rotate", null), () -> w1.delete("/v1/nodes/w2"),
        () -> w1.post("/v1/swarm/client-cert", Map.of("csr", "x")), () -> w1.post("/v1/nodes/w2/update", Map.of("role", "manager")))) {
      ApiException e = refused(403, call);
      assertTrue(e.getMessage().contains("needs a manager's identity") && e.getMessage().contains("worker node w1"), e.getMessage());
    }
  }

  @Test
  void aNodeSpeaksOnlyForItself() {
    ApiClient w1 = PKI.client(target, "w1", CertRole.WORKER);
    assertTrue(w1.post("/v1/agent/heartbeat", Map.of("reports", List.of())).has("heartbeatMillis"));
    assertTrue(refused(403, () -> w1.post("/v1/agent/heartbeat", Map.of("nodeId", "w2", "reports", List.of())))
        .getMessage().contains("may beat only for itself"));
    assertTrue(refused(403, () -> w1.get("/v1/agent/assignment?node=w2&timeoutMs=1")).getMessage().contains("its own assignment"));
    assertTrue(refused(403, () -> w1.post("/v1/nodes/w2/leave", null)).getMessage().contains("leaves itself"));
    // a client certificate may administer but is no node
    assertTrue(refused(403, () -> admin.post("/v1/agent/heartbeat", Map.of("reports", List.of())))
        .getMessage().contains("needs a node certificate"));
    assertEquals(3, admin.get("/v1/nodes").size(), "the admin reads the nodes: m1, w1, w2");
  }

  @Test
  void aWorkerCannotForgeTheForwardedCallerHeader() throws Exception {
    NodeCredentials w1 = PKI.worker("w1");
    ApiClient forged = new ApiClient(target, ClientTls.of(new LiveCredentials(w1), CertRole.MANAGER));
    ApiClient.Answer a = forged.send("GET", "/v1/services", null, Map.of(Caller.HEADER, "local"));
    assertEquals(403, a.status(), new String(a.body(), StandardCharsets.UTF_8));
    assertTrue(new String(a.body(), StandardCharsets.UTF_8).contains("believed from a manager only"));
  }

  @Test
  void aRemovedNodesCertificateAndAnotherClustersAreRefused() {
    ApiClient gone = PKI.client(target, "gone", CertRole.WORKER);
    assertTrue(refused(403, () -> gone.post("/v1/agent/heartbeat", Map.of("reports", List.of())))
        .getMessage().contains("removed from the swarm"));
    // same name, same cluster id, another CA: the handshake fails (the root is not this cluster's)
    TestPki other = new TestPki("c");
    ApiClient stranger = other.client(target, "m1", CertRole.MANAGER);
    ApiException e = refused(0, () -> stranger.get("/v1/services"));
    assertTrue(e.getMessage().contains("TLS with") || e.getMessage().contains("cannot reach"), e.getMessage());
  }

  @Test
  void aClientCertificateAdministersAndTheKeyNeverLeaves() {
    assertTrue(admin.get("/v1/swarm/join-token/worker").path("token").asText().startsWith("SWMTKN-1-"));
    String state = admin.get("/v1/state").toString();
    assertTrue(state.contains("BEGIN CERTIFICATE") && !state.contains("PRIVATE KEY"), "the root, not its key: " + state.length());
  }

  @Test
  void swarmUpdateSetsTheLifeOfTheNextCertificatesAndRenewKeepsTheStatesIdentity() {
    assertEquals("certExpiryMillis", refused(400, () -> admin.post("/v1/swarm/update", Map.of("certExpiryMillis", 1000))).field());
    admin.post("/v1/swarm/update", Map.of("certExpiryMillis", 2L * 86_400_000));
    meshplane.pki.NodeKey key = meshplane.pki.NodeKey.generate();
    var answer = PKI.client(target, "w2", CertRole.WORKER).post("/v1/swarm/renew", Map.of("csr", meshplane.pki.Pem.write(key.csr())));
    java.security.cert.X509Certificate c = meshplane.pki.Pem.certificate(answer.path("certificate").asText(), "renewed");
    long hours = Duration.between(java.time.Instant.now(), c.getNotAfter().toInstant()).toHours();
    assertTrue(hours >= 47 && hours <= 48, "two days: " + c.getNotAfter());
    assertEquals("CN=w2,OU=swarm-worker,O=c", c.getSubjectX500Principal().getName());
    assertEquals(key.publicKey(), c.getPublicKey());
    assertEquals(c.getNotAfter().toInstant().toString(), admin.get("/v1/nodes/w2").path("tls").path("certificateNotAfter").asText());
    assertEquals("CN=swarm-ca", admin.get("/v1/nodes/w2").path("tls").path("issuerSubject").asText());
    assertEquals("csr", refused(400, () -> PKI.client(target, "w2", CertRole.WORKER).post("/v1/swarm/renew",
        Map.of("csr", "not a CSR"))).field());
  }
}
