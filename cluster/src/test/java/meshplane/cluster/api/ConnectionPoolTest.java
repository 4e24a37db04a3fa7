package meshplane.cluster.api;

import java.net.InetSocketAddress;
import java.util.Map;
import meshplane.pki.CertRole;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** A client that makes a TLS context per call (meshctl's --tls* flags) leaves at most the pool's total idle connections on the server. */
@Tag("unit")
class ConnectionPoolTest {
  @Test
  void aTlsContextPerCallKeepsAtMostTheTotalIdleOpenOnTheServer() throws Exception {
    TestPki pki = new TestPki("c");
    var creds = pki.credentials("m1", CertRole.MANAGER);
    meshplane.pki.NodeCredentials admin = pki.issue("m1", CertRole.MANAGER);
    Router r = new Router().addSync("GET", "/v1/ping", q -> Map.of("pong", true));
    try (ApiServer s = ApiServer.tcp(r, new InetSocketAddress("127.0.0.1", 0), new ServerTls(creds))) {
      ApiTarget target = ApiTarget.parse("127.0.0.1:" + s.address().getPort(), "test");
      for (int i = 0; i < ConnectionPool.MAX_IDLE_TOTAL + 20; i++) {
        new ApiClient(target, ClientTls.of(admin), 2_000, 2_000).get("/v1/ping"); // a new SSLContext each time
      }
      Thread.sleep(300);
      int open = s.openConnections();
      org.junit.jupiter.api.Assertions.assertTrue(open > 0 && open <= ConnectionPool.MAX_IDLE_TOTAL,
          open + " idle connections left open on the server (the pool is the JVM's: other tests' may be in it too)");
    }
  }
}
