package meshplane.cluster.manager;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import meshplane.cluster.api.ApiClient;
import meshplane.cluster.api.ApiException;
import meshplane.cluster.api.ApiTarget;
import meshplane.cluster.api.TestPki;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * One manager on loopback (its Raft store, the orchestrator, the API on a free port) driven over
 * HTTP with meshctl's own client: the answers, the refusals (status, field, message), and what
 * the orchestrator does with the writes. No agent runs: tasks are placed but never started,
 * unless the test reports them as an agent would.
 */
@Tag("unit")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ManagerApiTest {
  private static LoopbackManager swarm;
  private static ApiClient client;
  private static final TestPki PKI = new TestPki("c");
  private static final String WORKER = PKI.tokens.worker();
  private static final String MANAGER = PKI.tokens.manager();
  private static ApiTarget target;

  @BeforeAll
  static void start() throws Exception {
    swarm = LoopbackManager.start(PKI, "m1id", "mpt-manager-api");
    target = swarm.target;
    client = swarm.asSelf();
  }

  @AfterAll
  static void stop() throws Exception {
    if (swarm != null) {
      swarm.close();
    }
  }

  private static String csr() {
    return meshplane.pki.Pem.write(meshplane.pki.NodeKey.generate().csr());
  }

  private static ApiException refused(int status, Runnable call) {
    ApiException e = assertThrows(ApiException.class, call::run);
    assertEquals(status, e.status(), e.getMessage());
    return e;
  }

  private static JsonNode awaitState(String path, Predicate<JsonNode> ok) throws InterruptedException {
    long end = System.currentTimeMillis() + 20_000;
    JsonNode last = null;
    while (System.currentTimeMillis() < end) {
      last = client.get(path);
      if (ok.test(last)) {
        return last;
      }
      Thread.sleep(100);
    }
    throw new AssertionError(path + " never got there: " + last);
  }

  @Test
  @Order(1)
  void joinTokensDifferAndNameTheirRole() {
    JsonNode w = client.get("/v1/swarm/join-token/worker");
    JsonNode m = client.get("/v1/swarm/join-token/manager");
    assertEquals(WORKER, w.path("token").asText());
    assertEquals(MANAGER, m.path("token").asText());
    assertTrue(w.path("command").asText().startsWith("meshctl swarm join --token " + WORKER + " 127.0.0.1:2377"), w.toString());
    ApiException e = refused(400, () -> client.get("/v1/swarm/join-token/boss"));
    assertEquals("role", e.field());
  }

  @Test
  @Order(2)
  void aWorkerTokenMakesAWorkerAndABadTokenNothing() {
    Map<String, Object> join = Map.of("token", WORKER, "csr", csr(), "hostname", "w1", "addr", "127.0.0.2", "apiPort", 2377,
        "raftPort", 2378, "cpus", 1000, "memory", 1L << 30);
    JsonNode j = client.post("/v1/swarm/register", join);
    assertEquals("WORKER", j.path("role").asText());
    ApiException e = refused(400, () -> client.post("/v1/swarm/register", Map.of("token", "SWMTKN-1-c-guess", "csr", csr(),
        "hostname", "w2", "addr", "127.0.0.3", "apiPort", 2377, "raftPort", 2378, "cpus", 1000, "memory", 1)));
    assertEquals("token", e.field());
    refused(409, () -> client.post("/v1/swarm/register", Map.of("token", WORKER, "csr", csr(), "hostname", "w1",
        "addr", "127.0.0.9", "apiPort", 2377, "raftPort", 2378, "cpus", 1000, "memory", 1)));
    // what a node says of itself is checked before anything is written (one bad address spoiled every node's state)
    Map<String, Object[]> bad = Map.of(
        "addr", new Object[] {"w9", "x", 2377, 2378, 1000, 1L},
        "hostname", new Object[] {"-w9", "127.0.0.9", 2377, 2378, 1000, 1L},
        "apiPort", new Object[] {"w9", "127.0.0.9", 0, 2378, 1000, 1L},
        "raftPort", new Object[] {"w9", "127.0.0.9", 2377, 70000, 1000, 1L},
        "cpus", new Object[] {"w9", "127.0.0.9", 2377, 2378, -1, 1L},
        "memory", new Object[] {"w9", "127.0.0.9", 2377, 2378, 1000, -1L});
    bad.forEach((field, v) -> assertEquals(field, refused(400, () -> client.post("/v1/swarm/register", Map.of("token", WORKER,
        "csr", csr(), "hostname", v[0], "addr", v[1], "apiPort", v[2], "raftPort", v[3], "cpus", v[4], "memory", v[5]))).field()));
    assertEquals("addr", refused(400, () -> client.post("/v1/swarm/register", Map.of("token", WORKER, "csr", csr(),
        "hostname", "w9", "addr", "300.1.1.1", "apiPort", 2377, "raftPort", 2378, "cpus", 1, "memory", 1))).field());
    JsonNode nodes = client.get("/v1/nodes");
    assertEquals(2, nodes.size());
    JsonNode m1 = nodes.get(0).path("hostname").asText().equals("m1") ? nodes.get(0) : nodes.get(1);
    assertTrue(m1.path("leader").asBoolean(), m1.toString());
  }

  @Test
  @Order(3)
  void networksAreAllocatedWithoutOverlapAndBadInputNamesItsField() {
    JsonNode web = client.post("/v1/networks", Map.of("name", "web", "driver", "overlay"));
    JsonNode back = client.post("/v1/networks", Map.of("name", "back-end", "driver", "overlay", "subnet", "10.9.0.0/24"));
    assertEquals("web", web.path("id").asText());
    assertEquals(4097, web.path("vni").asInt());
    assertNotEquals(web.path("subnet").asText(), back.path("subnet").asText());
    assertEquals(4098, back.path("vni").asInt());
    assertEquals("driver", refused(400, () -> client.post("/v1/networks", Map.of("name", "x", "driver", "bridge"))).field());
    refused(409, () -> client.post("/v1/networks", Map.of("name", "web", "driver", "overlay")));
    refused(409, () -> client.post("/v1/networks", Map.of("name", "y", "subnet", "10.9.0.128/25")));
    refused(404, () -> client.get("/v1/networks/nosuch"));
  }

  @Test
  @Order(4)
  void aServiceGetsItsMarkVipsAndTasksSpreadOverTheNodes() throws Exception {
    Map<String, Object> spec = Map.of("name", "web", "replicas", 2, "networks", List.of("web"),
        "ports", List.of(Map.of("protocol", "tcp", "published", 8080, "target", 80, "mode", "ingress")), "image", "meshplane/whoami");
    JsonNode created = client.post("/v1/services", spec);
    assertEquals(256, created.path("mark").asInt(), created.toString());
    assertTrue(created.path("vips").has("web") && created.path("vips").has("ingress"), created.toString());
    JsonNode tasks = awaitState("/v1/services/web/tasks", t -> t.size() == 2);
    assertNotEquals(tasks.get(0).path("nodeHostname").asText(), tasks.get(1).path("nodeHostname").asText(), "spread: " + tasks);
    for (JsonNode t : tasks) {
      assertEquals("ASSIGNED", t.path("state").asText());
      assertEquals(2, t.path("attachments").size(), "ingress then web: " + t);
      assertEquals("ingress", t.path("attachments").get(0).path("network").asText());
    }
    JsonNode ls = client.get("/v1/services");
    assertEquals(0, ls.get(0).path("running").asInt());
    assertEquals(2, ls.get(0).path("desired").asInt());
  }

  @Test
  @Order(5)
  void aPortPublishedTwiceIsRefusedAndAnAutoPortComesFromTheRange() {
    Map<String, Object> other = Map.of("name", "api", "replicas", 1, "image", "meshplane/whoami",
        "ports", List.of(Map.of("protocol", "tcp", "published", 8080, "target", 80, "mode", "ingress")));
    ApiException e = refused(409, () -> client.post("/v1/services", other));
    assertTrue(e.getMessage().contains("port 8080/tcp is already published by service web"), e.getMessage());
    client.post("/v1/services", Map.of("name", "api", "replicas", 1, "image", "meshplane/whoami"));
    refused(409, () -> client.post("/v1/services/api/publish", Map.of("published", 8080, "target", 80, "protocol", "tcp")));
    JsonNode p = client.post("/v1/services/api/publish", Map.of("target", 80, "protocol", "tcp"));
    int port = p.path("port").path("published").asInt();
    assertTrue(port >= 30000 && port <= 32767, p.toString());
    client.post("/v1/services/api/publish", Map.of("published", 8080, "target", 80, "protocol", "udp"));
    JsonNode un = client.post("/v1/services/api/unpublish", Map.of("published", port));
    assertEquals(1, un.path("spec").path("ports").size(), un.toString());
    refused(404, () -> client.post("/v1/services/api/unpublish", Map.of("published", 1234)));
    assertEquals("target", refused(400, () -> client.post("/v1/services/api/publish", Map.of("published", 9000))).field());
  }

  @Test
  @Order(6)
  void scaleKeepsTheVersionAndUpdateBumpsIt() throws Exception {
    long v = client.get("/v1/services/web").path("version").asLong();
    client.post("/v1/services/web/scale", Map.of("replicas", 3));
    assertEquals(v, client.get("/v1/services/web").path("version").asLong(), "a scale is not a new version");
    awaitState("/v1/services/web/tasks", t -> t.size() == 3);
    JsonNode u = client.post("/v1/services/web/update", Map.of("env", Map.of("K", "V")));
    assertEquals(v + 1, u.path("version").asLong());
    assertEquals("V", u.path("spec").path("env").path("K").asText());
    assertEquals("replicas", refused(400, () -> client.post("/v1/services/web/scale", Map.of("replicas", -1))).field());
    refused(404, () -> client.post("/v1/services/nosuch/scale", Map.of("replicas", 1)));
  }

  @Test
  @Order(7)
  void invalidSpecsAreRefusedNamingTheField() {
    ApiException e = refused(400, () -> client.post("/v1/services", Map.of("name", "Bad_Name", "image", "x")));
    assertEquals("name", e.field(), e.getMessage());
    e = refused(400, () -> client.post("/v1/services", Map.of("name", "ok", "image", "x", "constraints", List.of("node.labels.a=b"))));
    assertTrue(e.field().startsWith("constraints"), e.getMessage());
    e = refused(400, () -> client.post("/v1/services", Map.of("name", "ok", "image", "x", "networks", List.of("nosuch"))));
    assertTrue(e.field().startsWith("networks"), e.getMessage());
    assertEquals(2, client.get("/v1/services").size(), "nothing was created");
  }

  @Test
  @Order(8)
  void nodesAreDrainedLabelledAndGuarded() throws Exception {
    JsonNode w1 = client.post("/v1/nodes/w1/update", Map.of("availability", "drain", "labelAdd", Map.of("zone", "b")));
    assertEquals("DRAIN", w1.path("availability").asText());
    assertEquals("b", w1.path("labels").path("zone").asText());
    awaitState("/v1/services/web/tasks", t -> {
      for (JsonNode x : t) {
        if (x.path("nodeHostname").asText().equals("w1") && x.path("desired").asText().equals("RUNNING")) {
          return false;
        }
      }
      return true;
    });
    assertEquals("availability", refused(400, () -> client.post("/v1/nodes/w1/update", Map.of("availability", "off"))).field());
    refused(409, () -> client.post("/v1/nodes/m1/update", Map.of("role", "worker")));
    refused(409, () -> client.delete("/v1/nodes/m1"));
    refused(409, () -> client.delete("/v1/nodes/w1"));
    client.delete("/v1/nodes/w1?force=true");
    refused(404, () -> client.get("/v1/nodes/w1"));
  }

  @Test
  @Order(9)
  void reportedTasksRunAndLogsOfUnknownTasksAre404() throws Exception {
    JsonNode tasks = client.get("/v1/services/web/tasks");
    String id = null;
    for (JsonNode t : tasks) {
      if (t.path("desired").asText().equals("RUNNING")) {
        id = t.path("id").asText();
      }
    }
    client.post("/v1/agent/heartbeat", Map.of("nodeId", "m1id", "reports",
        List.of(Map.of("taskId", id, "state", "RUNNING", "message", "started", "at", System.currentTimeMillis()))));
    awaitState("/v1/services", s -> s.get(1).path("running").asInt() + s.get(0).path("running").asInt() >= 1);
    refused(403, () -> client.post("/v1/agent/heartbeat", Map.of("nodeId", "nosuch", "reports", List.of())));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    client.stream("/v1/services/api/logs", out);
    out.reset();
    client.stream("/v1/services/api/logs?tail=all&follow=false", out);
    assertTrue(out.toString().matches("api\\.1\\.[a-z0-9]+@m1    \\| \\(no logs: m1: cannot reach the meshplane API at 127\\.0\\.0\\.1:2377: Connection refused.*\\)\n"),
        "no node daemon answers for m1 here: one line says so, and the stream ends: " + out);
  }

  @Test
  @Order(10)
  void removingAServiceShutsItsTasksDown() throws Exception {
    client.delete("/v1/services/web");
    refused(404, () -> client.get("/v1/services/web"));
    JsonNode state = awaitState("/v1/state", s -> {
      for (JsonNode t : s.path("tasks")) {
        if (t.path("serviceName").asText().equals("web") && t.path("desired").asText().equals("RUNNING")) {
          return false;
        }
      }
      return true;
    });
    assertTrue(state.path("services").size() == 1, state.path("services").toString());
  }
}
