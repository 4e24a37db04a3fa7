package meshplane.cluster.manager;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import meshplane.cluster.api.ApiClient;
import meshplane.cluster.api.ApiException;
import meshplane.cluster.api.TestPki;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** A join token is used at most {@link JoinRate#MAX_JOINS} times a minute; the next use is a 429 naming the token and the limit. */
@Tag("unit")
class JoinLimitsTest {
  private static final TestPki PKI = new TestPki("c");

  private static Map<String, Object> join(String token, String hostname, String addr) {
    return Map.of("token", token, "csr", meshplane.pki.Pem.write(meshplane.pki.NodeKey.generate().csr()), "hostname", hostname,
        "addr", addr, "apiPort", 2377, "raftPort", 2378, "cpus", 1000, "memory", 1L << 30);
  }

  @Test
  void aTokenUsedTooOftenIsRefused429AndTheOtherRolesTokenStillJoins() throws Exception {
    try (LoopbackManager swarm = LoopbackManager.start(PKI, "m1id", "mpt-join-limits")) {
      ApiClient client = swarm.asSelf();
      for (int i = 0; i < JoinRate.MAX_JOINS; i++) {
        client.post("/v1/swarm/register", join(PKI.tokens.worker(), "w1", "127.0.0.2"));
      }
      ApiException e = assertThrows(ApiException.class,
          () -> client.post("/v1/swarm/register", join(PKI.tokens.worker(), "w2", "127.0.0.3")));
      assertEquals(429, e.status(), e.getMessage());
      assertEquals("token", e.field());
      assertTrue(e.error().contains("worker join token was used 30 times in the last 60 s, at most 30"), e.error());
      assertEquals("MANAGER", client.post("/v1/swarm/register", join(PKI.tokens.manager(), "m2", "127.0.0.4")).path("role").asText());
      assertEquals(3, client.get("/v1/nodes").size(), "m1, w1 and m2: the refused w2 was not written");
    }
  }
}
